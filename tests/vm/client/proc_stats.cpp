#include "proc_stats.h"

#include <fstream>
#include <sstream>

namespace kecho::testclient {

std::optional<std::uint64_t> parse_counter(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string k;
        std::uint64_t v = 0;
        if (fields >> k && k == key && fields >> v)
            return v;
    }
    return std::nullopt;
}

std::optional<std::uint64_t> parse_sockstat_tcp_mem(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string word;
        if (!(fields >> word) || word != "TCP:")
            continue;
        while (fields >> word) {
            std::uint64_t v = 0;
            if (word == "mem" && fields >> v)
                return v;
        }
    }
    return std::nullopt;
}

std::optional<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::optional<std::uint64_t> kecho_counter(const std::string& key) {
    auto text = read_text_file("/proc/net/kecho");
    return text ? parse_counter(*text, key) : std::nullopt;
}

std::optional<std::uint64_t> tcp_mem_pages() {
    auto text = read_text_file("/proc/net/sockstat");
    return text ? parse_sockstat_tcp_mem(*text) : std::nullopt;
}

} // namespace kecho::testclient
