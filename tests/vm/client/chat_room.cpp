#include "chat_room.h"

#include "error.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <thread>

namespace kecho::testclient {

std::string ChatConn::end_text() const {
    if (!ended)
        return "still open";
    if (closed)
        return "closed by the client";
    if (eof)
        return "EOF";
    return errno_message(error, where);
}

ChatConn& ChatLoop::connect(std::uint32_t id, std::optional<ChatReceiver::Rule> rule,
                            ChatReceiver::OnMessage on_message, int rcvbuf) {
    auto c = std::make_unique<ChatConn>();
    c->id = id;
    c->slot = conns_.size();
    if (rule)
        c->rx = std::make_unique<ChatReceiver>(plan_, "client " + std::to_string(id),
                                               std::move(*rule), std::move(on_message));
    UniqueFd fd(::socket(ep_.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd)
        throw_errno("socket");
    if (rcvbuf > 0 && ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) != 0)
        throw_errno("SO_RCVBUF");
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep_.addr), ep_.addr_len) != 0 &&
        errno != EINPROGRESS)
        throw_errno("connect " + ep_.describe());
    c->fd = std::move(fd);
    const std::uint32_t in = c->rx ? EPOLLIN | EPOLLRDHUP : 0U;
    poller_.add(c->fd.get(), in | EPOLLOUT | EPOLLET, c->slot);
    conns_.push_back(std::move(c));
    return *conns_.back();
}

void ChatLoop::end(ChatConn& c, int err, const char* where) {
    if (c.ended)
        return;
    c.ended = true;
    c.eof = err == 0;
    c.error = err;
    c.where = where;
    c.ended_at = Clock::now();
}

bool ChatLoop::flush(ChatConn& c) {
    bool progress = false;
    while (!c.ended && c.connected && c.out_off < c.out.size()) {
        const ssize_t n =
            ::send(c.fd.get(), c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                end(c, errno, "send");
            break;
        }
        c.out_off += static_cast<std::size_t>(n);
        progress = true;
    }
    if (c.out_off == c.out.size()) {
        c.out.clear();
        c.out_off = 0;
    }
    return progress;
}

void ChatLoop::send_msg(ChatConn& c, std::uint32_t seq) {
    const auto f = plan_.framed(c.id, seq);
    c.sent = seq + 1;
    send_bytes(c, f);
}

void ChatLoop::send_bytes(ChatConn& c, std::span<const std::uint8_t> bytes) {
    c.out.insert(c.out.end(), bytes.begin(), bytes.end());
    flush(c);
}

void ChatLoop::shut_write(ChatConn& c) {
    if (c.shut || c.ended)
        return;
    c.shut = true;
    if (::shutdown(c.fd.get(), SHUT_WR) != 0)
        end(c, errno, "shutdown");
}

void ChatLoop::close_now(ChatConn& c, bool rst) {
    if (c.closed)
        return;
    if (rst) {
        const linger lg{1, 0};
        ::setsockopt(c.fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    }
    poller_.remove(c.fd.get());
    c.fd.reset();
    end(c, 0, "close");
    c.closed = true;
}

bool ChatLoop::service(ChatConn& c, std::uint32_t events) {
    bool progress = false;
    if (!c.connected && has(events, EPOLLOUT | EPOLLIN) && !has(events, EPOLLERR)) {
        c.connected = true;
        progress = true;
    }
    if (c.rx) {
        std::array<std::uint8_t, 65536> buf{};
        while (!c.ended) {
            const ssize_t n = ::recv(c.fd.get(), buf.data(), buf.size(), 0);
            if (n == 0) {
                end(c, 0, "recv");
                progress = true;
                break;
            }
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno != EAGAIN) {
                    end(c, errno, c.connected ? "recv" : "connect");
                    progress = true;
                }
                break;
            }
            progress = true;
            if (!c.rx->feed(std::span(buf).first(static_cast<std::size_t>(n))))
                break;
        }
    } else if (has(events, EPOLLERR | EPOLLHUP)) {
        int err = 0;
        socklen_t len = sizeof(err);
        ::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        end(c, err, c.connected ? "socket" : "connect");
        progress = true;
    }
    if (has(events, EPOLLOUT))
        progress = flush(c) || progress;
    return progress;
}

bool ChatLoop::poll(int ms) {
    bool progress = false;
    for (const auto& ev : poller_.wait(ms, 1024)) {
        ChatConn& c = *conns_[ev.data.u64];
        if (c.closed)
            continue;
        progress = service(c, ev.events) || progress;
    }
    return progress;
}

bool ChatLoop::run_until(const std::function<bool()>& done, std::chrono::seconds idle,
                         const std::function<void()>& each_round) {
    auto last = Clock::now();
    for (;;) {
        if (done())
            return true;
        if (poll(20))
            last = Clock::now();
        if (each_round)
            each_round();
        if (first_failure() != nullptr)
            return false;
        if (Clock::now() - last > idle)
            return done();
    }
}

const ChatConn* ChatLoop::first_failure() const {
    const auto it = std::find_if(conns_.begin(), conns_.end(),
                                 [](const std::unique_ptr<ChatConn>& c) { return c->failed(); });
    return it == conns_.end() ? nullptr : it->get();
}

bool wait_chat_clients(ChatLoop& loop, const std::string& stats, std::uint64_t want,
                       std::chrono::seconds limit, std::uint64_t* seen) {
    const auto end = Clock::now() + limit;
    for (;;) {
        const auto n = stats_counter(stats, "chat_clients");
        if (seen != nullptr)
            *seen = n.value_or(0);
        if (n && *n >= want)
            return true;
        if (Clock::now() > end)
            return false;
        loop.poll(10);
    }
}

} // namespace kecho::testclient

namespace kecho::testclient {

bool hello_barrier(ChatLoop& loop, const std::vector<ChatConn*>& clients, bool echo,
                   const std::string& stats, std::uint64_t room, std::chrono::seconds timeout,
                   std::string* why) {
    auto heard_all = [&](const ChatConn* c) {
        return std::all_of(clients.begin(), clients.end(), [&](const ChatConn* s) {
            return (s == c && !echo) || c->rx->from(s->id).count > 0;
        });
    };
    auto everyone = [&] { return std::all_of(clients.begin(), clients.end(), heard_all); };
    std::uint64_t seen = 0;
    // (half the time allowed: a count inflated by others still leaving
    // never gets there, and the retries below do without it)
    const bool counted =
        wait_chat_clients(loop, stats, room, std::max(timeout / 2, std::chrono::seconds(1)), &seen);
    for (ChatConn* c : clients)
        loop.send_msg(*c, c->sent);
    if (counted && loop.run_until(everyone, std::chrono::seconds(2)))
        return true;
    // Retries: every 500 ms a hello from whoever has not heard everyone;
    // one last hello from each that has.
    std::vector<bool> last(clients.size(), false);
    auto round = Clock::now();
    auto retry = [&] {
        for (std::size_t i = 0; i < clients.size(); ++i)
            if (!last[i] && heard_all(clients[i])) {
                last[i] = true;
                loop.send_msg(*clients[i], clients[i]->sent);
            }
        // (at least 1 ms per client between rounds: each costs N x N copies)
        if (Clock::now() - round <
            std::max(std::chrono::milliseconds(500), std::chrono::milliseconds(clients.size())))
            return;
        round = Clock::now();
        for (std::size_t i = 0; i < clients.size(); ++i)
            if (!last[i] && !clients[i]->ended)
                loop.send_msg(*clients[i], clients[i]->sent);
    };
    // Retries make progress of their own: bound the whole barrier too.
    const auto deadline = Clock::now() + 2 * timeout;
    auto done = [&] {
        return everyone() && std::all_of(last.begin(), last.end(), [](bool b) { return b; });
    };
    const bool ok =
        loop.run_until([&] { return done() || Clock::now() > deadline; }, timeout, retry) && done();
    if (!ok && why != nullptr) {
        if (const ChatConn* f = loop.first_failure())
            *why = f->rx->why();
        else {
            *why = "hello barrier: chat_clients " + std::to_string(seen) + " (want " +
                   std::to_string(room) + ")";
            std::size_t shown = 0;
            for (const ChatConn* c : clients)
                if (!heard_all(c) && ++shown <= 3)
                    *why += "; client " + std::to_string(c->id) + " (" + c->end_text() +
                            ") heard " + std::to_string(c->rx->senders_heard()) + " of the others";
        }
    }
    return ok;
}

} // namespace kecho::testclient
