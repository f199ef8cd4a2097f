#include "fake_relay.h"

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <iterator>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace kecho::ctl::test {

namespace {

using Clock = std::chrono::steady_clock;
using Bytes = std::vector<std::uint8_t>;

struct Client {
    UniqueFd fd;
    Clock::time_point joined;
    Bytes in;
};

std::uint32_t length_of(const Bytes& b, bool le) {
    std::uint32_t len = 0;
    for (size_t i = 0; i < 4; ++i)
        len |= static_cast<std::uint32_t>(b[i]) << (8 * (le ? i : 3 - i));
    return len;
}

Bytes frame(const Bytes& body, bool le) {
    Bytes out(4);
    const auto len = static_cast<std::uint32_t>(body.size());
    for (size_t i = 0; i < 4; ++i)
        out[i] = static_cast<std::uint8_t>(len >> (8 * (le ? i : 3 - i)));
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

// Blocking: the tests' clients read, and a failed write just loses the client.
void write_all(int fd, const Bytes& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n <= 0)
            return;
        done += static_cast<size_t>(n);
    }
}

} // namespace

FakeRelay::FakeRelay(FakeRelayOptions options)
    : options_(options), listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    REQUIRE(listener_);
    sockaddr_in sin{};
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&sin), sizeof(sin)) == 0);
    REQUIRE(::listen(listener_.get(), 16) == 0);
    socklen_t len = sizeof(sin);
    REQUIRE(::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&sin), &len) == 0);
    port_ = ntohs(sin.sin_port);
    std::array<int, 2> pipe_fds{};
    REQUIRE(::pipe2(pipe_fds.data(), O_CLOEXEC) == 0);
    stop_read_ = UniqueFd(pipe_fds[0]);
    stop_write_ = UniqueFd(pipe_fds[1]);
    thread_ = std::thread([this] { run(); });
}

FakeRelay::~FakeRelay() {
    const char byte = 0;
    [[maybe_unused]] const ssize_t n = ::write(stop_write_.get(), &byte, 1);
    thread_.join();
}

void FakeRelay::run() {
    const bool le = options_.little_endian;
    std::vector<Client> clients;
    Bytes buf(size_t{64} * 1024);
    for (;;) {
        std::vector<pollfd> pfds = {{stop_read_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
        std::transform(clients.begin(), clients.end(), std::back_inserter(pfds),
                       [](const Client& c) {
                           return pollfd{c.fd.get(), POLLIN, 0};
                       });
        if (::poll(pfds.data(), pfds.size(), -1) < 0)
            continue;
        if (pfds[0].revents != 0)
            return;
        if (pfds[1].revents != 0) {
            UniqueFd fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
            if (fd)
                clients.push_back({std::move(fd), Clock::now() + options_.join_delay, {}});
        }
        std::vector<size_t> gone;
        for (size_t i = 0; i + 2 < pfds.size(); ++i) {
            if (pfds[i + 2].revents == 0)
                continue;
            Client& c = clients[i];
            const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
            if (n <= 0) {
                gone.push_back(i);
                continue;
            }
            c.in.insert(c.in.end(), buf.begin(), buf.begin() + n);
            while (c.in.size() >= 4 && c.in.size() >= 4 + size_t{length_of(c.in, le)}) {
                const size_t size = 4 + size_t{length_of(c.in, le)};
                const Bytes msg(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(size));
                c.in.erase(c.in.begin(), c.in.begin() + static_cast<std::ptrdiff_t>(size));
                ++received_;
                if (!options_.relay)
                    continue;
                const auto now = Clock::now();
                for (size_t j = 0; j < clients.size(); ++j) {
                    if ((j == i && !options_.echo) || clients[j].joined > now)
                        continue;
                    if (options_.chatter) {
                        write_all(clients[j].fd.get(), frame(Bytes(100000, 'x'), le));
                        write_all(clients[j].fd.get(), frame({}, le));
                        Bytes other(msg.begin() + 4, msg.end());
                        if (!other.empty())
                            other.back() ^= 1;
                        write_all(clients[j].fd.get(), frame(other, le));
                    }
                    write_all(clients[j].fd.get(), msg);
                    ++delivered_;
                }
            }
        }
        // Last first, so the indexes still hold.
        for (; !gone.empty(); gone.pop_back())
            clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(gone.back()));
    }
}

} // namespace kecho::ctl::test
