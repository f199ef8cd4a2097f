#include "http_status.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace kecho::ctl {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// A reason phrase's characters: HTAB, SP, VCHAR and obs-text.
bool is_reason_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '\t' || (u >= 0x20 && u != 0x7f);
}

} // namespace

std::string printable_excerpt(std::string_view text, std::size_t max) {
    std::string out;
    for (const char c : text.substr(0, max)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out += c;
        } else {
            std::array<char, 5> hex{};
            std::snprintf(hex.data(), hex.size(), "\\x%02x", u);
            out += hex.data();
        }
    }
    if (text.size() > max)
        out += "...";
    return out;
}

std::optional<StatusLine> parse_status_line(std::string_view response, std::string& problem) {
    if (response.empty()) {
        problem = "no response";
        return std::nullopt;
    }
    const auto eol = response.find('\n');
    const std::string_view line = response.substr(0, eol);
    // The line as messages quote it, without its CR.
    const std::string shown =
        "'" + printable_excerpt(line.ends_with('\r') ? line.substr(0, line.size() - 1) : line) +
        "'";
    const auto not_one = [&] {
        problem = "not an HTTP/1.x status line: " + shown;
        return std::nullopt;
    };
    // "HTTP/1.1 200" is 12 bytes.
    constexpr std::string_view kVersion = "HTTP/1.";
    if (line.size() < 12 || !line.starts_with(kVersion) || !is_digit(line[7]) || line[8] != ' ' ||
        !is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11]))
        return not_one();
    StatusLine status;
    status.minor = line[7] - '0';
    status.code =
        static_cast<unsigned>((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
    if (status.code < 100 || status.code > 599) {
        problem = "status code " + std::to_string(status.code) + " is not 100-599: " + shown;
        return std::nullopt;
    }
    if (eol == std::string_view::npos) {
        problem = "the status line does not end (no CRLF): " + shown;
        return std::nullopt;
    }
    if (!line.ends_with('\r')) {
        problem = "the status line ends in LF, not CRLF: " + shown;
        return std::nullopt;
    }
    std::string_view rest = line.substr(12, line.size() - 13); // without the CR
    if (!rest.empty()) {
        if (rest.front() != ' ')
            return not_one();
        rest.remove_prefix(1);
        if (!std::all_of(rest.begin(), rest.end(), is_reason_char))
            return not_one();
    }
    status.reason = std::string(rest);
    return status;
}

} // namespace kecho::ctl
