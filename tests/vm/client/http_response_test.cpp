#define CATCH_CONFIG_MAIN
#include "http_response.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

using kecho::testclient::HttpResponse;
using kecho::testclient::HttpResponseParser;

namespace {

std::string response(const std::string& status_line, const std::string& body,
                     const std::string& extra = "") {
    return status_line + "\r\nServer: khttpd\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + extra + "\r\n" + body;
}

// Feeds `pieces` in order; returns every response completed.
std::vector<HttpResponse> feed_all(HttpResponseParser& p, const std::vector<std::string>& pieces) {
    std::vector<HttpResponse> got;
    for (const auto& piece : pieces) {
        const auto r = p.feed(piece);
        got.insert(got.end(), r.begin(), r.end());
    }
    return got;
}

// Why the parser gave up on `stream`, fed in one piece ("" if it did not).
std::string why(const std::string& stream) {
    HttpResponseParser p;
    const auto got = p.feed(stream);
    CHECK(got.size() == p.done());
    return p.why();
}

} // namespace

TEST_CASE("http: one response split at every byte offset") {
    const std::string one = response("HTTP/1.1 200 OK", "hello, world\r\n\r\nnot a head");
    for (std::size_t off = 0; off <= one.size(); ++off) {
        HttpResponseParser p;
        const auto got = feed_all(p, {one.substr(0, off), one.substr(off)});
        INFO("split at " << off);
        REQUIRE_FALSE(p.failed());
        REQUIRE(got.size() == 1);
        CHECK(got[0].status == 200);
        CHECK(got[0].content_length == 26);
        CHECK(p.idle());
        CHECK(p.done() == 1);
    }
    HttpResponseParser p;
    std::vector<std::string> bytes(one.size());
    std::transform(one.begin(), one.end(), bytes.begin(),
                   [](char ch) { return std::string(1, ch); });
    CHECK(feed_all(p, bytes).size() == 1);
    CHECK(p.idle());
}

TEST_CASE("http: pipelined responses in one buffer, and split at every offset") {
    const std::string stream = response("HTTP/1.1 200 OK", "first") +
                               response("HTTP/1.1 404 Not Found", "") +
                               response("HTTP/1.1 200 OK", std::string(1000, 'x')) +
                               response("HTTP/1.1 304 Not Modified", "");
    const auto check = [](const std::vector<HttpResponse>& got) {
        REQUIRE(got.size() == 4);
        CHECK(got[0].status == 200);
        CHECK(got[0].content_length == 5);
        CHECK(got[1].status == 404);
        CHECK(got[1].content_length == 0);
        CHECK(got[2].content_length == 1000);
        CHECK(got[3].status == 304);
    };
    HttpResponseParser whole;
    check(whole.feed(stream));
    CHECK(whole.idle());
    for (std::size_t off = 0; off <= stream.size(); ++off) {
        for (const std::size_t second : {off, off + 1, off + 7}) {
            if (second > stream.size())
                continue;
            INFO("split at " << off << " and " << second);
            HttpResponseParser p;
            check(feed_all(p, {stream.substr(0, off), stream.substr(off, second - off),
                               stream.substr(second)}));
            CHECK_FALSE(p.failed());
            CHECK(p.idle());
        }
    }
}

TEST_CASE("http: where a cut stream stands") {
    HttpResponseParser p;
    CHECK(p.position() == "after 0 complete responses");
    const std::string r = response("HTTP/1.1 200 OK", "abcd");
    CHECK(p.feed(r + r.substr(0, 5)).size() == 1);
    CHECK_FALSE(p.idle());
    CHECK(p.position() == "in the head of response 2 (5 bytes)");
    CHECK(p.feed(r.substr(5, r.size() - 7)).empty());
    CHECK(p.position() == "in the body of response 2 (2 of 4 bytes)");
    CHECK(p.feed(r.substr(r.size() - 2)).size() == 1);
    CHECK(p.idle());
    CHECK(p.position() == "after 2 complete responses");
}

TEST_CASE("http: a response without Content-Length is an error") {
    const std::string ok = response("HTTP/1.1 200 OK", "x");
    const std::string bad = "HTTP/1.1 200 OK\r\nServer: khttpd\r\n\r\n";
    HttpResponseParser p;
    CHECK(p.feed(ok + bad + ok).size() == 1);
    CHECK(p.failed());
    CHECK(p.why() == "response 2: no Content-Length (status 200)");
    // Nothing after the error counts.
    CHECK(p.feed(ok).empty());
    CHECK(p.done() == 1);
    CHECK_THAT(why("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
               Catch::Contains("Transfer-Encoding 'chunked'"));
}

TEST_CASE("http: bad status lines are errors") {
    for (const std::string line :
         {"HTTP/1.0 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 2000 OK", "HTTP/1.1 200OK",
          "http/1.1 200 OK", "HTTP/1.1  200 OK", "HTTP/1.1 abc OK", "HTTP/1.1 020 OK", "",
          "garbage", " HTTP/1.1 200 OK"}) {
        INFO("status line '" << line << "'");
        CHECK_THAT(why(response(line, "body")), Catch::StartsWith("response 1: bad status line"));
    }
    // A stray CRLF between responses (a body longer than announced) is one too.
    CHECK(why(response("HTTP/1.1 200 OK", "a") + "\r\n" + response("HTTP/1.1 200 OK", "b")) ==
          "response 2: bad status line ''");
    // The reason phrase is optional; the code is what counts.
    for (const std::string line : {"HTTP/1.1 404", "HTTP/1.1 404 ", "HTTP/1.1 404 Gone Away"}) {
        HttpResponseParser p;
        const auto got = p.feed(response(line, ""));
        REQUIRE(got.size() == 1);
        CHECK(got[0].status == 404);
    }
}

TEST_CASE("http: Content-Length is read strictly, in any case, with optional spaces") {
    HttpResponseParser p;
    const auto got =
        p.feed(std::string("HTTP/1.1 200 OK\r\ncontent-LENGTH: \t 3 \r\n\r\nabc") +
               "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length:0\r\n\r\n");
    REQUIRE(got.size() == 2);
    CHECK(got[0].content_length == 3);
    CHECK(got[1].content_length == 0);
    for (const std::string value : {"-1", "+1", "12a", "", "1 2", "0x10", "99999999999999999999"}) {
        INFO("Content-Length '" << value << "'");
        CHECK_THAT(why("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\n"),
                   Catch::StartsWith("response 1: bad Content-Length"));
    }
    CHECK_THAT(why("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"),
               Catch::Contains("a second Content-Length"));
}

TEST_CASE("http: malformed heads are errors") {
    CHECK_THAT(why("HTTP/1.1 200 OK\nContent-Length: 0\n\n"), Catch::Contains("bare LF"));
    CHECK_THAT(why("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\n"), Catch::Contains("bare LF"));
    CHECK_THAT(why("HTTP/1.1 200 OK\r\nno colon here\r\nContent-Length: 0\r\n\r\n"),
               Catch::Contains("bad header line 'no colon here'"));
    CHECK_THAT(why("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"),
               Catch::Contains("bad header line"));
    CHECK_THAT(why("HTTP/1.1 200 OK\r\nX: a\rb\r\nContent-Length: 0\r\n\r\n"),
               Catch::Contains("bad header line 'X: a\\rb'"));
    const std::string endless = "HTTP/1.1 200 OK\r\nX: " + std::string(20000, 'a');
    CHECK_THAT(why(endless), Catch::Contains("no blank line in the first 16384 bytes"));
}
