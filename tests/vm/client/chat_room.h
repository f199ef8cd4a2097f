// The chat subcommands' machinery: many non-blocking connections to one
// chat server in one epoll loop, each with what it still has to write and,
// unless it never reads, a ChatReceiver checking everything it gets.
#pragma once

#include "chat_check.h"
#include "epoll.h"
#include "net.h"
#include "unique_fd.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kecho::testclient {

struct ChatConn {
    std::uint32_t id = 0;
    std::size_t slot = 0; // epoll tag
    UniqueFd fd;
    std::unique_ptr<ChatReceiver> rx; // null: a client that never reads
    std::vector<std::uint8_t> out;
    std::size_t out_off = 0;
    std::uint32_t sent = 0; // messages queued so far (the next sequence number)
    bool connected = false;
    bool shut = false;   // SHUT_WR sent
    bool ended = false;  // EOF or an error seen (or closed by us)
    bool eof = false;    // ended by EOF
    bool closed = false; // closed by us
    int error = 0;       // errno it ended with
    std::string where;   // what it was doing when it ended (recv, send)
    Clock::time_point ended_at{};

    [[nodiscard]] bool failed() const { return rx && rx->failed(); }
    [[nodiscard]] std::size_t unsent() const { return out.size() - out_off; }
    // "EOF", "Connection reset by peer" ...
    [[nodiscard]] std::string end_text() const;
};

class ChatLoop {
  public:
    ChatLoop(Endpoint ep, ChatPlan plan) : ep_(std::move(ep)), plan_(plan) {}

    [[nodiscard]] const ChatPlan& plan() const { return plan_; }

    // A new connection (connect started). rule == nullopt: it never reads.
    // rcvbuf > 0: its receive buffer, set before connecting.
    ChatConn& connect(std::uint32_t id, std::optional<ChatReceiver::Rule> rule,
                      ChatReceiver::OnMessage on_message = {}, int rcvbuf = 0);

    // Queues message `seq` of the connection's id (c.sent becomes seq + 1),
    // or raw bytes, and writes what it can.
    void send_msg(ChatConn& c, std::uint32_t seq);
    static void send_bytes(ChatConn& c, std::span<const std::uint8_t> bytes);
    static void shut_write(ChatConn& c);
    // Closes at once: with an RST (SO_LINGER 0) or a plain close().
    void close_now(ChatConn& c, bool rst);

    // One round of events (up to ms); true if anything happened.
    bool poll(int ms);
    // Polls until done() (true), or nothing happened for `idle` (false).
    bool run_until(const std::function<bool()>& done, std::chrono::seconds idle,
                   const std::function<void()>& each_round = {});

    [[nodiscard]] std::deque<std::unique_ptr<ChatConn>>& conns() { return conns_; }
    // The first connection whose checker failed, or nullptr.
    [[nodiscard]] const ChatConn* first_failure() const;

  private:
    static bool service(ChatConn& c, std::uint32_t events);
    static bool flush(ChatConn& c);
    static void end(ChatConn& c, int err, const char* where);

    Endpoint ep_;
    ChatPlan plan_;
    Epoll poller_;
    std::deque<std::unique_ptr<ChatConn>> conns_;
};

// Polls the loop until the stats file's chat_clients reaches `want`; false
// (and *seen the last value) when it did not within `limit`.
bool wait_chat_clients(ChatLoop& loop, const std::string& stats, std::uint64_t want,
                       std::chrono::seconds limit, std::uint64_t* seen);

// The hello barrier: afterwards every client in `clients` is in the room
// and has heard every other (itself too with echo). Each sends a hello
// (its next message); once chat_clients reaches `room` (a join kecho
// counted for each; waited for up to half of `timeout`) one hello each is
// enough. If it does not (others leaving meanwhile inflate the count), or
// a hello went missing because its receiver was not in the room yet, the
// clients that have not heard everyone send another hello every 500 ms
// (1 ms per client if that is longer), and a client that has heard
// everyone sends one last hello (it then knows every other is in the
// room, so that one reaches all). So a receiver gets from each sender a
// run of hellos ending with that sender's last (c.sent after this).
// False (why in *why) on a stall for `timeout` or a failed checker.
bool hello_barrier(ChatLoop& loop, const std::vector<ChatConn*>& clients, bool echo,
                   const std::string& stats, std::uint64_t room, std::chrono::seconds timeout,
                   std::string* why);

// The common chat options: --stats PATH (default /proc/net/kecho).
inline const char* const kDefaultStats = "/proc/net/kecho";

} // namespace kecho::testclient
