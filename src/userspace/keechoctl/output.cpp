#include "output.h"

#include "tcp_state.h"

#include <algorithm>
#include <iterator>
#include <ostream>
#include <sys/socket.h>
#include <tuple>

namespace kecho::ctl {

void Table::print(std::ostream& os) const {
    std::vector<size_t> width(header_.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size() && i < width.size(); ++i)
            width[i] = std::max(width[i], row[i].size());
    };
    measure(header_);
    for (const auto& row : rows_)
        measure(row);
    const auto emit = [&](const std::vector<std::string>& row) {
        std::string line;
        for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size())
                line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        os << line << "\n";
    };
    emit(header_);
    for (const auto& row : rows_)
        emit(row);
}

nlohmann::json sock_json(const SockInfo& s) {
    return {
        {"family", s.family == AF_INET6 ? "inet6" : "inet"},
        {"state", tcp_state_name(s.state)},
        {"local", {{"address", s.src.to_string()}, {"port", s.sport}}},
        {"peer", {{"address", s.dst.to_string()}, {"port", s.dport}}},
        {"recv_q", s.rqueue},
        {"send_q", s.wqueue},
        {"uid", s.uid},
        {"inode", s.inode},
        {"cookie", s.cookie},
    };
}

nlohmann::json socks_json(const std::vector<SockInfo>& socks) {
    auto j = nlohmann::json::array();
    std::transform(socks.begin(), socks.end(), std::back_inserter(j), sock_json);
    return j;
}

void sort_sockets(std::vector<SockInfo>& socks) {
    std::sort(socks.begin(), socks.end(), [](const SockInfo& a, const SockInfo& b) {
        return std::tie(a.family, a.sport, a.src.bytes, a.dst.bytes, a.dport) <
               std::tie(b.family, b.sport, b.src.bytes, b.dst.bytes, b.dport);
    });
}

void print_report(bool as_json, const nlohmann::json& report, std::ostream& os,
                  void (*human)(const nlohmann::json&, std::ostream&)) {
    if (as_json)
        os << report.dump() << "\n";
    else
        human(report, os);
}

} // namespace kecho::ctl
