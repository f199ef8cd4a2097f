#include "chat_worker.h"

#include "chat_queue.h"
#include "error.h"
#include "unique_fd.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cinttypes>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace kecho {

namespace {

constexpr std::size_t kReadSize = 65536;
constexpr int kReadsPerWakeup = 8; // fairness between busy senders
constexpr std::size_t kIov = 64;   // messages per writev

// Messages one read completed, from one sender: handed as one piece to
// every worker.
struct Batch {
    std::vector<ChatMsg> msgs;
    uint64_t sender = 0; // the sending client's id
    uint64_t seq = 0;    // completion order; clients joined after it skip it
};
using BatchPtr = std::shared_ptr<const Batch>;

struct Inbox {
    std::mutex lock;
    std::vector<BatchPtr> items;
    UniqueFd wake{::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)};
};

} // namespace

class ChatRoom {
  public:
    ChatRoom(const ServerOptions& o, unsigned workers)
        : opts_(o), order_(o.msg_le ? MsgOrder::le : MsgOrder::be), inboxes_(workers) {
        for (const auto& in : inboxes_)
            if (!in.wake)
                throw_errno("eventfd");
    }
    ChatRoom(const ChatRoom&) = delete;
    ChatRoom& operator=(const ChatRoom&) = delete;
    ~ChatRoom() {
        std::fprintf(stderr,
                     "user-echo-server: chat: messages_in %" PRIu64 " chat_delivered %" PRIu64
                     " slow_dropped %" PRIu64 " oversize %" PRIu64 "\n",
                     messages_in.load(), delivered.load(), slow_dropped.load(), oversize.load());
    }

    unsigned join_worker() { return next_worker_.fetch_add(1); }
    [[nodiscard]] std::size_t workers() const noexcept { return inboxes_.size(); }
    Inbox& inbox(std::size_t i) { return inboxes_[i]; }
    uint64_t next_client_id() { return client_ids_.fetch_add(1) + 1; }
    uint64_t next_seq() { return seq_.fetch_add(1) + 1; }
    uint64_t current_seq() const { return seq_.load(); }

    const ServerOptions opts_;
    const MsgOrder order_;
    std::atomic<uint64_t> messages_in{0};
    std::atomic<uint64_t> delivered{0};
    std::atomic<uint64_t> slow_dropped{0};
    std::atomic<uint64_t> oversize{0};

  private:
    std::vector<Inbox> inboxes_;
    std::atomic<unsigned> next_worker_{0};
    std::atomic<uint64_t> client_ids_{0};
    std::atomic<uint64_t> seq_{0};
};

namespace {

struct Client {
    Client(UniqueFd f, uint64_t i, uint64_t j, const ServerOptions& o, MsgOrder order)
        : fd(std::move(f)), id(i), join_seq(j), parser(o.max_msg, order), queue(o.chat_queue) {}
    UniqueFd fd;
    uint64_t id;
    uint64_t join_seq;
    FrameParser parser;
    ChatQueue queue;
    bool want_out = false; // the socket was full: waiting for EPOLLOUT
    std::size_t slot = 0;  // index in members_
};

class ChatWorker {
  public:
    ChatWorker(ChatRoom& room, UniqueFd listener, int stop_fd)
        : room_(room), me_(room.join_worker()), listener_(std::move(listener)),
          epoll_(::epoll_create1(EPOLL_CLOEXEC)), stop_fd_(stop_fd),
          spare_(::open("/dev/null", O_RDONLY | O_CLOEXEC)), scratch_(kReadSize) {
        if (!epoll_)
            throw_errno("epoll_create1");
        if (me_ >= room_.workers())
            throw_errno(EINVAL, "chat: more workers than the room was made for");
        add(listener_.get(), EPOLLIN);
        add(stop_fd_, EPOLLIN);
        add(room_.inbox(me_).wake.get(), EPOLLIN);
    }
    ChatWorker(const ChatWorker&) = delete;
    ChatWorker& operator=(const ChatWorker&) = delete;
    ~ChatWorker() { flush_counters(); }

    void run() {
        std::array<epoll_event, 256> events{};
        const int wake = room_.inbox(me_).wake.get();
        for (;;) {
            const int n =
                ::epoll_wait(epoll_.get(), events.data(), static_cast<int>(events.size()), -1);
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
                else if (fd == wake)
                    drain_inbox();
                else if (client(fd) != nullptr)
                    on_client(*client(fd), events[i].events);
            }
            flush_counters();
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
    Client* client(int fd) {
        const auto i = static_cast<std::size_t>(fd);
        return i < clients_.size() ? clients_[i].get() : nullptr;
    }

    void accept_all() {
        for (;;) {
            const int fd =
                ::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED)
                    continue;
                if (errno == EMFILE || errno == ENFILE)
                    shed_one();
                return;
            }
            UniqueFd f(fd);
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            epoll_event e{};
            e.events = EPOLLIN;
            e.data.fd = fd;
            if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &e) < 0)
                continue;
            // Joined now: it gets what is completed from here on.
            auto c = std::make_unique<Client>(std::move(f), room_.next_client_id(),
                                              room_.current_seq(), room_.opts_, room_.order_);
            c->slot = members_.size();
            members_.push_back(c.get());
            if (clients_.size() <= static_cast<std::size_t>(fd))
                clients_.resize(static_cast<std::size_t>(fd) + 1024);
            clients_[static_cast<std::size_t>(fd)] = std::move(c);
        }
    }

    void shed_one() {
        spare_.reset();
        UniqueFd victim(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
        victim.reset();
        spare_.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    }

    // Leave the room and close: with a reset (SO_LINGER 0) when `rst`.
    void close_client(Client& c, bool rst) {
        if (rst) {
            const linger l{1, 0};
            ::setsockopt(c.fd.get(), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
        }
        Client* last = members_.back();
        last->slot = c.slot;
        members_[c.slot] = last;
        members_.pop_back();
        clients_[static_cast<std::size_t>(c.fd.get())].reset(); // frees its queue, closes
    }

    // Write what the socket takes; false if the client must close.
    bool flush(Client& c) {
        std::array<iovec, kIov> iov{};
        while (!c.queue.empty()) {
            const std::size_t n = c.queue.fill(iov);
            const ssize_t w = ::writev(c.fd.get(), iov.data(), static_cast<int>(n));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    break;
                return false;
            }
            delivered_ += c.queue.sent(static_cast<std::size_t>(w));
        }
        const bool full = !c.queue.empty();
        if (full != c.want_out) {
            if (!modify(c.fd.get(), full ? EPOLLIN | EPOLLOUT : EPOLLIN))
                return false;
            c.want_out = full;
        }
        return true;
    }

    // Queue a batch for every client of this worker that should get it, then
    // write each one's queue.
    void deliver(const Batch& b) {
        const bool echo = room_.opts_.chat_echo;
        dropped_.clear();
        for (Client* c : members_) {
            if ((c->id == b.sender && !echo) || b.seq <= c->join_seq)
                continue;
            const bool queued = std::all_of(b.msgs.begin(), b.msgs.end(),
                                            [c](const ChatMsg& m) { return c->queue.push(m); });
            if (!queued) {
                ++slow_dropped_;
                dropped_.push_back(c);
                continue;
            }
            if (!c->want_out && !flush(*c))
                dropped_.push_back(c);
        }
        for (Client* c : dropped_)
            close_client(*c, true);
    }

    void publish(std::vector<ChatMsg>&& msgs, uint64_t sender) {
        auto b = std::make_shared<Batch>();
        b->msgs = std::move(msgs);
        b->sender = sender;
        b->seq = room_.next_seq();
        messages_in_ += b->msgs.size();
        for (std::size_t w = 0; w < room_.workers(); ++w) {
            if (w == me_)
                continue;
            Inbox& in = room_.inbox(w);
            bool was_empty = false;
            {
                std::lock_guard g(in.lock);
                was_empty = in.items.empty();
                in.items.push_back(b);
            }
            if (was_empty) {
                const uint64_t one = 1;
                [[maybe_unused]] const ssize_t r = ::write(in.wake.get(), &one, sizeof(one));
            }
        }
        deliver(*b);
    }

    void drain_inbox() {
        Inbox& in = room_.inbox(me_);
        uint64_t v = 0;
        [[maybe_unused]] const ssize_t r = ::read(in.wake.get(), &v, sizeof(v));
        {
            std::lock_guard g(in.lock);
            taken_.swap(in.items);
        }
        for (const BatchPtr& b : taken_)
            deliver(*b);
        taken_.clear();
    }

    void on_client(Client& c, uint32_t events) {
        if ((events & EPOLLERR) != 0U) {
            close_client(c, false);
            return;
        }
        if ((events & EPOLLOUT) != 0U && c.want_out && !flush(c)) {
            close_client(c, false);
            return;
        }
        if ((events & (EPOLLIN | EPOLLHUP)) == 0U)
            return;
        const uint64_t id = c.id;
        for (int i = 0; i < kReadsPerWakeup; ++i) {
            const ssize_t r = ::recv(c.fd.get(), scratch_.data(), scratch_.size(), MSG_DONTWAIT);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            if (r <= 0) { // FIN (leaves; what is queued for it goes) or an error
                close_client(c, false);
                return;
            }
            std::vector<ChatMsg> msgs;
            const bool ok = c.parser.feed(
                std::span<const std::byte>(scratch_.data(), static_cast<std::size_t>(r)), msgs);
            const int fd = c.fd.get();
            if (!msgs.empty())
                publish(std::move(msgs), id); // may drop c itself (chat_echo)
            if (client(fd) == nullptr || client(fd)->id != id)
                return;
            if (!ok) {
                ++oversize_;
                close_client(c, true);
                return;
            }
        }
    }

    // Per-worker counts go to the room's atomics once per epoll round.
    void flush_counters() {
        if (delivered_ != 0U)
            room_.delivered.fetch_add(delivered_, std::memory_order_relaxed);
        if (messages_in_ != 0U)
            room_.messages_in.fetch_add(messages_in_, std::memory_order_relaxed);
        if (slow_dropped_ != 0U)
            room_.slow_dropped.fetch_add(slow_dropped_, std::memory_order_relaxed);
        if (oversize_ != 0U)
            room_.oversize.fetch_add(oversize_, std::memory_order_relaxed);
        delivered_ = messages_in_ = slow_dropped_ = oversize_ = 0;
    }

    ChatRoom& room_;
    unsigned me_;
    UniqueFd listener_;
    UniqueFd epoll_;
    int stop_fd_;
    UniqueFd spare_;
    std::vector<std::unique_ptr<Client>> clients_; // by fd
    std::vector<Client*> members_;                 // this worker's part of the room
    std::vector<Client*> dropped_;
    std::vector<BatchPtr> taken_;
    std::vector<std::byte> scratch_;
    uint64_t delivered_ = 0;
    uint64_t messages_in_ = 0;
    uint64_t slow_dropped_ = 0;
    uint64_t oversize_ = 0;
};

} // namespace

WorkerFn make_chat_worker(const ServerOptions& opts, unsigned workers) {
    auto room = std::make_shared<ChatRoom>(opts, workers);
    return [room](UniqueFd listener, int stop_fd) {
        ChatWorker w(*room, std::move(listener), stop_fd);
        w.run();
    };
}

} // namespace kecho
