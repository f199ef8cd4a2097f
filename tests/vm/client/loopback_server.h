// Test support: a TCP server on 127.0.0.1 (an ephemeral port) with a thread
// per connection running a given handler, and a way to run a subcommand
// exactly as the VM does, through its command line, with what it prints
// captured. The client's tests judge it against honest and faulty peers.
#pragma once

#include "commands.h"
#include "error.h"
#include "unique_fd.h"

#include <arpa/inet.h>
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <span>
#include <stop_token>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace kecho::testclient {

class LoopbackServer {
  public:
    // Runs in the connection's own thread; returns when it is done with it
    // or when the server stops (its stop_token says so).
    using Serve = std::function<void(UniqueFd, const std::stop_token&)>;

    explicit LoopbackServer(Serve serve, int backlog = 256)
        : serve_(std::move(serve)), listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(sin);
        auto* sa = reinterpret_cast<sockaddr*>(&sin);
        if (!listener_ || ::bind(listener_.get(), sa, len) != 0 ||
            ::listen(listener_.get(), backlog) != 0 ||
            ::getsockname(listener_.get(), sa, &len) != 0)
            throw_errno("test server");
        port_ = ntohs(sin.sin_port);
        acceptor_ = std::jthread([this](const std::stop_token& stop) { accept_loop(stop); });
    }
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;
    LoopbackServer(LoopbackServer&&) = delete;
    LoopbackServer& operator=(LoopbackServer&&) = delete;
    ~LoopbackServer() {
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
                serve_(std::move(f), st);
            });
        }
    }

    Serve serve_;
    UniqueFd listener_;
    std::uint16_t port_ = 0;
    std::mutex mutex_;
    std::vector<std::jthread> conns_;
    std::jthread acceptor_;
};

// A connection handler's read: what recv() returned once data (or EOF)
// came, or 0 once the server is stopping.
inline ssize_t recv_or_stop(int fd, std::span<std::uint8_t> buf, const std::stop_token& stop) {
    while (!stop.stop_requested()) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) > 0)
            return ::recv(fd, buf.data(), buf.size(), 0);
    }
    return 0;
}

struct CommandResult {
    int rc = -1;
    std::string out; // what the subcommand printed
};

// Runs a subcommand with its stdout captured, as main() would.
inline CommandResult run_captured(int (*cmd)(const Argv&), const std::string& name,
                                  const Argv& argv) {
    std::string path = "/tmp/kecho-testclient-test.XXXXXX";
    const UniqueFd tmp(::mkstemp(path.data()));
    REQUIRE(tmp);
    ::unlink(path.c_str());
    std::fflush(stdout);
    const UniqueFd saved(::dup(STDOUT_FILENO));
    ::dup2(tmp.get(), STDOUT_FILENO);
    CommandResult r;
    try {
        r.rc = cmd(argv);
    } catch (const std::exception& e) {
        std::printf("%s: FAIL: %s\n", name.c_str(), e.what()); // as main() does
        r.rc = 1;
    }
    std::fflush(stdout);
    ::dup2(saved.get(), STDOUT_FILENO);
    std::array<char, 4096> buf{};
    for (off_t off = 0;;) {
        const ssize_t n = ::pread(tmp.get(), buf.data(), buf.size(), off);
        if (n <= 0)
            break;
        r.out.append(buf.data(), static_cast<std::size_t>(n));
        off += n;
    }
    UNSCOPED_INFO(name << " printed: " << r.out);
    return r;
}

} // namespace kecho::testclient
