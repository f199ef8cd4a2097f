#include "epoll_worker.h"

#include "error.h"
#include "pending_buffer.h"
#include "unique_fd.h"

#include <array>
#include <fcntl.h>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <span>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <vector>

namespace kecho {

namespace {

constexpr std::size_t kBufSize = 16384;
constexpr int kReadsPerWakeup = 8; // fairness between busy connections

struct Conn {
    UniqueFd fd;
    PendingBuffer buf; // empty (no memory) unless the socket was full
};

class EpollWorker {
  public:
    EpollWorker(UniqueFd listener, int stop_fd)
        : listener_(std::move(listener)), epoll_(::epoll_create1(EPOLL_CLOEXEC)), stop_fd_(stop_fd),
          spare_(::open("/dev/null", O_RDONLY | O_CLOEXEC)) {
        if (!epoll_)
            throw_errno("epoll_create1");
        add(listener_.get(), EPOLLIN);
        add(stop_fd_, EPOLLIN);
    }

    void run() {
        std::array<epoll_event, 256> events{};
        for (;;) {
            int n = ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                throw_errno("epoll_wait");
            }
            for (int i = 0; i < n; ++i) {
                const int fd = events[i].data.fd;
                if (fd == stop_fd_)
                    return;
                if (fd == listener_.get())
                    accept_all();
                else
                    on_client(fd, events[i].events);
            }
        }
    }

  private:
    void add(int fd, uint32_t ev) {
        epoll_event e{};
        e.events = ev;
        e.data.fd = fd;
        if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &e) < 0)
            throw_errno("epoll_ctl add");
    }
    bool modify(int fd, uint32_t ev) {
        epoll_event e{};
        e.events = ev;
        e.data.fd = fd;
        return ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &e) == 0;
    }

    void accept_all() {
        for (;;) {
            int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED)
                    continue;
                if (errno == EMFILE || errno == ENFILE)
                    shed_one();
                return; // EAGAIN, or a resource error: try again on the next wake-up
            }
            auto conn = std::make_unique<Conn>();
            conn->fd.reset(fd);
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            epoll_event e{};
            e.events = EPOLLIN;
            e.data.fd = fd;
            if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &e) < 0)
                continue; // conn closes the socket
            if (conns_.size() <= static_cast<std::size_t>(fd))
                conns_.resize(static_cast<std::size_t>(fd) + 1024);
            conns_[static_cast<std::size_t>(fd)] = std::move(conn);
        }
    }

    // Out of descriptors: accept and drop one connection with the spare fd so
    // the level-triggered listener does not spin.
    void shed_one() {
        spare_.reset();
        UniqueFd victim(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        victim.reset();
        spare_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    }

    void close_conn(int fd) { conns_[static_cast<std::size_t>(fd)].reset(); }

    // Send as much of `data` as the socket takes now: the count sent, or -1
    // if the connection must close.
    static ssize_t send_some(int fd, std::span<const char> data) {
        std::size_t done = 0;
        while (done < data.size()) {
            const ssize_t w =
                ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                return -1;
            }
            done += static_cast<std::size_t>(w);
        }
        return static_cast<ssize_t>(done);
    }

    // Send what is pending; false if the connection must close.
    static bool flush(Conn& c) {
        const ssize_t w = send_some(c.fd.get(), c.buf.pending());
        if (w < 0)
            return false;
        c.buf.sent(static_cast<std::size_t>(w));
        return true;
    }

    void on_client(int fd, uint32_t events) {
        Conn& c = *conns_[static_cast<std::size_t>(fd)];
        if ((events & EPOLLERR) != 0U) {
            close_conn(fd);
            return;
        }
        if (!c.buf.empty()) { // EPOLLOUT: drain, then read again
            if (!flush(c)) {
                close_conn(fd);
                return;
            }
            if (!c.buf.empty())
                return;
            if (!modify(fd, EPOLLIN)) {
                close_conn(fd);
                return;
            }
        }
        for (int i = 0; i < kReadsPerWakeup; ++i) {
            const ssize_t r = ::recv(fd, scratch_.data(), scratch_.size(), MSG_DONTWAIT);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (r <= 0) { // EOF (nothing is pending when we read) or an error
                close_conn(fd);
                return;
            }
            const std::span<const char> got(scratch_.data(), static_cast<std::size_t>(r));
            const ssize_t w = send_some(fd, got);
            if (w < 0) {
                close_conn(fd);
                return;
            }
            if (w < r) { // socket full: keep the rest, wait for EPOLLOUT, stop reading
                c.buf.store(got.subspan(static_cast<std::size_t>(w)));
                if (!modify(fd, EPOLLOUT))
                    close_conn(fd);
                return;
            }
        }
    }

    UniqueFd listener_;
    UniqueFd epoll_;
    int stop_fd_;
    UniqueFd spare_;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::array<char, kBufSize> scratch_{}; // every read lands here first
};

} // namespace

void run_epoll_worker(UniqueFd listener, int stop_fd) {
    EpollWorker w(std::move(listener), stop_fd);
    w.run();
}

} // namespace kecho
