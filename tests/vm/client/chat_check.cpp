#include "chat_check.h"

#include "payload.h"
#include "proc_stats.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>
#include <utility>

namespace kecho::testclient {

namespace {

// splitmix64: cheap enough to regenerate every payload a thousand
// receivers check.
std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t key(std::uint64_t seed, std::uint32_t sender, std::uint32_t seq) {
    return mix(seed ^ mix((static_cast<std::uint64_t>(sender) << 32) | seq));
}

void put32(std::uint8_t* p, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i)
        p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::uint32_t get32(const std::uint8_t* p) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i)
        v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
    return v;
}

std::string hex_byte(std::uint8_t got, std::uint8_t want) {
    std::array<char, 40> buf{};
    std::snprintf(buf.data(), buf.size(), "got 0x%02x, want 0x%02x", got, want);
    return buf.data();
}

} // namespace

std::uint32_t ChatPlan::tag() const {
    return static_cast<std::uint32_t>(mix(seed ^ 0x6368617474616721ULL));
}

std::size_t ChatPlan::size_of(std::uint32_t sender, std::uint32_t seq) const {
    const std::size_t lo = kChatIdSize;
    const std::size_t hi = std::max(max_size, lo);
    const std::uint64_t r = key(seed, sender, seq);
    const std::uint64_t span = hi - lo;
    switch (r % 16) {
    case 0:
        return lo;
    case 1:
        return hi;
    case 2:
    case 3:
    case 4: // small: many messages to a segment
        return lo + static_cast<std::size_t>((r >> 8) % std::min<std::uint64_t>(span + 1, 65));
    default:
        return lo + static_cast<std::size_t>((r >> 8) % (span + 1));
    }
}

std::vector<std::uint8_t> ChatPlan::body(std::uint32_t sender, std::uint32_t seq) const {
    std::vector<std::uint8_t> out(size_of(sender, seq));
    put32(out.data(), sender);
    put32(out.data() + 4, seq);
    put32(out.data() + 8, tag());
    std::uint64_t state = key(seed ^ 0x7061796c6f6164ULL, sender, seq);
    for (std::size_t i = kChatIdSize; i < out.size(); i += 8) {
        std::uint64_t v = mix(state++);
        for (std::size_t b = 0; b < 8 && i + b < out.size(); ++b, v >>= 8)
            out[i + b] = static_cast<std::uint8_t>(v);
    }
    return out;
}

std::vector<std::uint8_t> ChatPlan::framed(std::uint32_t sender, std::uint32_t seq) const {
    return frame(body(sender, seq), order);
}

ChatReceiver::ChatReceiver(const ChatPlan& plan, std::string name, Rule rule, OnMessage on_message)
    : plan_(plan), name_(std::move(name)), rule_(std::move(rule)),
      on_message_(std::move(on_message)) {}

bool ChatReceiver::violation(const std::string& why) {
    why_ = name_ + ": " + why + " (after " + std::to_string(messages_) + " good message(s))";
    return false;
}

bool ChatReceiver::feed(std::span<const std::uint8_t> got) {
    if (failed())
        return false;
    while (!got.empty()) {
        // Complete the header, then the body, of the message at hand.
        std::size_t need = kHeaderSize;
        if (partial_.size() >= kHeaderSize) {
            const std::uint32_t len =
                decode_length(std::span(partial_).first<kHeaderSize>(), plan_.order);
            need = kHeaderSize + len;
        }
        const std::size_t n = std::min(got.size(), need - partial_.size());
        partial_.insert(partial_.end(), got.begin(), got.begin() + static_cast<std::ptrdiff_t>(n));
        got = got.subspan(n);
        if (partial_.size() == kHeaderSize) {
            const std::uint32_t len =
                decode_length(std::span(partial_).first<kHeaderSize>(), plan_.order);
            if (len < kChatIdSize || len > std::max(plan_.max_size, kChatIdSize))
                return violation("a header announces " + std::to_string(len) +
                                 " bytes, but every message sent has " +
                                 std::to_string(kChatIdSize) + ".." +
                                 std::to_string(std::max(plan_.max_size, kChatIdSize)) +
                                 " (a truncated, corrupted or interleaved message before it?)");
            continue;
        }
        if (partial_.size() < kHeaderSize ||
            partial_.size() <
                kHeaderSize + decode_length(std::span(partial_).first<kHeaderSize>(), plan_.order))
            continue;
        if (!check_frame(partial_))
            return false;
        bytes_ += partial_.size();
        partial_.clear();
    }
    return true;
}

bool ChatReceiver::check_frame(std::span<const std::uint8_t> frame) {
    const auto body = frame.subspan(kHeaderSize);
    const std::uint32_t sender = get32(body.data());
    const std::uint32_t seq = get32(body.data() + 4);
    const std::uint32_t tag = get32(body.data() + 8);
    const std::string what =
        "message #" + std::to_string(seq) + " from sender " + std::to_string(sender);
    if (tag != plan_.tag())
        return violation("a " + std::to_string(body.size()) +
                         "-byte message not of this run (tag " + std::to_string(tag) + ", want " +
                         std::to_string(plan_.tag()) + "; it names sender " +
                         std::to_string(sender) + ", #" + std::to_string(seq) + ")");
    const FromRule rule = rule_(sender);
    if (rule == FromRule::none)
        return violation("got " + what + ", which it must not get");
    const std::size_t want_size = plan_.size_of(sender, seq);
    if (body.size() != want_size)
        return violation(what + " has a " + std::to_string(body.size()) + "-byte body, sent " +
                         std::to_string(want_size) + " (truncated or padded)");
    const auto want = plan_.body(sender, seq);
    if (auto off = first_mismatch(body, want))
        return violation(what + " differs at body byte " + std::to_string(*off) + " of " +
                         std::to_string(want.size()) + ": " + hex_byte(body[*off], want[*off]));
    auto it = runs_.find(sender);
    if (it == runs_.end()) {
        if (rule == FromRule::all && seq != 0)
            return violation("the first message from sender " + std::to_string(sender) + " is #" +
                             std::to_string(seq) + ": #0.." + std::to_string(seq - 1) +
                             " lost or out of order");
        runs_.emplace(sender, Run{seq, 1});
    } else {
        Run& r = it->second;
        const std::uint32_t next = r.first + r.count;
        if (seq < next)
            return violation(what + " again or out of order: #" + std::to_string(r.first) + "..#" +
                             std::to_string(next - 1) + " already received");
        if (seq > next)
            return violation(what + " after #" + std::to_string(next - 1) + ": #" +
                             std::to_string(next) +
                             (seq - next > 1 ? "..#" + std::to_string(seq - 1) : std::string()) +
                             " lost or out of order");
        ++r.count;
    }
    ++messages_;
    if (on_message_)
        on_message_(sender, seq);
    return true;
}

ChatReceiver::Run ChatReceiver::from(std::uint32_t sender) const {
    const auto it = runs_.find(sender);
    return it == runs_.end() ? Run{} : it->second;
}

bool ChatReceiver::expect_from(std::uint32_t sender, std::uint32_t count, bool exact) {
    if (failed())
        return false;
    const Run r = from(sender);
    if (r.count != 0 && r.first != 0)
        return violation("from sender " + std::to_string(sender) + " the run starts at #" +
                         std::to_string(r.first));
    if (r.count > count)
        return violation("from sender " + std::to_string(sender) + " " + std::to_string(r.count) +
                         " messages, more than the " + std::to_string(count) + " it sent");
    if (exact && r.count != count)
        return violation(
            "from sender " + std::to_string(sender) + " only #0.." +
            (r.count == 0 ? std::string("(none)") : "#" + std::to_string(r.count - 1)) + " of " +
            std::to_string(count) + " messages: " + std::to_string(count - r.count) + " lost");
    return true;
}

bool ChatReceiver::expect_tail(std::uint32_t sender, std::uint32_t first_max, std::uint32_t end) {
    if (failed())
        return false;
    const Run r = from(sender);
    if (r.count == 0 || r.first > first_max || r.first + r.count != end)
        return violation("from sender " + std::to_string(sender) + " " +
                         (r.count == 0 ? std::string("nothing")
                                       : "#" + std::to_string(r.first) + "..#" +
                                             std::to_string(r.first + r.count - 1)) +
                         ", want a run from #" + std::to_string(first_max) + " or before to #" +
                         std::to_string(end - 1) + " (its last): " +
                         (r.first + r.count < end ? "lost messages" : "wrong messages"));
    return true;
}

std::string ChatReceiver::position() const {
    std::string s = std::to_string(messages_) + " message(s) from " + std::to_string(runs_.size()) +
                    " sender(s)";
    if (!partial_.empty())
        s += ", " + std::to_string(partial_.size()) + " byte(s) of the next one";
    return s;
}

std::optional<std::uint64_t> stats_counter(const std::string& path, const std::string& key) {
    const auto text = read_text_file(path);
    return text ? parse_counter(*text, key) : std::nullopt;
}

} // namespace kecho::testclient
