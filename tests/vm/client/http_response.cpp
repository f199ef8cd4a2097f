#include "http_response.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string_view>

namespace kecho::testclient {

namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kVersion = "HTTP/1.1 ";
// Larger than any file a test serves, small enough that no sum overflows.
constexpr std::uint64_t kMaxLength = std::uint64_t{1} << 48;

// At most 60 characters of `text`, control bytes as \r, \n or \xNN.
std::string printable(std::string_view text) {
    std::string out;
    for (const char ch : text.substr(0, 60)) {
        const auto byte = static_cast<unsigned char>(ch);
        if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\n') {
            out += "\\n";
        } else if (std::isprint(byte) == 0) {
            std::array<char, 8> buf{};
            std::snprintf(buf.data(), buf.size(), "\\x%02x", byte);
            out += buf.data();
        } else {
            out += ch;
        }
    }
    return text.size() > 60 ? out + "..." : out;
}

bool is_digit(char ch) {
    return ch >= '0' && ch <= '9';
}

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

// RFC 9110 token characters (a header field name).
bool is_token(std::string_view name) {
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [kExtra](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) != 0 ||
               kExtra.find(ch) != std::string_view::npos;
    });
}

std::string_view trim_ows(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
        v.remove_suffix(1);
    return v;
}

// "HTTP/1.1 NNN" then the end, or a space and any reason phrase.
bool parse_status_line(std::string_view line, int& status) {
    if (!line.starts_with(kVersion))
        return false;
    line.remove_prefix(kVersion.size());
    if (line.size() < 3 || !std::all_of(line.begin(), line.begin() + 3, is_digit) || line[0] == '0')
        return false;
    if (line.size() > 3 && line[3] != ' ')
        return false;
    status = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    return true;
}

} // namespace

std::vector<HttpResponse> HttpResponseParser::feed(std::span<const char> bytes) {
    std::vector<HttpResponse> out;
    std::size_t i = 0;
    while (i < bytes.size() && !failed()) {
        if (in_body_) {
            const auto take = std::min<std::uint64_t>(body_left_, bytes.size() - i);
            i += static_cast<std::size_t>(take);
            body_left_ -= take;
        } else {
            // The head, byte by byte (heads are short), up to its blank line.
            const char ch = bytes[i++];
            if (ch == '\n' && !head_.ends_with('\r')) {
                fail("a line ends in a bare LF: '" + printable(head_ + ch) + "'");
                break;
            }
            head_ += ch;
            if (head_.size() > kMaxHead) {
                fail("no blank line in the first " + std::to_string(kMaxHead) + " bytes: '" +
                     printable(head_) + "'");
                break;
            }
            if (ch != '\n' || !head_.ends_with("\r\n\r\n"))
                continue;
            if (!parse_head())
                break;
            head_.clear();
            in_body_ = true;
            body_left_ = current_.content_length;
        }
        if (in_body_ && body_left_ == 0) {
            out.push_back(current_);
            ++done_;
            in_body_ = false;
        }
    }
    return out;
}

bool HttpResponseParser::parse_head() {
    std::string_view rest(head_);
    rest.remove_suffix(2 * kCrlf.size()); // the last line's CRLF and the blank line
    std::vector<std::string_view> lines;
    for (;;) {
        const auto end = rest.find(kCrlf);
        lines.push_back(rest.substr(0, end));
        if (end == std::string_view::npos)
            break;
        rest.remove_prefix(end + kCrlf.size());
    }
    current_ = HttpResponse{};
    if (!parse_status_line(lines.front(), current_.status)) {
        fail("bad status line '" + printable(lines.front()) + "'");
        return false;
    }
    bool have_length = false;
    for (std::size_t k = 1; k < lines.size(); ++k) {
        const std::string_view line = lines[k];
        const auto colon = line.find(':');
        const std::string_view name = line.substr(0, colon);
        if (colon == std::string_view::npos || !is_token(name) ||
            line.find('\r') != std::string_view::npos) {
            fail("bad header line '" + printable(line) + "'");
            return false;
        }
        const std::string_view value = trim_ows(line.substr(colon + 1));
        if (iequals(name, "Transfer-Encoding")) {
            fail("Transfer-Encoding '" + printable(value) + "' (only Content-Length is expected)");
            return false;
        }
        if (!iequals(name, "Content-Length"))
            continue;
        std::uint64_t length = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
        if (have_length || value.empty() || !is_digit(value.front()) || ec != std::errc() ||
            end != value.data() + value.size() || length > kMaxLength) {
            fail(std::string(have_length ? "a second" : "bad") + " Content-Length '" +
                 printable(value) + "'");
            return false;
        }
        current_.content_length = length;
        have_length = true;
    }
    if (!have_length) {
        fail("no Content-Length (status " + std::to_string(current_.status) + ")");
        return false;
    }
    return true;
}

void HttpResponseParser::fail(const std::string& what) {
    why_ = "response " + std::to_string(done_ + 1) + ": " + what;
}

std::string HttpResponseParser::position() const {
    const std::string next = "response " + std::to_string(done_ + 1);
    if (in_body_)
        return "in the body of " + next + " (" +
               std::to_string(current_.content_length - body_left_) + " of " +
               std::to_string(current_.content_length) + " bytes)";
    if (!head_.empty())
        return "in the head of " + next + " (" + std::to_string(head_.size()) + " bytes)";
    return "after " + std::to_string(done_) + " complete responses";
}

} // namespace kecho::testclient
