// Test support: an in-process chat relay speaking kecho's chat protocol
// (4-byte length + body; every complete message to every other member, to
// the sender too with echo; an outbound queue per member bounded by
// `queue` bytes, each message charged 4 + body + 32, a member past it
// reset; a FIN leaves the room at once; an oversize header resets), with a
// stats file like /proc/net/kecho's chat lines. Told to, it misbehaves
// once, on the `fault_at`-th message of the first sender to reach it and
// for one receiver: loses, duplicates, reorders, truncates or corrupts that
// copy, echoes it to its sender, never drops a slow member, or hands a new
// member messages relayed before it joined. The chat subcommands must pass
// against the honest relay and fail against every fault.
#pragma once

#include "loopback_server.h"
#include "msg_frame.h"
#include "unique_fd.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace kecho::testclient {

enum class RelayFault {
    none,
    lose,
    duplicate,
    reorder,
    truncate,
    corrupt,
    echo_own,
    keep_slow,
    history
};

struct RelayConfig {
    ByteOrder order = ByteOrder::big;
    bool echo = false;
    std::size_t queue = 1 << 20;
    std::size_t max_msg = 65536;
    RelayFault fault = RelayFault::none;
    std::size_t fault_at = 40; // the sender's message number (counting from 0)
};

class FakeChatRelay {
  public:
    explicit FakeChatRelay(const RelayConfig& cfg)
        : cfg_(cfg), stats_path_(make_stats_path()),
          stats_writer_([this](const std::stop_token& st) {
              while (!st.stop_requested()) {
                  write_stats();
                  std::this_thread::sleep_for(std::chrono::milliseconds(5));
              }
          }),
          server_([this](UniqueFd fd, const std::stop_token& stop) { serve(std::move(fd), stop); },
                  2048) {
        // The first stats before anyone connects.
        while (::access(stats_path_.c_str(), R_OK) != 0 || std::ifstream(stats_path_).peek() == EOF)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    FakeChatRelay(const FakeChatRelay&) = delete;
    FakeChatRelay& operator=(const FakeChatRelay&) = delete;
    FakeChatRelay(FakeChatRelay&&) = delete;
    FakeChatRelay& operator=(FakeChatRelay&&) = delete;
    // The writer stops first: it renames a fresh stats file into place
    // every few milliseconds, and would bring back one unlinked before it.
    ~FakeChatRelay() {
        stats_writer_.request_stop();
        stats_writer_.join();
        ::unlink(stats_path_.c_str());
        ::unlink((stats_path_ + ".new").c_str());
    }

    [[nodiscard]] std::string port() const { return server_.port(); }
    [[nodiscard]] const std::string& stats() const { return stats_path_; }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

  private:
    using Frame = std::shared_ptr<const std::vector<std::uint8_t>>;
    struct Member {
        int fd = -1;
        std::mutex mu;
        std::condition_variable_any cv;
        std::deque<Frame> q;
        std::size_t charged = 0;
        bool drop = false; // reset it (its own thread does)
        std::size_t frames_from = 0;
        Frame held; // RelayFault::reorder
        std::shared_ptr<Member> held_for;
    };

    static std::string make_stats_path() {
        std::string p = "/tmp/kecho-fake-chat-stats.XXXXXX";
        const UniqueFd fd(::mkstemp(p.data()));
        return p;
    }

    void write_stats() {
        const std::string tmp = stats_path_ + ".new";
        {
            std::ofstream out(tmp);
            out << "messages_in " << messages_in_ << "\nchat_clients " << clients_
                << "\nchat_delivered " << delivered_ << "\nslow_dropped " << dropped_
                << "\nqueued_bytes " << queued_ << "\n";
        }
        ::rename(tmp.c_str(), stats_path_.c_str());
    }

    static std::size_t cost(const Frame& f) { return f->size() + 32; }

    // Under room_mu_.
    void enqueue(const std::shared_ptr<Member>& m, const Frame& f) {
        const std::scoped_lock lock(m->mu);
        if (m->drop)
            return;
        if (m->charged + cost(f) > cfg_.queue && cfg_.fault != RelayFault::keep_slow) {
            m->drop = true;
            queued_ -= m->charged;
            m->charged = 0;
            m->q.clear();
            ++dropped_;
            return;
        }
        m->q.push_back(f);
        m->charged += cost(f);
        queued_ += cost(f);
        m->cv.notify_all();
    }

    void leave(const std::shared_ptr<Member>& m) {
        const std::scoped_lock room(room_mu_);
        const auto it = std::find(room_.begin(), room_.end(), m);
        if (it == room_.end())
            return;
        room_.erase(it);
        --clients_;
        const std::scoped_lock lock(m->mu);
        queued_ -= m->charged;
        m->charged = 0;
        m->q.clear();
        m->cv.notify_all();
    }

    void relay(const std::shared_ptr<Member>& from, std::vector<std::uint8_t> bytes) {
        ++messages_in_;
        const Frame f = std::make_shared<const std::vector<std::uint8_t>>(std::move(bytes));
        const std::scoped_lock room(room_mu_);
        const std::size_t k = from->frames_from++;
        std::shared_ptr<Member> victim;
        if (cfg_.fault != RelayFault::none && cfg_.fault != RelayFault::keep_slow &&
            cfg_.fault != RelayFault::history && k == cfg_.fault_at && !fault_done_.exchange(true))
            if (const auto it = std::find_if(room_.begin(), room_.end(),
                                             [&](const auto& m) { return m != from; });
                it != room_.end())
                victim = *it;
        if (cfg_.fault == RelayFault::history) {
            history_.push_back(f);
            if (history_.size() > 64)
                history_.pop_front();
        }
        for (const auto& m : room_) {
            if (m == from && !cfg_.echo && !(victim && cfg_.fault == RelayFault::echo_own))
                continue;
            if (m != victim) {
                enqueue(m, f);
                continue;
            }
            auto bad = std::make_shared<std::vector<std::uint8_t>>(*f);
            switch (cfg_.fault) {
            case RelayFault::lose:
                break;
            case RelayFault::duplicate:
                enqueue(m, f);
                enqueue(m, f);
                break;
            case RelayFault::reorder:
                from->held = f;
                from->held_for = m;
                break;
            case RelayFault::truncate:
                bad->pop_back();
                enqueue(m, bad);
                break;
            case RelayFault::corrupt:
                bad->back() ^= 0x40;
                enqueue(m, bad);
                break;
            default:
                enqueue(m, f);
            }
        }
        if (cfg_.fault == RelayFault::echo_own && victim)
            enqueue(from, f);
        if (from->held && k == cfg_.fault_at + 1) {
            enqueue(from->held_for, from->held);
            from->held.reset();
            from->held_for.reset();
        }
    }

    void writer(const std::shared_ptr<Member>& m, const std::stop_token& st) {
        for (;;) {
            Frame f;
            {
                std::unique_lock lock(m->mu);
                if (!m->cv.wait(lock, st, [&] { return !m->q.empty() || m->drop; }) || m->drop)
                    return;
                f = m->q.front();
            }
            std::size_t off = 0;
            while (off < f->size()) {
                if (st.stop_requested() || m->drop)
                    return;
                pollfd p{m->fd, POLLOUT, 0};
                if (::poll(&p, 1, 20) <= 0)
                    continue;
                const ssize_t n =
                    ::send(m->fd, f->data() + off, f->size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n < 0 && errno != EAGAIN)
                    return;
                off += n > 0 ? static_cast<std::size_t>(n) : 0;
            }
            const std::scoped_lock lock(m->mu);
            if (!m->q.empty() && m->q.front() == f) {
                m->q.pop_front();
                m->charged -= cost(f);
                queued_ -= cost(f);
                ++delivered_;
            }
        }
    }

    void serve(UniqueFd fd, const std::stop_token& stop) {
        auto m = std::make_shared<Member>();
        m->fd = fd.get();
        // A small send buffer: the queue, not the socket, must take the overflow.
        const int sndbuf = 16384;
        ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
        {
            const std::scoped_lock room(room_mu_);
            if (cfg_.fault == RelayFault::history)
                for (const auto& f : history_)
                    enqueue(m, f);
            room_.push_back(m);
            ++clients_;
        }
        std::jthread out([this, m](const std::stop_token& st) { writer(m, st); });
        std::vector<std::uint8_t> in;
        std::array<std::uint8_t, 65536> buf{};
        auto reset = [&] {
            leave(m);
            const linger lg{1, 0};
            ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        };
        while (!stop.stop_requested()) {
            bool reset_now = false;
            {
                const std::scoped_lock lock(m->mu);
                reset_now = m->drop;
            }
            if (reset_now) {
                reset();
                return; // out stops, then fd closes with an RST
            }
            pollfd p{fd.get(), POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0)
                continue;
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n <= 0) {
                leave(m);
                out.request_stop();
                out.join();
                if (n == 0)
                    ::shutdown(fd.get(), SHUT_WR);
                return;
            }
            in.insert(in.end(), buf.begin(), buf.begin() + n);
            std::size_t used = 0;
            while (in.size() - used >= kHeaderSize) {
                const std::uint32_t len = decode_length(
                    std::span<const std::uint8_t, kHeaderSize>(in.data() + used, kHeaderSize),
                    cfg_.order);
                if (len > cfg_.max_msg) {
                    reset();
                    return;
                }
                if (in.size() - used < kHeaderSize + len)
                    break;
                relay(m, std::vector<std::uint8_t>(
                             in.begin() + static_cast<std::ptrdiff_t>(used),
                             in.begin() + static_cast<std::ptrdiff_t>(used + kHeaderSize + len)));
                used += kHeaderSize + len;
            }
            in.erase(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(used));
        }
        leave(m);
    }

    RelayConfig cfg_;
    std::string stats_path_;
    std::mutex room_mu_;
    std::vector<std::shared_ptr<Member>> room_;
    std::deque<Frame> history_;
    std::atomic<bool> fault_done_{false};
    std::atomic<std::uint64_t> clients_{0};
    std::atomic<std::uint64_t> delivered_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> queued_{0};
    std::atomic<std::uint64_t> messages_in_{0};
    std::jthread stats_writer_;
    LoopbackServer server_; // last: its threads use everything above
};

} // namespace kecho::testclient
