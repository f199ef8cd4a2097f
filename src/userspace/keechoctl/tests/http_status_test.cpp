// The status line khttpd's health check wants (http_status.h): well-formed
// ones with any code and reason, and everything that is not one.
#include "http_status.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

std::optional<StatusLine> parse(std::string_view text) {
    std::string problem;
    auto line = parse_status_line(text, problem);
    CHECK(line.has_value() == problem.empty());
    return line;
}

std::string problem_of(std::string_view text) {
    std::string problem;
    CHECK_FALSE(parse_status_line(text, problem).has_value());
    return problem;
}

} // namespace

TEST_CASE("status line: HTTP/1.x, a 3-digit code, an optional reason, CRLF", "[http]") {
    auto s = parse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    REQUIRE(s);
    CHECK(s->minor == 1);
    CHECK(s->code == 200);
    CHECK(s->reason == "OK");

    s = parse("HTTP/1.0 404 Not Found\r\n");
    REQUIRE(s);
    CHECK(s->minor == 0);
    CHECK(s->code == 404);
    CHECK(s->reason == "Not Found");

    // Every code counts: the server answered.
    for (const char* line : {"HTTP/1.1 100 Continue\r\n", "HTTP/1.1 301 Moved Permanently\r\n",
                             "HTTP/1.1 403 Forbidden\r\n", "HTTP/1.1 503 Service Unavailable\r\n",
                             "HTTP/1.1 599 \r\n"}) {
        INFO(line);
        CHECK(parse(line));
    }
    // The reason phrase may be empty, with or without its space.
    s = parse("HTTP/1.1 204\r\n");
    REQUIRE(s);
    CHECK(s->reason.empty());
    s = parse("HTTP/1.1 204 \r\n");
    REQUIRE(s);
    CHECK(s->reason.empty());
    // Tabs and obs-text are allowed in it.
    CHECK(parse("HTTP/1.1 200 O\tK \xe9t\xe9\r\n"));
}

TEST_CASE("status line: garbage, other protocols and broken lines are refused with why", "[http]") {
    CHECK(problem_of("") == "no response");
    CHECK(problem_of("SSH-2.0-OpenSSH_9.2\r\n") ==
          "not an HTTP/1.x status line: 'SSH-2.0-OpenSSH_9.2'");
    CHECK_THAT(problem_of(std::string_view("\x16\x03\x01\x02\x00", 5)),
               Catch::Contains("not an HTTP/1.x status line: '\\x16\\x03\\x01\\x02\\x00'"));
    CHECK_THAT(problem_of("HTTP/2 200\r\n"), Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("HTTP/1.1 20 OK\r\n"), Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("HTTP/1.1 2000 OK\r\n"),
               Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("HTTP/1.1  200 OK\r\n"),
               Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("http/1.1 200 OK\r\n"), Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("HTTP/1.1 2x0 OK\r\n"), Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("HTTP/1.1 200 O\x01K\r\n"),
               Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK_THAT(problem_of("<html>hello</html>"), Catch::StartsWith("not an HTTP/1.x status line"));
    CHECK(problem_of("HTTP/1.1 099 Low\r\n") ==
          "status code 99 is not 100-599: 'HTTP/1.1 099 Low'");
    CHECK_THAT(problem_of("HTTP/1.1 600 High\r\n"), Catch::StartsWith("status code 600"));
    CHECK(problem_of("HTTP/1.1 200 OK") ==
          "the status line does not end (no CRLF): 'HTTP/1.1 200 OK'");
    CHECK(problem_of("HTTP/1.1 200 OK\nServer: x\n\n") ==
          "the status line ends in LF, not CRLF: 'HTTP/1.1 200 OK'");
}

TEST_CASE("printable excerpts: ASCII kept, the rest as \\xNN, long text cut", "[http]") {
    CHECK(printable_excerpt("plain text") == "plain text");
    CHECK(printable_excerpt(std::string_view("a\0b\r\n", 5)) == "a\\x00b\\x0d\\x0a");
    CHECK(printable_excerpt(std::string(50, 'x')) == std::string(40, 'x') + "...");
    CHECK(printable_excerpt("abcdef", 3) == "abc...");
}
