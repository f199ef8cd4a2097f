// The status line that starts an HTTP/1.x response (RFC 9112, section 4):
// "HTTP/1.1 200 OK\r\n". keechoctl's health check of khttpd passes when
// one arrives; this file says whether a response starts with one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kecho::ctl {

struct StatusLine {
    int minor = 1;      // HTTP/1.<minor>
    unsigned code = 0;  // 100-599
    std::string reason; // the reason phrase, possibly empty
};

// The status line at the start of `response`: "HTTP/1." DIGIT SP 3DIGIT,
// then SP and a reason phrase (printable characters and tabs) or nothing,
// then CRLF. Nullopt when it is not one, with why in `problem` ("no
// response", "not an HTTP/1.x status line: 'SSH-2.0-Op'"...).
std::optional<StatusLine> parse_status_line(std::string_view response, std::string& problem);

// At most `max` bytes of `text` for a message: printable ASCII kept, other
// bytes as \xNN, "..." when cut.
std::string printable_excerpt(std::string_view text, std::size_t max = 40);

} // namespace kecho::ctl
