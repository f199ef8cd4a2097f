// kecho's chat mode, seen from the clients: every framed message one client
// sends reaches every other client in the room (and its sender with
// chat_echo=1), whole, byte-exact, in each sender's order.
//
// A chat message's body names itself: sender id (4 bytes, little-endian),
// sequence number (4), the run's tag (4, from the seed), then a payload
// that follows from (seed, sender, sequence) alone, as does the body's size
// (12..max_size, the edges and small sizes drawn often). A receiver can so
// check every message it gets without knowing what was sent when: which
// sender, which of its messages, whether it is exact, and whether it is the
// one that sender's order calls for (ChatReceiver).
#pragma once

#include "msg_frame.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

// Sender id, sequence number and run tag.
inline constexpr std::size_t kChatIdSize = 12;

struct ChatPlan {
    std::uint64_t seed = 1;
    std::size_t max_size = 1024; // body bytes, at least kChatIdSize
    ByteOrder order = ByteOrder::big;

    [[nodiscard]] std::uint32_t tag() const;
    [[nodiscard]] std::size_t size_of(std::uint32_t sender, std::uint32_t seq) const;
    [[nodiscard]] std::vector<std::uint8_t> body(std::uint32_t sender, std::uint32_t seq) const;
    // Header + body.
    [[nodiscard]] std::vector<std::uint8_t> framed(std::uint32_t sender, std::uint32_t seq) const;
};

// What one receiver may get from one sender.
enum class FromRule {
    none,    // nothing at all (its own messages without chat_echo, strangers)
    all,     // a run that starts at message 0 (every message, checked at the end)
    any_run, // a contiguous in-order run starting anywhere (joined mid-stream)
};

// One receiving connection's checker. feed() whatever arrived, in pieces
// of any size; each complete message is checked at once: the first
// violation stops it (why() says which message, from whom and what is
// wrong). A gap in a sender's sequence numbers is a lost (or reordered)
// message, a number already seen a duplicate (or reordered), a wrong length
// or byte a truncated or corrupted one.
class ChatReceiver {
  public:
    // rule(sender) says what this receiver may get from that sender.
    using Rule = std::function<FromRule(std::uint32_t sender)>;
    // Called for each message that passed (e.g. to count deliveries).
    using OnMessage = std::function<void(std::uint32_t sender, std::uint32_t seq)>;

    ChatReceiver(const ChatPlan& plan, std::string name, Rule rule, OnMessage on_message = {});

    bool feed(std::span<const std::uint8_t> got);

    [[nodiscard]] bool failed() const { return !why_.empty(); }
    [[nodiscard]] const std::string& why() const { return why_; }
    // Messages that passed, in all.
    [[nodiscard]] std::uint64_t messages() const { return messages_; }
    [[nodiscard]] std::uint64_t bytes() const { return bytes_; }
    // True while part of a message is buffered (a stream cut mid-message).
    [[nodiscard]] bool mid_message() const { return !partial_.empty(); }
    [[nodiscard]] std::size_t partial_bytes() const { return partial_.size(); }

    struct Run {
        std::uint32_t first = 0;
        std::uint32_t count = 0;
    };
    // The run received from `sender` (count 0: nothing).
    [[nodiscard]] Run from(std::uint32_t sender) const;
    [[nodiscard]] std::size_t senders_heard() const { return runs_.size(); }

    // End-of-run check: from `sender`, exactly messages 0..count-1 (exact
    // true), or a run starting at 0 of at most `count` (exact false). Sets
    // why() and returns false otherwise.
    bool expect_from(std::uint32_t sender, std::uint32_t count, bool exact);
    // End-of-run check for a run that may have started anywhere: from
    // `sender` a run that includes message `first_max` (or starts before
    // it) and ends exactly at `end` - 1 (its last message).
    bool expect_tail(std::uint32_t sender, std::uint32_t first_max, std::uint32_t end);
    // Where the stream stands, for a report on a stall or an early end.
    [[nodiscard]] std::string position() const;

  private:
    bool check_frame(std::span<const std::uint8_t> frame);
    bool violation(const std::string& why);

    ChatPlan plan_;
    std::string name_;
    Rule rule_;
    OnMessage on_message_;
    std::vector<std::uint8_t> partial_;
    std::map<std::uint32_t, Run> runs_;
    std::uint64_t messages_ = 0;
    std::uint64_t bytes_ = 0;
    std::string why_;
};

// Reads a counter of kecho's stats file ("key value" lines, normally
// /proc/net/kecho; the client's tests point it at a fake relay's).
std::optional<std::uint64_t> stats_counter(const std::string& path, const std::string& key);

} // namespace kecho::testclient
