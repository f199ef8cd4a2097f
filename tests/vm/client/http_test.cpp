// The http subcommand against an in-process HTTP/1.1 server: an honest one
// must pass (pipelined, held open), and one that answers with the wrong
// status, no Content-Length, closes idle connections or never closes must
// make it fail; --until-closed must accept a server that ends connections
// (EOF or reset, between or in the middle of responses).
#include "commands.h"
#include "loopback_server.h"
#include "unique_fd.h"

#include <arpa/inet.h>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <thread>

using kecho::UniqueFd;
using namespace kecho::testclient;

namespace {

enum class Server {
    honest,
    no_length,  // no Content-Length
    idle_close, // closes a connection idle for 300 ms
    fin_after,  // closes after 7 responses (FIN)
    rst_after,  // resets after 7 responses, the 8th half sent
    bad_after,  // 7 good responses, then a malformed one, then closes
};

class FakeHttp {
  public:
    explicit FakeHttp(Server kind)
        : kind_(kind), server_([this](UniqueFd fd, const std::stop_token& stop) {
              serve(std::move(fd), stop);
          }) {}

    [[nodiscard]] std::string port() const { return server_.port(); }

  private:
    static bool send_all(int fd, const std::string& b) {
        std::size_t off = 0;
        while (off < b.size()) {
            const ssize_t n = ::send(fd, b.data() + off, b.size() - off, MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    [[nodiscard]] std::string response(std::size_t k, bool good_request) const {
        if (!good_request)
            return "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        if (kind_ == Server::no_length)
            return "HTTP/1.1 200 OK\r\nServer: fake\r\n\r\n";
        if (kind_ == Server::bad_after && k == 7)
            return "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\nhello";
        return "HTTP/1.1 200 OK\r\nServer: fake\r\nContent-Length: 5\r\n\r\nhello";
    }

    void serve(UniqueFd fd, const std::stop_token& stop) const {
        const int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        std::string in;
        std::size_t answered = 0;
        std::array<char, 4096> buf{};
        auto idle_since = std::chrono::steady_clock::now();
        while (!stop.stop_requested()) {
            pollfd p{fd.get(), POLLIN, 0};
            if (::poll(&p, 1, 10) == 0) {
                if (kind_ == Server::idle_close &&
                    std::chrono::steady_clock::now() - idle_since > std::chrono::milliseconds(300))
                    return;
                continue;
            }
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n <= 0)
                return;
            idle_since = std::chrono::steady_clock::now();
            in.append(buf.data(), static_cast<std::size_t>(n));
            for (auto end = in.find("\r\n\r\n"); end != std::string::npos;
                 end = in.find("\r\n\r\n")) {
                const std::string r =
                    response(answered, in.starts_with("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
                in.erase(0, end + 4);
                if (answered == 7 && kind_ == Server::fin_after)
                    return;
                if (answered == 7 && kind_ == Server::rst_after) {
                    send_all(fd.get(), r.substr(0, 20));
                    // The reset must not overtake what was sent (data
                    // Nagle still holds back is dropped with it).
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                    const linger lg{1, 0};
                    ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
                    return;
                }
                // In two pieces, split inside the head.
                if (!send_all(fd.get(), r.substr(0, 10)) || !send_all(fd.get(), r.substr(10)))
                    return;
                if (++answered == 8 && kind_ == Server::bad_after)
                    return;
            }
        }
    }

    Server kind_;
    LoopbackServer server_; // last: its threads use kind_
};

CommandResult http(const std::string& port, Argv extra) {
    Argv a{"--port", port, "--path", "/x", "--timeout", "5"};
    a.insert(a.end(), extra.begin(), extra.end());
    return run_captured(cmd_http, "http", a);
}

bool says(const CommandResult& r, const std::string& text) {
    return r.out.find(text) != std::string::npos;
}

// A port nothing listens on: bound by this socket, which never listens.
class DeadPort {
  public:
    DeadPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(sin);
        auto* sa = reinterpret_cast<sockaddr*>(&sin);
        REQUIRE(::bind(fd_.get(), sa, len) == 0);
        REQUIRE(::getsockname(fd_.get(), sa, &len) == 0);
        port_ = std::to_string(ntohs(sin.sin_port));
    }
    [[nodiscard]] const std::string& port() const { return port_; }

  private:
    UniqueFd fd_;
    std::string port_;
};

} // namespace

TEST_CASE("http passes against an honest server, pipelined and held open") {
    const FakeHttp s(Server::honest);
    const auto r = http(s.port(), {"--conns", "20", "--requests", "10", "--pipeline", "3",
                                   "--length", "5", "--hold-ms", "300"});
    CHECK(r.rc == 0);
    CHECK(says(r, "http: 20 conns, 200 responses, 200 status ok, 0 errors, "));
    CHECK(says(r, "held 300 ms: 20/20 still open"));
    CHECK(http(s.port(), {}).rc == 0);
    CHECK(http(s.port(), {"--requests", "5", "--pipeline", "5"}).rc == 0);
}

TEST_CASE("http fails on a wrong status or length, or no Content-Length") {
    const FakeHttp s(Server::honest);
    auto r = http(s.port(), {"--conns", "3", "--requests", "4", "--status", "404"});
    CHECK(r.rc == 1);
    CHECK(says(r, "http: FAIL: 3 conns, 12 responses, 0 status ok, 12 errors"));
    CHECK(says(r, ": response 1: status 200, want 404"));
    r = http(s.port(), {"--requests", "2", "--length", "6"});
    CHECK(r.rc == 1);
    CHECK(says(r, "response 1: Content-Length 5, want 6"));

    const FakeHttp none(Server::no_length);
    r = http(none.port(), {"--conns", "2"});
    CHECK(r.rc == 1);
    CHECK(says(r, "FAIL: 2 conns, 0 responses, 0 status ok, 2 errors"));
    CHECK(says(r, "conn 1: response 1: no Content-Length (status 200)"));
}

TEST_CASE("http fails when the server closes early or idle connections") {
    const FakeHttp fin(Server::fin_after);
    auto r = http(fin.port(), {"--requests", "10"});
    CHECK(r.rc == 1);
    CHECK(says(r, "conn 0: EOF: 7 of 10 responses, after 7 complete responses"));
    const FakeHttp rst(Server::rst_after);
    r = http(rst.port(), {"--requests", "10"});
    CHECK(r.rc == 1);
    CHECK(says(r, "Connection reset by peer: 7 of 10 responses"));

    const FakeHttp idle(Server::idle_close);
    CHECK(http(idle.port(), {"--conns", "5", "--requests", "3"}).rc == 0);
    r = http(idle.port(), {"--conns", "5", "--requests", "3", "--hold-ms", "800"});
    CHECK(r.rc == 1);
    CHECK(says(r, "held 800 ms: 0/5 still open"));
    CHECK(says(r, "EOF after all 3 responses, before the run ended (keep-alive not held)"));
}

TEST_CASE("http reports a refused connection with its errno text") {
    const DeadPort dead;
    const auto r = http(dead.port(), {"--conns", "2"});
    CHECK(r.rc == 1);
    CHECK(says(r, "FAIL: 2 conns, 0 responses, 0 status ok, 2 errors"));
    CHECK(says(r, ": connect 127.0.0.1:" + dead.port() + ": Connection refused"));
}

TEST_CASE("http --until-closed counts the server's closes, checks every response") {
    const FakeHttp fin(Server::fin_after);
    auto r = http(fin.port(), {"--conns", "10", "--until-closed"});
    CHECK(r.rc == 0);
    CHECK(says(r, "http: 10 conns, 70 responses, 70 status ok, 0 errors"));
    CHECK(says(r, "ended by the server: 10 EOF, 0 reset (0 mid-response), 0 refused"));
    CHECK(http(fin.port(), {"--until-closed", "--min-responses", "71"}).rc == 1);

    const FakeHttp rst(Server::rst_after);
    r = http(rst.port(), {"--conns", "10", "--until-closed", "--pipeline", "3"});
    CHECK(r.rc == 0);
    CHECK(says(r, "http: 10 conns, 70 responses, 70 status ok, 0 errors"));
    CHECK(says(r, "0 EOF, 10 reset (10 mid-response)"));

    // Refused connections are counted too; the run then has no responses.
    const DeadPort dead;
    r = http(dead.port(), {"--conns", "3", "--until-closed"});
    CHECK(r.rc == 0);
    CHECK(says(r, "0 responses, 0 status ok, 0 errors"));
    CHECK(says(r, "3 refused"));

    // A malformed or mismatched response is still an error.
    const FakeHttp bad(Server::bad_after);
    r = http(bad.port(), {"--conns", "2", "--until-closed"});
    CHECK(r.rc == 1);
    CHECK(says(r, ": response 8: a line ends in a bare LF"));
    CHECK(http(fin.port(), {"--until-closed", "--status", "404"}).rc == 1);
}

TEST_CASE("http never hangs: --timeout bounds every mode") {
    const FakeHttp s(Server::honest);
    auto r = http(s.port(), {"--conns", "3", "--until-closed", "--timeout", "1"});
    CHECK(r.rc == 1);
    CHECK(says(r, "timed out after 1 s"));
    CHECK(says(r, "conn 0: still running at the timeout: "));
    r = http(s.port(), {"--hold-ms", "3000", "--timeout", "1"});
    CHECK(r.rc == 1);
    CHECK(says(r, "timed out after 1 s"));
}

TEST_CASE("http refuses bad options") {
    for (const Argv& bad :
         {Argv{"--until-closed", "--requests", "3"}, Argv{"--pipeline", "0"},
          Argv{"--status", "42"}, Argv{"--until-closed", "1"}, Argv{"--path", "/a\r\nX: y"}}) {
        Argv a{"--port", "1"};
        a.insert(a.end(), bad.begin(), bad.end());
        CHECK_THROWS_AS(cmd_http(a), std::invalid_argument);
    }
}
