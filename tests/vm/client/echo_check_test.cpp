// The client's byte checks against a deliberately faulty peer: payload,
// halfclose and chaos must fail when a loopback server flips a byte, drops
// one or sends one extra, and pass against an honest echo. The subcommands
// run exactly as in the VM, through their command lines, on the port of a
// server thread in this process.
#include "commands.h"
#include "error.h"
#include "unique_fd.h"

#include <arpa/inet.h>
#include <array>
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using kecho::UniqueFd;
using kecho::testclient::Argv;
using kecho::testclient::cmd_chaos;
using kecho::testclient::cmd_halfclose;
using kecho::testclient::cmd_payload;

namespace {

enum class Fault { none, flip, drop, extra };

// Byte offset (in each connection's stream) the fault hits: inside every
// message the tests send (chaos messages are at least 32 bytes).
constexpr std::size_t kFaultAt = 20;

// An echo server on 127.0.0.1 (ephemeral port), a thread per connection,
// that damages each connection's stream once, at kFaultAt.
class FaultyEcho {
  public:
    explicit FaultyEcho(Fault fault) : fault_(fault), listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(sin);
        auto* sa = reinterpret_cast<sockaddr*>(&sin);
        if (!listener_ || ::bind(listener_.get(), sa, len) != 0 ||
            ::listen(listener_.get(), 128) != 0 || ::getsockname(listener_.get(), sa, &len) != 0)
            kecho::throw_errno("test server");
        port_ = ntohs(sin.sin_port);
        acceptor_ = std::jthread([this](const std::stop_token& stop) { accept_loop(stop); });
    }
    FaultyEcho(const FaultyEcho&) = delete;
    FaultyEcho& operator=(const FaultyEcho&) = delete;
    FaultyEcho(FaultyEcho&&) = delete;
    FaultyEcho& operator=(FaultyEcho&&) = delete;
    ~FaultyEcho() {
        acceptor_.request_stop();
        acceptor_.join();
        const std::scoped_lock lock(mutex_);
        for (auto& t : conns_)
            t.request_stop();
        conns_.clear(); // joins
    }

    [[nodiscard]] std::string port() const { return std::to_string(port_); }

  private:
    void accept_loop(const std::stop_token& stop) {
        while (!stop.stop_requested()) {
            pollfd p{listener_.get(), POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (!fd)
                continue;
            const std::scoped_lock lock(mutex_);
            conns_.emplace_back([this, f = std::move(fd)](const std::stop_token& st) mutable {
                serve(std::move(f), st);
            });
        }
    }

    void serve(UniqueFd fd, const std::stop_token& stop) const {
        std::array<std::uint8_t, 4096> buf{};
        std::size_t offset = 0; // stream offset of buf[0]
        while (!stop.stop_requested()) {
            pollfd p{fd.get(), POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0)
                continue;
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n <= 0)
                break;
            std::vector<std::uint8_t> out(buf.begin(), buf.begin() + n);
            if (offset <= kFaultAt && kFaultAt < offset + out.size()) {
                const auto at = static_cast<std::ptrdiff_t>(kFaultAt - offset);
                switch (fault_) {
                case Fault::flip:
                    out[static_cast<std::size_t>(at)] ^= 0x20;
                    break;
                case Fault::drop:
                    out.erase(out.begin() + at);
                    break;
                case Fault::extra:
                    out.insert(out.begin() + at + 1, 0x55);
                    break;
                case Fault::none:
                    break;
                }
            }
            offset += static_cast<std::size_t>(n);
            if (::send(fd.get(), out.data(), out.size(), MSG_NOSIGNAL) !=
                static_cast<ssize_t>(out.size()))
                break;
        }
        ::shutdown(fd.get(), SHUT_WR); // the client's EOF: close our side too
    }

    Fault fault_;
    UniqueFd listener_;
    std::uint16_t port_ = 0;
    std::mutex mutex_;
    std::vector<std::jthread> conns_;
    std::jthread acceptor_;
};

struct Result {
    int rc = -1;
    std::string out; // what the subcommand printed
};

using Subcommand = int (*)(const Argv&);

// Runs a subcommand with its stdout captured.
Result run(Subcommand cmd, const std::string& name, const Argv& argv) {
    std::string path = "/tmp/echo_check_test.XXXXXX";
    const UniqueFd tmp(::mkstemp(path.data()));
    REQUIRE(tmp);
    ::unlink(path.c_str());
    std::fflush(stdout);
    const UniqueFd saved(::dup(STDOUT_FILENO));
    ::dup2(tmp.get(), STDOUT_FILENO);
    Result r;
    try {
        r.rc = cmd(argv);
    } catch (const std::exception& e) {
        std::printf("%s: FAIL: %s\n", name.c_str(), e.what()); // as main() does
        r.rc = 1;
    }
    std::fflush(stdout);
    ::dup2(saved.get(), STDOUT_FILENO);
    std::string text;
    std::array<char, 4096> buf{};
    for (off_t off = 0;;) {
        const ssize_t n = ::pread(tmp.get(), buf.data(), buf.size(), off);
        if (n <= 0)
            break;
        text.append(buf.data(), static_cast<std::size_t>(n));
        off += n;
    }
    r.out = text;
    UNSCOPED_INFO(name << " printed: " << r.out);
    return r;
}

Result payload(const FaultyEcho& s) {
    return run(cmd_payload, "payload", {"--port", s.port(), "--size", "100000", "--timeout", "2"});
}
Result halfclose(const FaultyEcho& s) {
    return run(cmd_halfclose, "halfclose",
               {"--port", s.port(), "--size", "100000", "--timeout", "2"});
}
Result chaos(const FaultyEcho& s) {
    return run(cmd_chaos, "chaos",
               {"--port", s.port(), "--clients", "12", "--parallel", "4", "--mix", "good=2,slow=1",
                "--size", "4k", "--slow-size", "2k", "--timeout", "2"});
}

bool has(const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
}

} // namespace

TEST_CASE("an honest echo passes payload, halfclose and chaos") {
    const FaultyEcho honest(Fault::none);
    CHECK(payload(honest).rc == 0);
    CHECK(halfclose(honest).rc == 0);
    const Result c = chaos(honest);
    CHECK(c.rc == 0);
    CHECK(has(c.out, "12 well-behaved clients echoed exactly"));
}

TEST_CASE("a flipped byte fails every check, as a mismatch at its offset") {
    const FaultyEcho flip(Fault::flip);
    const std::string at = "byte " + std::to_string(kFaultAt) + ": got 0x";
    for (const Result& r : {payload(flip), halfclose(flip), chaos(flip)}) {
        CHECK(r.rc == 1);
        CHECK(has(r.out, "FAIL"));
        CHECK(has(r.out, at));
        CHECK_FALSE(has(r.out, "echoed exactly"));
    }
}

TEST_CASE("a dropped byte fails every check") {
    const FaultyEcho drop(Fault::drop);
    // the bytes after it arrive shifted: a mismatch
    for (const Result& r : {payload(drop), halfclose(drop), chaos(drop)}) {
        CHECK(r.rc == 1);
        CHECK(has(r.out, ": got 0x"));
        CHECK_FALSE(has(r.out, "echoed exactly"));
    }
}

TEST_CASE("an extra byte fails every check") {
    const FaultyEcho extra(Fault::extra);
    for (const Result& r : {payload(extra), halfclose(extra), chaos(extra)}) {
        CHECK(r.rc == 1);
        CHECK(has(r.out, "FAIL"));
        CHECK_FALSE(has(r.out, "echoed exactly"));
    }
}

TEST_CASE("bytes after a complete echo fail payload and chaos") {
    // Everything echoed exactly, then one byte more: only the check that
    // the server closes without sending more can see it.
    class Trailing {
      public:
        Trailing() : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
            sockaddr_in sin{};
            sin.sin_family = AF_INET;
            sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            socklen_t len = sizeof(sin);
            auto* sa = reinterpret_cast<sockaddr*>(&sin);
            if (!listener_ || ::bind(listener_.get(), sa, len) != 0 ||
                ::listen(listener_.get(), 128) != 0 ||
                ::getsockname(listener_.get(), sa, &len) != 0)
                kecho::throw_errno("test server");
            port_ = ntohs(sin.sin_port);
            thread_ = std::jthread([this](const std::stop_token& stop) { loop(stop); });
        }
        [[nodiscard]] std::string port() const { return std::to_string(port_); }

      private:
        // One connection at a time: echo until EOF, then send one byte more.
        void loop(const std::stop_token& stop) const {
            while (!stop.stop_requested()) {
                pollfd p{listener_.get(), POLLIN, 0};
                if (::poll(&p, 1, 50) <= 0)
                    continue;
                const UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
                std::array<std::uint8_t, 4096> buf{};
                for (ssize_t n = 0; fd && (n = ::recv(fd.get(), buf.data(), buf.size(), 0)) > 0;)
                    ::send(fd.get(), buf.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL);
                ::send(fd.get(), "!", 1, MSG_NOSIGNAL);
            }
        }
        UniqueFd listener_;
        std::uint16_t port_ = 0;
        std::jthread thread_;
    };
    const Trailing trailing;
    const Result p = run(cmd_payload, "payload", {"--port", trailing.port(), "--size", "5000"});
    CHECK(p.rc == 1);
    CHECK(has(p.out, "1 bytes more than sent came back after the echo"));
    const Result c = run(cmd_chaos, "chaos",
                         {"--port", trailing.port(), "--clients", "3", "--parallel", "1", "--size",
                          "2k", "--timeout", "2"});
    CHECK(c.rc == 1);
    CHECK(has(c.out, "bytes more than sent came back after the echo"));
}
