#include "uring_worker.h"

#include "error.h"
#include "uring_ring.h"

#include <arpa/inet.h>
#include <deque>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <vector>

namespace kecho {

namespace {

constexpr unsigned kRingEntries = 4096;
constexpr unsigned kBufCount = 4096; // provided buffers per worker (power of two)
constexpr unsigned kBufSize = 4096;
constexpr std::size_t kHighWater = 16; // queued buffers before a connection stops reading
constexpr std::size_t kSingleBuf = 16384;
constexpr uint16_t kGroup = 1;

enum Op : uint64_t { kAccept = 1, kRecv, kSend, kStop, kCancel };

uint64_t tag(Op op, int fd) {
    return (static_cast<uint64_t>(op) << 32) | static_cast<uint32_t>(fd);
}
Op op_of(uint64_t t) {
    return static_cast<Op>(t >> 32);
}
int fd_of(uint64_t t) {
    return static_cast<int>(t & 0xffffffffU);
}

struct Chunk {
    uint16_t bid;
    uint32_t len;
    uint32_t off;
};

struct Conn {
    UniqueFd fd;
    std::deque<Chunk> queue; // multishot: received buffers not yet echoed
    std::vector<char> buf;   // single-shot: the one receive buffer
    uint32_t buf_len = 0;
    uint32_t buf_off = 0;
    int in_flight = 0; // SQEs whose CQEs are still to come
    bool recv_armed = false;
    bool send_armed = false;
    bool cancel_sent = false;
    bool eof = false;
    bool closing = false;
};

class UringWorker {
  public:
    UringWorker(UniqueFd listener, int stop_fd, UringMode mode)
        : listener_(std::move(listener)), stop_fd_(stop_fd), mode_(mode), ring_(kRingEntries) {
        if (mode_ == UringMode::multishot)
            bufs_.emplace(ring_, kGroup, kBufCount, kBufSize);
        arm_accept();
        io_uring_sqe* s = ring_.sqe();
        io_uring_prep_poll_add(s, stop_fd_, POLLIN); // poll, not read: every worker must see it
        io_uring_sqe_set_data64(s, tag(kStop, stop_fd_));
    }

    void run() {
        while (!stopping_) {
            int r = io_uring_submit_and_wait(ring_.get(), 1);
            if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY)
                throw_errno(-r, "io_uring_submit_and_wait");
            io_uring_cqe* cqe = nullptr;
            unsigned head = 0;
            unsigned seen = 0;
            returned_ = false;
            io_uring_for_each_cqe(ring_.get(), head, cqe) {
                handle(*cqe);
                ++seen;
            }
            io_uring_cq_advance(ring_.get(), seen);
            if (returned_ && !starved_.empty())
                rearm_starved();
        }
    }

  private:
    Conn* conn(int fd) {
        auto i = static_cast<std::size_t>(fd);
        return i < conns_.size() ? conns_[i].get() : nullptr;
    }

    void arm_accept() {
        io_uring_sqe* s = ring_.sqe();
        if (mode_ == UringMode::multishot)
            io_uring_prep_multishot_accept(s, listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
        else
            io_uring_prep_accept(s, listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
        io_uring_sqe_set_data64(s, tag(kAccept, listener_.get()));
    }

    void arm_recv(int fd, Conn& c) {
        io_uring_sqe* s = ring_.sqe();
        if (mode_ == UringMode::multishot) {
            io_uring_prep_recv_multishot(s, fd, nullptr, 0, 0);
            s->flags |= IOSQE_BUFFER_SELECT;
            s->buf_group = kGroup;
        } else {
            io_uring_prep_recv(s, fd, c.buf.data(), c.buf.size(), 0);
        }
        io_uring_sqe_set_data64(s, tag(kRecv, fd));
        c.recv_armed = true;
        c.cancel_sent = false;
        ++c.in_flight;
    }

    void arm_send(int fd, Conn& c) {
        io_uring_sqe* s = ring_.sqe();
        if (mode_ == UringMode::multishot) {
            const Chunk& ch = c.queue.front();
            io_uring_prep_send(s, fd, bufs_->buffer(ch.bid) + ch.off, ch.len - ch.off,
                               MSG_NOSIGNAL);
        } else {
            io_uring_prep_send(s, fd, c.buf.data() + c.buf_off, c.buf_len - c.buf_off,
                               MSG_NOSIGNAL);
        }
        io_uring_sqe_set_data64(s, tag(kSend, fd));
        c.send_armed = true;
        ++c.in_flight;
    }

    void handle(const io_uring_cqe& cqe) {
        const uint64_t t = io_uring_cqe_get_data64(&cqe);
        switch (op_of(t)) {
        case kStop:
            stopping_ = true;
            break;
        case kAccept:
            on_accept(cqe);
            break;
        case kRecv:
            on_recv(fd_of(t), cqe);
            break;
        case kSend:
            on_send(fd_of(t), cqe);
            break;
        case kCancel:
            break;
        }
    }

    void on_accept(const io_uring_cqe& cqe) {
        if (cqe.res >= 0) {
            const int fd = cqe.res;
            auto c = std::make_unique<Conn>();
            c->fd.reset(fd);
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            if (mode_ == UringMode::single_shot)
                c->buf.resize(kSingleBuf);
            if (conns_.size() <= static_cast<std::size_t>(fd))
                conns_.resize(static_cast<std::size_t>(fd) + 1024);
            arm_recv(fd, *c);
            conns_[static_cast<std::size_t>(fd)] = std::move(c);
        }
        // Errors (EMFILE, ECONNABORTED...) concern one connection: keep accepting.
        if ((cqe.flags & IORING_CQE_F_MORE) == 0U)
            arm_accept();
    }

    void on_recv(int fd, const io_uring_cqe& cqe) {
        Conn* c = conn(fd);
        if (!c)
            return;
        const bool more = (cqe.flags & IORING_CQE_F_MORE) != 0U;
        if (!more) {
            c->recv_armed = false;
            --c->in_flight;
        }
        if (cqe.res > 0) {
            const auto n = static_cast<uint32_t>(cqe.res);
            if (mode_ == UringMode::multishot) {
                const auto bid = static_cast<uint16_t>(cqe.flags >> IORING_CQE_BUFFER_SHIFT);
                if (c->closing) {
                    give_back(bid);
                } else {
                    c->queue.push_back({bid, n, 0});
                    if (!c->send_armed)
                        arm_send(fd, *c);
                    if (c->queue.size() >= kHighWater && c->recv_armed && !c->cancel_sent)
                        cancel_recv(fd, *c);
                }
            } else if (!c->closing) {
                c->buf_len = n;
                c->buf_off = 0;
                arm_send(fd, *c);
            }
        } else if (cqe.res == 0) {
            c->eof = true;
        } else if (cqe.res == -ENOBUFS) {
            starved_.push_back(fd);
        } else if (cqe.res != -ECANCELED) {
            fail(*c);
        }
        maybe_rearm_recv(fd, *c, cqe.res == -ENOBUFS);
        finish(fd, *c);
    }

    void on_send(int fd, const io_uring_cqe& cqe) {
        Conn* c = conn(fd);
        if (!c)
            return;
        c->send_armed = false;
        --c->in_flight;
        if (cqe.res < 0) {
            fail(*c);
        } else if (!c->closing) {
            const auto n = static_cast<uint32_t>(cqe.res);
            if (mode_ == UringMode::multishot) {
                Chunk& ch = c->queue.front();
                ch.off += n;
                if (ch.off == ch.len) {
                    give_back(ch.bid);
                    c->queue.pop_front();
                }
                if (!c->queue.empty())
                    arm_send(fd, *c);
            } else {
                c->buf_off += n;
                if (c->buf_off < c->buf_len)
                    arm_send(fd, *c);
            }
            maybe_rearm_recv(fd, *c, false);
        }
        finish(fd, *c);
    }

    // Read again once there is room: single-shot after each echo, multishot
    // when it stopped (cancelled for backpressure, or a transient end).
    void maybe_rearm_recv(int fd, Conn& c, bool starved) {
        if (c.recv_armed || c.eof || c.closing || starved || c.send_armed)
            return;
        if (mode_ == UringMode::multishot && c.queue.size() >= kHighWater)
            return;
        arm_recv(fd, c);
    }

    void cancel_recv(int fd, Conn& c) {
        io_uring_sqe* s = ring_.sqe();
        io_uring_prep_cancel64(s, tag(kRecv, fd), 0);
        io_uring_sqe_set_data64(s, tag(kCancel, fd));
        c.cancel_sent = true;
    }

    void give_back(uint16_t bid) {
        bufs_->give_back(bid);
        returned_ = true;
    }

    void rearm_starved() {
        std::vector<int> list;
        list.swap(starved_);
        for (int fd : list)
            if (Conn* c = conn(fd))
                maybe_rearm_recv(fd, *c, false);
    }

    // An error on this connection: stop its I/O; it is freed once its last
    // CQE has arrived.
    void fail(Conn& c) {
        if (c.closing)
            return;
        c.closing = true;
        ::shutdown(c.fd.get(), SHUT_RDWR);
        if (mode_ == UringMode::multishot) {
            for (const Chunk& ch : c.queue)
                give_back(ch.bid);
            c.queue.clear();
        }
    }

    void finish(int fd, Conn& c) {
        const bool drained = mode_ == UringMode::multishot ? c.queue.empty() : !c.send_armed;
        if (c.eof && drained && !c.send_armed)
            fail(c); // orderly end: everything echoed
        if (c.closing && c.in_flight == 0)
            conns_[static_cast<std::size_t>(fd)].reset();
    }

    UniqueFd listener_;
    int stop_fd_;
    UringMode mode_;
    Ring ring_;
    std::optional<BufferRing> bufs_;
    std::vector<std::unique_ptr<Conn>> conns_;
    std::vector<int> starved_;
    bool stopping_ = false;
    bool returned_ = false;
};

bool wait_one(Ring& ring, io_uring_cqe** cqe) {
    __kernel_timespec ts{};
    ts.tv_sec = 1;
    return io_uring_wait_cqe_timeout(ring.get(), cqe, &ts) == 0;
}

} // namespace

UringMode probe_uring_mode() {
    try {
        Ring ring(8);
        BufferRing bufs(ring, 0, 8, 64);
        UniqueFd lfd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t alen = sizeof(a);
        if (!lfd || ::bind(lfd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0 ||
            ::listen(lfd.get(), 4) < 0 ||
            ::getsockname(lfd.get(), reinterpret_cast<sockaddr*>(&a), &alen) < 0)
            return UringMode::single_shot;
        io_uring_sqe* s = ring.sqe();
        io_uring_prep_multishot_accept(s, lfd.get(), nullptr, nullptr, SOCK_CLOEXEC);
        io_uring_submit(ring.get());
        UniqueFd cfd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (!cfd || ::connect(cfd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) < 0)
            return UringMode::single_shot;
        io_uring_cqe* cqe = nullptr;
        if (!wait_one(ring, &cqe))
            return UringMode::single_shot;
        const bool accept_ok = cqe->res >= 0 && ((cqe->flags & IORING_CQE_F_MORE) != 0U);
        UniqueFd sfd(cqe->res >= 0 ? cqe->res : -1);
        io_uring_cqe_seen(ring.get(), cqe);
        if (!accept_ok)
            return UringMode::single_shot;
        s = ring.sqe();
        io_uring_prep_recv_multishot(s, sfd.get(), nullptr, 0, 0);
        s->flags |= IOSQE_BUFFER_SELECT;
        s->buf_group = 0;
        io_uring_submit(ring.get());
        if (::send(cfd.get(), "x", 1, MSG_NOSIGNAL) != 1 || !wait_one(ring, &cqe))
            return UringMode::single_shot;
        const bool recv_ok = cqe->res == 1 && ((cqe->flags & IORING_CQE_F_MORE) != 0U) &&
                             ((cqe->flags & IORING_CQE_F_BUFFER) != 0U);
        io_uring_cqe_seen(ring.get(), cqe);
        return recv_ok ? UringMode::multishot : UringMode::single_shot;
    } catch (const std::system_error&) {
        return UringMode::single_shot;
    }
}

std::string to_string(UringMode m) {
    return m == UringMode::multishot
               ? "multishot accept + multishot recv with a provided buffer ring"
               : "single-shot accept + single-shot recv (multishot not supported or disabled)";
}

void run_uring_worker(UniqueFd listener, int stop_fd, UringMode mode) {
    UringWorker w(std::move(listener), stop_fd, mode);
    w.run();
}

} // namespace kecho
