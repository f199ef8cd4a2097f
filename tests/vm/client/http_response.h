// HTTP/1.1 responses, seen from the client: a status line "HTTP/1.1 NNN
// reason", header lines up to a blank line (CRLF line ends), a
// Content-Length (required: khttpd always sends one) and exactly that many
// body bytes. feed() takes a byte stream in pieces of any size, responses
// split anywhere or several in one piece, and returns the ones it completed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

struct HttpResponse {
    int status = 0;
    std::uint64_t content_length = 0;
};

class HttpResponseParser {
  public:
    // A head (status line and headers) longer than this is an error.
    static constexpr std::size_t kMaxHead = 16384;

    // The responses completed by these bytes, in order. At the first
    // malformed one it stops (failed() and why() say what is wrong, naming
    // the response by its number from 1) and ignores everything after.
    std::vector<HttpResponse> feed(std::span<const char> bytes);

    [[nodiscard]] bool failed() const { return !why_.empty(); }
    [[nodiscard]] const std::string& why() const { return why_; }
    // Responses completed so far.
    [[nodiscard]] std::size_t done() const { return done_; }
    // At a boundary between responses: nothing of the next one has come.
    [[nodiscard]] bool idle() const { return !in_body_ && head_.empty(); }
    // Where the stream stands, for a report on a stall or an early close.
    [[nodiscard]] std::string position() const;

  private:
    // Parses the complete head in head_ (ending in the blank line).
    bool parse_head();
    void fail(const std::string& what);

    std::string head_;
    bool in_body_ = false;
    HttpResponse current_;
    std::uint64_t body_left_ = 0;
    std::size_t done_ = 0;
    std::string why_;
};

} // namespace kecho::testclient
