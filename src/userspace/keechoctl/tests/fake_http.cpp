#include "fake_http.h"

#include <array>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kecho::ctl::test {

FakeHttpServer::FakeHttpServer(std::string response)
    : response_(std::move(response)), listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(listener_);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sin);
    REQUIRE(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&sin), len) == 0);
    REQUIRE(::listen(listener_.get(), 16) == 0);
    REQUIRE(::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&sin), &len) == 0);
    port_ = ntohs(sin.sin_port);
    thread_ = std::thread([this] { run(); });
}

FakeHttpServer::~FakeHttpServer() {
    stop_ = true;
    thread_.join();
}

std::vector<std::string> FakeHttpServer::requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

void FakeHttpServer::run() {
    while (!stop_) {
        pollfd pfd{listener_.get(), POLLIN, 0};
        if (::poll(&pfd, 1, 50) <= 0)
            continue;
        UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        if (conn)
            serve(std::move(conn));
    }
}

void FakeHttpServer::serve(UniqueFd conn) {
    // The head, up to its blank line (1 s at most).
    std::string head;
    std::array<char, 1024> buf{};
    while (head.find("\r\n\r\n") == std::string::npos) {
        pollfd pfd{conn.get(), POLLIN, 0};
        if (::poll(&pfd, 1, 1000) <= 0)
            break;
        const ssize_t n = ::read(conn.get(), buf.data(), buf.size());
        if (n <= 0)
            break;
        head.append(buf.data(), static_cast<size_t>(n));
    }
    {
        const std::lock_guard lock(mutex_);
        requests_.push_back(head);
    }
    const FakeHttpBehavior what = behavior;
    if (what == FakeHttpBehavior::Reset) {
        const linger lg{1, 0}; // close() sends a RST
        ::setsockopt(conn.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        return;
    }
    if (what == FakeHttpBehavior::Respond || what == FakeHttpBehavior::RespondAndStay) {
        size_t done = 0;
        while (done < response_.size()) {
            const ssize_t n =
                ::send(conn.get(), response_.data() + done, response_.size() - done, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            done += static_cast<size_t>(n);
        }
    }
    if (what != FakeHttpBehavior::Respond)
        held_.push_back(std::move(conn));
}

} // namespace kecho::ctl::test
