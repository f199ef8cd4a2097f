// khttpd's request parser (src/kernel/khttpd_parse.c, compiled as is: it
// includes nothing but its own header, which has a userspace branch).
// Table-driven: every rule of khttpd_parse.h, each limit at the boundary.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "khttpd_parse.h"
}

namespace {

struct Parsed {
    int ret = 0;
    khttpd_request req{};
};

// khttpd_request holds a 4 KiB path: keep it off the stack.
std::unique_ptr<Parsed> parse(const std::string& s) {
    auto p = std::make_unique<Parsed>();
    p->ret = khttpd_parse_request(s.data(), s.size(), &p->req);
    return p;
}

int status(const std::string& s) {
    return parse(s)->ret;
}

// What INFO() prints: control bytes escaped.
std::string show(const std::string& s) {
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (u < 0x20 || u >= 0x7f) {
            std::array<char, 8> hex{};
            std::snprintf(hex.data(), hex.size(), "\\x%02x", u);
            out += hex.data();
        } else
            out += c;
    }
    return out;
}

// A request with these header lines (each without its line end).
std::string request(const std::string& line, const std::vector<std::string>& fields,
                    const std::string& eol = "\r\n") {
    std::string s = line + eol;
    for (const std::string& f : fields)
        s += f + eol;
    return s + eol;
}

std::string get11(const std::vector<std::string>& fields) {
    std::vector<std::string> all{"Host: example.com"};
    all.insert(all.end(), fields.begin(), fields.end());
    return request("GET / HTTP/1.1", all);
}

std::string path_of(const std::string& target) {
    const auto p = parse(request("GET " + target + " HTTP/1.0", {}));
    return p->ret > 0 ? std::string(p->req.path) : "error " + std::to_string(p->ret);
}

long long date(const std::string& s) {
    long long secs = -12345;
    if (khttpd_parse_http_date(s.data(), s.size(), &secs) != 0)
        return -1;
    return secs;
}

std::string format(long long secs) {
    std::array<char, KHTTPD_DATE_LEN> buf{};
    const size_t n = khttpd_format_http_date(secs, buf.data());
    CHECK(n == 29);
    return {buf.data()};
}

// Every prefix of @s is either incomplete (0) or already what all of it is.
void check_prefixes(const std::string& s) {
    const int full = status(s);
    const auto scratch = std::make_unique<khttpd_request>();
    for (size_t k = 0; k < s.size(); k++) {
        const int r = khttpd_parse_request(s.data(), k, scratch.get());
        INFO(show(s) << " cut at " << k);
        CHECK((r == 0 || r == full));
    }
}

constexpr unsigned long long num_max = 1ULL << 62;

} // namespace

TEST_CASE("khttpd_parse: a simple request and its defaults") {
    const std::string s = "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
    const auto p = parse(s);
    REQUIRE(p->ret == static_cast<int>(s.size()));
    CHECK(p->req.head_len == s.size());
    CHECK(p->req.method == KHTTPD_METHOD_GET);
    CHECK(p->req.minor == 1);
    CHECK(p->req.keep_alive);
    CHECK_FALSE(p->req.has_content_length);
    CHECK_FALSE(p->req.has_ims);
    CHECK_FALSE(p->req.has_range);
    CHECK(std::string(p->req.path) == "/index.html");

    // Bare LF line ends, and empty lines before the request line (RFC 9112 2.2).
    for (const std::string& t :
         {std::string("GET /a HTTP/1.0\n\n"), std::string("\r\n\nGET /a HTTP/1.0\r\n\r\n"),
          std::string("GET /a HTTP/1.0\r\nX: y\n\r\n")}) {
        INFO(show(t));
        const auto q = parse(t);
        CHECK(q->ret == static_cast<int>(t.size()));
        CHECK(std::string(q->req.path) == "/a");
    }
}

TEST_CASE("khttpd_parse: every status, by rule") {
    struct Row {
        std::string in;
        int want;
    };
    const std::string big(5000, 'a');
    const std::vector<Row> rows = {
        // HTTP/0.9, and malformed request lines
        {"GET /\r\n\r\n", -400},
        {"GET /\n", -400},
        {"GET\r\n\r\n", -400},
        {"\r\n\r\n", 0},
        {" GET / HTTP/1.0\r\n\r\n", -400},
        {"GET  / HTTP/1.0\r\n\r\n", -400},
        {"GET /  HTTP/1.0\r\n\r\n", -400},
        {"GET / HTTP/1.0 \r\n\r\n", -400},
        {"GET\t/ HTTP/1.0\r\n\r\n", -400},
        {"G(T / HTTP/1.0\r\n\r\n", -400},
        {"GET /a\x01 HTTP/1.0\r\n\r\n", -400},
        {"GET /a\x7f HTTP/1.0\r\n\r\n", -400},
        {"GET /a\tb HTTP/1.0\r\n\r\n", -400},
        {"GET / HTTP/1.0\r\r\n\r\n", -400},
        {"GET / HTTP/1.0\rX\r\n\r\n", -400},
        {"\rGET / HTTP/1.0\r\n\r\n", -400},
        {"GET / HTTP/1.0\r\nX: a\rb\r\n\r\n", -400},
        {"GET / HTTP/1.0\r\n\r\r\n", -400},
        // versions
        {"GET / HTTP/1.0\r\n\r\n", 18},
        {"GET / http/1.0\r\n\r\n", -400},
        {"GET / HTTP/1\r\n\r\n", -400},
        {"GET / HTTP/1.\r\n\r\n", -400},
        {"GET / HTTP/1.10\r\n\r\n", -400},
        {"GET / HTTP/1.x\r\n\r\n", -400},
        {"GET / HTTP/\r\n\r\n", -400},
        {"GET / HTTP/a.1\r\n\r\n", -400},
        {"GET / HTTPS/1.1\r\n\r\n", -400},
        {"GET / HTTP/2.\r\n\r\n", -400},
        {"GET / HTTP/2.0\r\n\r\n", -505},
        {"GET / HTTP/3\r\n\r\n", -505},
        {"GET / HTTP/0.9\r\n\r\n", -505},
        {"GET / HTTP/10.1\r\n\r\n", -505},
        {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", -505},
        // targets: origin-form and absolute-form; the version is checked first
        {"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", -400},
        {"GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400},
        {"GET http:/a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400},
        {"GET a HTTP/1.0\r\n\r\n", -400},
        {"GET * HTTP/3.0\r\n\r\n", -505},
        {"GET /%00 HTTP/1.0\r\n\r\n", -400},
        {"GET /%zz HTTP/1.0\r\n\r\n", -400},
        {"GET /.. HTTP/1.0\r\n\r\n", -400},
        // header fields
        {"GET / HTTP/1.1\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\n Host: a\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\n\tHost: a\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", -400},
        {std::string("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35), -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", -400},
        {"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", -501},
        {"GET / HTTP/1.0\r\ntransfer-encoding: identity\r\n\r\n", -501},
        // limits
        {"GET /" + big + " HTTP/1.1\r\nHost: a\r\n\r\n", -414},
        {"GET / HTTP/1.1\r\nHost: a\r\nX: " + big + big + "\r\n\r\n", -431},
        // incomplete
        {"", 0},
        {"GET / HTTP/1.1\r\nHost: a\r\n", 0},
        {"GET / HTTP/1.1\r\nHost: a\r\n\r", 0},
    };
    for (const Row& r : rows) {
        INFO(show(r.in.substr(0, 120)));
        CHECK(status(r.in) == r.want);
        check_prefixes(r.in);
    }
}

TEST_CASE("khttpd_parse: a visibly malformed request line is 400 before its end") {
    const std::vector<const char*> early = {
        "GE\x01", "GET  ", "GET /\x7f", "GET / HTTP/1.1 ", "GET / HTTP/1.1\rX",
        "\rX",    "G:T",   "GET /\r",
    };
    for (const char* s : early) {
        INFO(show(s));
        CHECK(status(s) == -400);
    }
    // A prefix that may still become valid waits.
    for (const char* s :
         {"GE", "GET", "GET ", "GET /x", "GET /x HTTP/9", "GET / HTTP/1.1\r", "\r"}) {
        INFO(show(s));
        CHECK(status(s) == 0);
    }
}

TEST_CASE("khttpd_parse: methods and versions") {
    struct Row {
        const char* line;
        khttpd_method method;
        unsigned minor;
    };
    const std::vector<Row> rows = {
        {"GET / HTTP/1.0", KHTTPD_METHOD_GET, 0},
        {"HEAD / HTTP/1.0", KHTTPD_METHOD_HEAD, 0},
        {"GET / HTTP/1.1", KHTTPD_METHOD_GET, 1},
        {"GET / HTTP/1.2", KHTTPD_METHOD_GET, 1},
        {"GET / HTTP/1.9", KHTTPD_METHOD_GET, 1},
        {"get / HTTP/1.1", KHTTPD_METHOD_OTHER, 1},
        {"Head / HTTP/1.1", KHTTPD_METHOD_OTHER, 1},
        {"POST / HTTP/1.1", KHTTPD_METHOD_OTHER, 1},
        {"DELETE / HTTP/1.1", KHTTPD_METHOD_OTHER, 1},
        {"GETS / HTTP/1.1", KHTTPD_METHOD_OTHER, 1},
        {"M-!#$%&'*+.^_`|~9 / HTTP/1.0", KHTTPD_METHOD_OTHER, 0},
    };
    for (const Row& r : rows) {
        INFO(r.line);
        const auto p = parse(request(r.line, {"Host: a"}));
        REQUIRE(p->ret > 0);
        CHECK(p->req.method == r.method);
        CHECK(p->req.minor == r.minor);
    }
}

TEST_CASE("khttpd_parse: the limits, at the boundary and one past it") {
    // A request line of exactly KHTTPD_LINE_MAX bytes with its CRLF or LF.
    for (const std::string eol : {"\r\n", "\n"}) {
        const size_t fixed = std::string("GET / HTTP/1.0").size() + eol.size();
        const std::string fits = "GET /" + std::string(KHTTPD_LINE_MAX - fixed, 'a') + " HTTP/1.0";
        const std::string over =
            "GET /" + std::string(KHTTPD_LINE_MAX - fixed + 1, 'a') + " HTTP/1.0";
        REQUIRE(fits.size() + eol.size() == KHTTPD_LINE_MAX);
        const std::string ok = fits + eol + eol;
        const auto p = parse(ok);
        CHECK(p->ret == static_cast<int>(ok.size()));
        CHECK(std::string(p->req.path).size() == KHTTPD_LINE_MAX - fixed + 1);
        CHECK(status(over + eol + eol) == -414);
        // The line's last byte read: a lone CR is 400, anything but LF is 414.
        CHECK(status(fits + eol.substr(0, eol.size() - 1) + "x") ==
              (eol.size() == 2 ? -400 : -414));
        // A CR as the 4096th byte: its LF would be the 4097th.
        CHECK(status(over + "\r") == -414);
    }
    // Without its line end: 4095 bytes may still become a line, 4096 cannot.
    CHECK(status("GET /" + std::string(KHTTPD_LINE_MAX - 6, 'a')) == 0);
    CHECK(status("GET /" + std::string(KHTTPD_LINE_MAX - 5, 'a')) == -414);
    CHECK(status("GET / HTTP/1.1" + std::string(KHTTPD_LINE_MAX - 14, 'a')) == -414);
    // Empty lines before the request line count towards the head, not the line.
    const std::string lead = "\r\n\r\n";
    const std::string line = "GET /" + std::string(KHTTPD_LINE_MAX - 16, 'a') + " HTTP/1.0\r\n";
    REQUIRE(line.size() == KHTTPD_LINE_MAX);
    CHECK(status(lead + line + "\r\n") == static_cast<int>(lead.size() + line.size() + 2));

    // A head of exactly KHTTPD_HEAD_MAX bytes with its blank line.
    const std::string start = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
    const size_t room = KHTTPD_HEAD_MAX - start.size() - 4;
    const std::string head = start + std::string(room, 'v') + "\r\n\r\n";
    REQUIRE(head.size() == KHTTPD_HEAD_MAX);
    CHECK(status(head) == KHTTPD_HEAD_MAX);
    CHECK(status(head + "GET / HTTP/1.1\r\n") == KHTTPD_HEAD_MAX);
    const std::string longer = start + std::string(room + 1, 'v') + "\r\n\r\n";
    CHECK(status(longer) == -431);
    // With bare LFs the same head is two bytes shorter: room for two more.
    const std::string lf_head =
        "GET / HTTP/1.1\nHost: a\nX: " + std::string(KHTTPD_HEAD_MAX - 26 - 2, 'v') + "\n\n";
    REQUIRE(lf_head.size() == KHTTPD_HEAD_MAX);
    CHECK(status(lf_head) == KHTTPD_HEAD_MAX);
    CHECK(status("GET / HTTP/1.1\nHost: a\nX: " + std::string(KHTTPD_HEAD_MAX - 26 - 1, 'v') +
                 "\n\n") == -431);
    // Without its end: 8191 bytes may still become a head, 8192 cannot.
    CHECK(status(head.substr(0, KHTTPD_HEAD_MAX - 1)) == 0);
    CHECK(status(longer.substr(0, KHTTPD_HEAD_MAX)) == -431);
    // A huge buffer is only read up to the limit.
    CHECK(status(std::string(100000, '\n')) == -431);
    CHECK(status(longer + std::string(100000, 'x')) == -431);
}

TEST_CASE("khttpd_parse: every prefix of a valid request needs more bytes") {
    const std::vector<std::string> requests = {
        get11({"Connection: close", "Range: bytes=0-1",
               "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"}),
        request("HEAD /a/b%20c?q=1 HTTP/1.0", {"X: y"}, "\n"),
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    };
    for (const std::string& s : requests) {
        INFO(show(s));
        REQUIRE(status(s) == static_cast<int>(s.size()));
        const auto scratch = std::make_unique<khttpd_request>();
        for (size_t k = 0; k < s.size(); k++) {
            INFO("prefix of " << k);
            CHECK(khttpd_parse_request(s.data(), k, scratch.get()) == 0);
        }
    }
}

TEST_CASE("khttpd_parse: pipelined requests, and a body, end at the first head") {
    const std::string first = get11({"Content-Length: 5"});
    const std::string second = request("HEAD /two HTTP/1.0", {});
    const std::string buf = first + "hello" + second;
    const auto p = parse(buf);
    REQUIRE(p->ret == static_cast<int>(first.size()));
    CHECK(p->req.head_len == first.size());
    CHECK(p->req.content_length == 5);
    const auto q = parse(buf.substr(first.size() + 5));
    REQUIRE(q->ret == static_cast<int>(second.size()));
    CHECK(q->req.method == KHTTPD_METHOD_HEAD);
    CHECK(std::string(q->req.path) == "/two");

    const std::string two = first + second;
    CHECK(status(two) == static_cast<int>(first.size()));
    CHECK(status(second + "garbage\x01\r\n") == static_cast<int>(second.size()));
}

TEST_CASE("khttpd_parse: the target, percent-decoded and normalized") {
    struct Row {
        const char* target;
        const char* want;
    };
    const std::vector<Row> rows = {
        {"/", "/"},
        {"//", "/"},
        {"/a/./b//c", "/a/b/c"},
        {"/a/b/", "/a/b/"},
        {"/a//", "/a/"},
        {"/.", "/"},
        {"/./", "/"},
        {"/a/.", "/a/"},
        {"/a/..", "/"},
        {"/a/b/..", "/a/"},
        {"/a/b/../c", "/a/c"},
        {"/a/b/../../c/", "/c/"},
        {"/..a/a../...", "/..a/a../..."},
        {"/.hidden", "/.hidden"},
        {"/a?x=/../../..", "/a"},
        {"/a#frag/..", "/a"},
        {"/a/?", "/a/"},
        {"/?%zz", "/"},
        {"/%41%62%63", "/Abc"},
        {"/%4a%4A", "/JJ"},
        {"/a%20b", "/a b"},
        {"/a%2fb", "/a/b"},
        {"/a%2F..%2Fb", "/b"},
        {"/a/%2e%2E/b", "/b"},
        {"/a/%2e/b", "/a/b"},
        {"/%3F%23", "/?#"},
        {"/%25", "/%"},
        {"/%2541", "/%41"},
        {"/%0a", "/\n"},
        {"/caf\xc3\xa9", "/caf\xc3\xa9"},
        // absolute-form (RFC 9112 3.2.2): scheme and authority skipped
        {"http://a/x/../b", "/b"},
        {"HTTP://a:8080/a.txt?q", "/a.txt"},
        {"https://a/", "/"},
        {"http://a", "/"},
        {"http://a?x=1", "/"},
        {"http://a/../x", "error -400"},
        {"/%c3%a9", "/\xc3\xa9"},
        {"/..", "error -400"},
        {"/../x", "error -400"},
        {"/a/../../x", "error -400"},
        {"/a/../..", "error -400"},
        {"/%2e%2e/x", "error -400"},
        {"/%2E%2E", "error -400"},
        {"/.%2e/", "error -400"},
        {"/a/b/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "error -400"},
        {"/%", "error -400"},
        {"/%4", "error -400"},
        {"/%4g", "error -400"},
        {"/%g4", "error -400"},
        {"/a%00b", "error -400"},
        {"/%00", "error -400"},
        {"*", "error -400"},
        {"a/b", "error -400"},
        {"?x", "error -400"},
        {"%2f", "error -400"},
    };
    for (const Row& r : rows) {
        INFO(show(r.target));
        CHECK(path_of(r.target) == r.want);
    }
}

TEST_CASE("khttpd_parse: the raw query, kept after the path for a redirect") {
    struct Row {
        const char* target;
        const char* want; // "" when there is none
    };
    const std::vector<Row> rows = {
        {"/dir", ""},
        {"/dir?x=1", "?x=1"},
        {"/dir?", "?"},
        {"/d%20ir?a=%20&b#frag", "?a=%20&b"},
        {"/dir#f?x", ""},
        {"/a/../dir?q/../x", "?q/../x"},
        {"http://h?x=1", "?x=1"},
        {"http://h/dir?y", "?y"},
    };
    for (const Row& r : rows) {
        INFO(show(r.target));
        const auto p = parse(request(std::string("GET ") + r.target + " HTTP/1.0", {}));
        REQUIRE(p->ret > 0);
        CHECK(std::string(p->req.query ? p->req.path + p->req.query : "") == r.want);
    }
}

TEST_CASE("khttpd_parse: header fields") {
    struct Row {
        std::string field;
        int want; // 0: accepted
    };
    const std::vector<Row> rows = {
        {"X-Empty:", 0},         {"X-Empty:   ", 0},    {"X: a\tb  c", 0},
        {"X:\tv\t", 0},          {"X: caf\xc3\xa9", 0}, {"!#$%&'*+-.^_`|~09aZ: v", 0},
        {"X: a:b", 0},           {"X : v", -400},       {"X\t: v", -400},
        {": v", -400},           {"X v", -400},         {"X", -400},
        {"X-\xc3\xa9: v", -400}, {"X\"y: v", -400},     {"X: \x1b[0m", -400},
        {"X: a\x7f", -400},      {"X: a\rb", -400},     {" X: v", -400},
        {"\tX: v", -400},
    };
    for (const Row& r : rows) {
        INFO(show(r.field));
        const std::string s = get11({r.field});
        CHECK(status(s) == (r.want ? r.want : static_cast<int>(s.size())));
    }
    // obs-fold, after a valid field.
    CHECK(status(get11({"X: a", " b"})) == -400);
    CHECK(status(get11({"X: a", "\tb"})) == -400);
}

TEST_CASE("khttpd_parse: Host") {
    struct Row {
        std::string version;
        std::vector<std::string> fields;
        bool ok;
    };
    const std::vector<Row> rows = {
        {"1.1", {"Host: a"}, true},
        {"1.1", {"hOsT: a"}, true},
        {"1.1", {"HOST:a"}, true},
        {"1.1", {"Host:"}, true},
        {"1.2", {"Host: a"}, true},
        {"1.1", {}, false},
        {"1.9", {}, false},
        {"1.1", {"Hosts: a"}, false},
        {"1.1", {"Host: a", "host: a"}, false},
        {"1.1", {"Host: a", "X: y", "Host: b"}, false},
        {"1.0", {}, true},
        {"1.0", {"Host: a"}, true},
        {"1.0", {"Host: a", "Host: a"}, false},
    };
    for (const Row& r : rows) {
        const std::string s = request("GET / HTTP/" + r.version, r.fields);
        INFO(show(s));
        CHECK(status(s) == (r.ok ? static_cast<int>(s.size()) : -400));
    }
}

TEST_CASE("khttpd_parse: Connection, per version") {
    struct Row {
        const char* version;
        std::vector<std::string> fields;
        bool keep_alive;
    };
    const std::vector<Row> rows = {
        {"1.1", {}, true},
        {"1.0", {}, false},
        {"1.2", {}, true},
        {"1.1", {"Connection: close"}, false},
        {"1.1", {"Connection: Close"}, false},
        {"1.1", {"connection:CLOSE"}, false},
        {"1.1", {"Connection: keep-alive"}, true},
        {"1.0", {"Connection: keep-alive"}, true},
        {"1.0", {"Connection: Keep-Alive"}, true},
        {"1.0", {"Connection: close"}, false},
        {"1.0", {"Connection: upgrade, keep-alive"}, true},
        {"1.1", {"Connection: foo, close"}, false},
        {"1.1", {"Connection: foo ,\tclose\t, bar"}, false},
        {"1.1", {"Connection: ,,close,,"}, false},
        {"1.0", {"Connection: keep-alive, close"}, false},
        {"1.0", {"Connection: close, keep-alive"}, false},
        {"1.0", {"Connection: keep-alive", "Connection: close"}, false},
        {"1.1", {"Connection: closed"}, true},
        {"1.1", {"Connection: close-ish"}, true},
        {"1.0", {"Connection: keep-alivex"}, false},
        {"1.0", {"Connection: keep alive"}, false},
        {"1.1", {"Connection: upgrade"}, true},
        {"1.1", {"Connection:"}, true},
        {"1.1", {"X-Connection: close"}, true},
    };
    for (const Row& r : rows) {
        std::vector<std::string> fields{"Host: a"};
        fields.insert(fields.end(), r.fields.begin(), r.fields.end());
        const std::string s = request(std::string("GET / HTTP/") + r.version, fields);
        INFO(show(s));
        const auto p = parse(s);
        REQUIRE(p->ret > 0);
        CHECK(p->req.keep_alive == r.keep_alive);
    }
}

TEST_CASE("khttpd_parse: Content-Length") {
    struct Row {
        std::vector<std::string> values;
        bool ok;
        unsigned long long want;
    };
    const std::vector<Row> rows = {
        {{"0"}, true, 0},
        {{"5"}, true, 5},
        {{" 5 "}, true, 5},
        {{"5", "5"}, true, 5},
        {{"5", "005"}, true, 5},
        {{"000000000000000000000000000000000000007"}, true, 7},
        {{"4611686018427387904"}, true, num_max},
        {{"4611686018427387905"}, false, 0},
        {{"9999999999999999999"}, false, 0},
        {{"18446744073709551616"}, false, 0},
        {{"99999999999999999999999999"}, false, 0},
        {{"5", "6"}, false, 0},
        {{"0", "1"}, false, 0},
        {{""}, false, 0},
        {{"-1"}, false, 0},
        {{"+1"}, false, 0},
        {{"1 2"}, false, 0},
        {{"5, 5"}, false, 0},
        {{"0x10"}, false, 0},
        {{"1e3"}, false, 0},
    };
    for (const Row& r : rows) {
        std::vector<std::string> fields(r.values.size());
        std::transform(r.values.begin(), r.values.end(), fields.begin(),
                       [](const std::string& v) { return "Content-Length: " + v; });
        const std::string s = get11(fields);
        INFO(show(s));
        const auto p = parse(s);
        if (!r.ok) {
            CHECK(p->ret == -400);
            continue;
        }
        REQUIRE(p->ret == static_cast<int>(s.size()));
        CHECK(p->req.has_content_length);
        CHECK(p->req.content_length == r.want);
    }
    const auto p = parse(get11({"content-length: 3"}));
    CHECK(p->req.has_content_length);
    CHECK(parse(get11({}))->req.has_content_length == false);
}

TEST_CASE("khttpd_parse: If-Modified-Since") {
    auto p = parse(get11({"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT"}));
    REQUIRE(p->ret > 0);
    CHECK(p->req.has_ims);
    CHECK(p->req.ims == 784111777);

    p = parse(get11({"if-modified-since:\tSunday, 06-Nov-94 08:49:37 GMT  "}));
    REQUIRE(p->ret > 0);
    CHECK(p->req.has_ims);
    CHECK(p->req.ims == 784111777);

    // Invalid: ignored, not an error.
    for (const char* v : {"yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "", "-1",
                          "Sun, 31 Feb 1994 08:49:37 GMT"}) {
        INFO(v);
        p = parse(get11({std::string("If-Modified-Since: ") + v}));
        REQUIRE(p->ret > 0);
        CHECK_FALSE(p->req.has_ims);
    }
    // The first one counts, valid or not (as in nginx 1.22).
    p = parse(get11({"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
                     "If-Modified-Since: Mon, 07 Nov 1994 08:49:37 GMT"}));
    CHECK(p->req.ims == 784111777);
    p = parse(
        get11({"If-Modified-Since: garbage", "If-Modified-Since: Mon, 07 Nov 1994 08:49:37 GMT"}));
    REQUIRE(p->ret > 0);
    CHECK_FALSE(p->req.has_ims);
}

TEST_CASE("khttpd_parse: Range") {
    struct Row {
        const char* value;
        bool has;
        bool suffix;
        bool open;
        unsigned long long first;
        unsigned long long last;
    };
    const std::vector<Row> rows = {
        {"bytes=0-499", true, false, false, 0, 499},
        {"bytes=500-999", true, false, false, 500, 999},
        {"bytes=7-7", true, false, false, 7, 7},
        {"bytes=9500-", true, false, true, 9500, 0},
        {"bytes=0-", true, false, true, 0, 0},
        {"bytes=-500", true, true, false, 0, 500},
        {"Bytes=1-2", true, false, false, 1, 2},
        {"BYTES=1-2", true, false, false, 1, 2},
        {"bytes= 1-2", true, false, false, 1, 2},
        {"bytes=1-2 \t", true, false, false, 1, 2},
        {"bytes=1-2,", true, false, false, 1, 2},
        {"bytes=, ,1-2, ,", true, false, false, 1, 2},
        {"bytes=0-4611686018427387904", true, false, false, 0, num_max},
        {"bytes=-4611686018427387904", true, true, false, 0, num_max},
        {"bytes=0-4611686018427387905", false, false, false, 0, 0},
        {"bytes=99999999999999999999-", false, false, false, 0, 0},
        {"bytes=0-1,2-3", false, false, false, 0, 0},
        {"bytes=0-1, -5", false, false, false, 0, 0},
        {"bytes=5-4", false, false, false, 0, 0},
        {"bytes=-0", false, false, false, 0, 0},
        {"bytes=-", false, false, false, 0, 0},
        {"bytes=", false, false, false, 0, 0},
        {"bytes=,", false, false, false, 0, 0},
        {"bytes=a-b", false, false, false, 0, 0},
        {"bytes=1", false, false, false, 0, 0},
        {"bytes=1-2-3", false, false, false, 0, 0},
        {"bytes=--1", false, false, false, 0, 0},
        {"bytes=+1-2", false, false, false, 0, 0},
        {"bytes=1 -2", false, false, false, 0, 0},
        {"bytes=1- 2", false, false, false, 0, 0},
        {"bytes =1-2", false, false, false, 0, 0},
        {"bytes 1-2", false, false, false, 0, 0},
        {"items=1-2", false, false, false, 0, 0},
        {"1-2", false, false, false, 0, 0},
        {"", false, false, false, 0, 0},
    };
    for (const Row& r : rows) {
        INFO(r.value);
        const auto p = parse(get11({std::string("Range: ") + r.value}));
        REQUIRE(p->ret > 0);
        CHECK(p->req.has_range == r.has);
        if (!r.has)
            continue;
        CHECK(p->req.range_suffix == r.suffix);
        CHECK(p->req.range_open == r.open);
        CHECK(p->req.range_first == r.first);
        CHECK(p->req.range_last == r.last);
    }
    // The first Range counts.
    const auto p = parse(get11({"range: bytes=1-2", "Range: bytes=3-4"}));
    CHECK(p->req.range_first == 1);
    CHECK(p->req.range_last == 2);
    CHECK_FALSE(parse(get11({"Range: x", "Range: bytes=3-4"}))->req.has_range);
}

TEST_CASE("khttpd_parse_http_date: the three forms, and what is not a date") {
    struct Row {
        const char* text;
        long long want; // -1: invalid
    };
    const std::vector<Row> rows = {
        {"Sun, 06 Nov 1994 08:49:37 GMT", 784111777},
        {"Sunday, 06-Nov-94 08:49:37 GMT", 784111777},
        {"Sun Nov  6 08:49:37 1994", 784111777},
        {"Sun Nov 06 08:49:37 1994", 784111777},
        {"Thu, 01 Jan 1970 00:00:00 GMT", 0},
        {"Thursday, 01-Jan-70 00:00:00 GMT", 0},
        {"Wednesday, 31-Dec-69 23:59:59 GMT", 3155759999}, // 2069
        {"Friday, 01-Jan-99 00:00:00 GMT", 915148800},     // 1999
        {"Saturday, 01-Jan-00 00:00:00 GMT", 946684800},   // 2000
        {"Tue, 29 Feb 2000 00:00:00 GMT", 951782400},
        {"Thu, 29 Feb 1996 12:00:00 GMT", 825595200},
        {"Tue, 19 Jan 2038 03:14:08 GMT", 2147483648},
        {"Fri, 31 Dec 9999 23:59:59 GMT", 253402300799},
        {"Wed, 31 Dec 1969 23:59:59 GMT", -1}, // valid: one second before the epoch
        {"Sat, 01 Jan 0000 00:00:00 GMT", -62167219200},
        {"Wed, 31 Dec 1998 23:59:60 GMT", 915148800}, // a leap second
        {"Mon, 06 Nov 1994 08:49:37 GMT", 784111777}, // the day name is not checked
        {"Sat Mar  1 00:00:00 2100", 4107542400},
    };
    for (const Row& r : rows) {
        INFO(r.text);
        long long secs = 0;
        REQUIRE(khttpd_parse_http_date(r.text, std::string(r.text).size(), &secs) == 0);
        CHECK(secs == r.want);
    }
    const std::vector<const char*> bad = {
        "",
        "Sun, 06 Nov 1994 08:49:37 GMT ",
        " Sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMTx",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 gmt",
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sux, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nox 1994 08:49:37 GMT",
        "Sun,  6 Nov 1994 08:49:37 GMT",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 06 Nov 1994 08:49:3x GMT",
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 32 Dec 1994 08:49:37 GMT",
        "Sun, 31 Apr 1994 08:49:37 GMT",
        "Sun, 29 Feb 1995 08:49:37 GMT",
        "Sun, 29 Feb 1900 08:49:37 GMT",
        "Sun, 30 Feb 2000 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 23:60:00 GMT",
        "Sun, 06 Nov 1994 23:59:61 GMT",
        "Sun, 06 Nov -994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "Sunday, 06-Nov-94 08:49:37 GMT ",
        "Sunday, 06 Nov 94 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sundax, 06-Nov-94 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sunday, 29-Feb-95 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994 ",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  0 08:49:37 1994",
        "Sun Nov 31 08:49:37 1994",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sunday Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37",
        "784111777",
        "Sun, 06 Nov 1994",
    };
    for (const char* s : bad) {
        INFO(s);
        CHECK(date(s) == -1);
    }
    // The length is honoured: no reading up to a NUL.
    CHECK(date(std::string("Sun, 06 Nov 1994 08:49:37 GMT").substr(0, 28)) == -1);
    long long secs = 0;
    CHECK(khttpd_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMTGMT", 29, &secs) == 0);
}

TEST_CASE("khttpd_format_http_date: IMF-fixdate, against libc, round trip") {
    CHECK(format(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
    CHECK(format(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    CHECK(format(951782400) == "Tue, 29 Feb 2000 00:00:00 GMT");
    CHECK(format(2147483647) == "Tue, 19 Jan 2038 03:14:07 GMT");
    CHECK(format(2147483648) == "Tue, 19 Jan 2038 03:14:08 GMT");
    CHECK(format(4107542399) == "Sun, 28 Feb 2100 23:59:59 GMT");
    CHECK(format(4107542400) == "Mon, 01 Mar 2100 00:00:00 GMT");
    CHECK(format(253402300799) == "Fri, 31 Dec 9999 23:59:59 GMT");
    // Out of range: clamped to the epoch and to the last four-digit year.
    CHECK(format(-1) == format(0));
    CHECK(format(INT64_MIN) == format(0));
    CHECK(format(253402300800) == format(253402300799));
    CHECK(format(INT64_MAX) == format(253402300799));

    // Every day from 1970 to 2200 (leap days, 2038, 2100 and 2200 included) at a
    // changing time of day, then strides across the whole range.
    std::vector<long long> values;
    for (long long day = 0; day < 84000; day++)
        values.push_back(day * 86400 + (day * 7919) % 86400);
    for (long long t = 0; t <= 253402300799; t += 9999991)
        values.push_back(t);
    for (const long long t : values) {
        const std::string text = format(t);
        INFO(t << " " << text);
        const auto tt = static_cast<time_t>(t);
        std::tm tm{};
        REQUIRE(gmtime_r(&tt, &tm) != nullptr);
        std::array<char, 64> want{};
        std::strftime(want.data(), want.size(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
        REQUIRE(text == want.data());
        REQUIRE(date(text) == t);
    }
}

TEST_CASE("khttpd_content_type: by the last segment's extension, any case") {
    struct Row {
        const char* path;
        const char* type;
    };
    const char* bin = "application/octet-stream";
    const std::vector<Row> rows = {
        {"/index.html", "text/html"},
        {"/a.htm", "text/html"},
        {"/A.HTML", "text/html"},
        {"/s.Css", "text/css"},
        {"/app.js", "application/javascript"},
        {"/d.json", "application/json"},
        {"/r.txt", "text/plain"},
        {"/f.xml", "text/xml"},
        {"/i.png", "image/png"},
        {"/i.jpg", "image/jpeg"},
        {"/i.jpeg", "image/jpeg"},
        {"/i.JPG", "image/jpeg"},
        {"/i.gif", "image/gif"},
        {"/i.svg", "image/svg+xml"},
        {"/favicon.ico", "image/x-icon"},
        {"/i.webp", "image/webp"},
        {"/d.pdf", "application/pdf"},
        {"/m.wasm", "application/wasm"},
        {"/f.woff", "font/woff"},
        {"/f.woff2", "font/woff2"},
        {"/v.mp4", "video/mp4"},
        {"/a.zip", "application/zip"},
        {"/a.tar.gz", "application/gzip"},
        {"/dir.html/file", bin},
        {"/dir.d/", bin},
        {"/.html", bin},
        {"/a/.css", bin},
        {"/a.", bin},
        {"/a.htmlx", bin},
        {"/a.ht", bin},
        {"/a.exe", bin},
        {"/noext", bin},
        {"/", bin},
        {"", bin},
        {"index.html", "text/html"},
    };
    for (const Row& r : rows) {
        INFO(r.path);
        CHECK(std::string(khttpd_content_type(r.path)) == r.type);
    }
}
