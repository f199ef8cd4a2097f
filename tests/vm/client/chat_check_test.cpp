#define CATCH_CONFIG_MAIN
// The chat checker against hand-made streams: the stream a correct relay
// sends passes, in pieces of any size; a lost, duplicated, reordered,
// truncated, corrupted, foreign or forbidden message fails it, saying so.
#include "chat_check.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace kecho::testclient;

namespace {

using Bytes = std::vector<std::uint8_t>;

ChatPlan plan_of(ByteOrder order = ByteOrder::big) {
    ChatPlan p;
    p.seed = 42;
    p.max_size = 3000;
    p.order = order;
    return p;
}

// Senders 1 and 2, messages 0..n-1 each, interleaved.
Bytes room_stream(const ChatPlan& p, std::uint32_t n) {
    Bytes out;
    for (std::uint32_t k = 0; k < n; ++k)
        for (std::uint32_t s = 1; s <= 2; ++s) {
            const auto f = p.framed(s, k);
            out.insert(out.end(), f.begin(), f.end());
        }
    return out;
}

FromRule rule(std::uint32_t s) {
    return s == 1 || s == 2 ? FromRule::all : FromRule::none;
}

// Feeds `stream` in pieces of `piece` bytes; then the end-of-run check of
// n messages from each sender.
std::string verdict(const ChatPlan& p, const Bytes& stream, std::uint32_t n,
                    std::size_t piece = 7) {
    ChatReceiver rx(p, "client 0", rule);
    for (std::size_t off = 0; off < stream.size(); off += piece) {
        const std::size_t len = std::min(piece, stream.size() - off);
        if (!rx.feed(std::span(stream).subspan(off, len)))
            return rx.why();
    }
    if (rx.mid_message())
        return "mid-message at the end";
    for (std::uint32_t s = 1; s <= 2; ++s)
        if (!rx.expect_from(s, n, true))
            return rx.why();
    return "";
}

// The stream with message `k` of sender 1 replaced by `f(frame)`.
template <typename F> Bytes with_message(const ChatPlan& p, std::uint32_t n, std::uint32_t k, F f) {
    Bytes out;
    for (std::uint32_t j = 0; j < n; ++j)
        for (std::uint32_t s = 1; s <= 2; ++s) {
            Bytes fr = p.framed(s, j);
            if (s == 1 && j == k)
                fr = f(fr);
            out.insert(out.end(), fr.begin(), fr.end());
        }
    return out;
}

} // namespace

TEST_CASE("chat plan: sizes 12..max, bodies name sender and number") {
    const ChatPlan p = plan_of();
    bool saw_min = false;
    bool saw_max = false;
    for (std::uint32_t k = 0; k < 400; ++k) {
        const std::size_t n = p.size_of(3, k);
        CHECK(n >= kChatIdSize);
        CHECK(n <= 3000);
        saw_min = saw_min || n == kChatIdSize;
        saw_max = saw_max || n == 3000;
    }
    CHECK(saw_min);
    CHECK(saw_max);
    const auto once = p.body(3, 9);
    CHECK(once == p.body(3, 9)); // reproducible
    CHECK(p.body(3, 9) != p.body(4, 9));
}

TEST_CASE("chat checker passes a correct stream in pieces of any size") {
    for (const ByteOrder order : {ByteOrder::big, ByteOrder::little}) {
        const ChatPlan p = plan_of(order);
        const Bytes s = room_stream(p, 30);
        for (const std::size_t piece : {1UL, 3UL, 4UL, 5UL, 1000UL, 1UL << 20})
            CHECK(verdict(p, s, 30, piece).empty());
    }
}

TEST_CASE("chat checker fails on a lost message") {
    const ChatPlan p = plan_of();
    const Bytes s = with_message(p, 30, 12, [](const Bytes&) { return Bytes{}; });
    const std::string why = verdict(p, s, 30);
    CHECK(why.find("#12 lost or out of order") != std::string::npos);
    // the last one lost: only the end-of-run check can see it
    const Bytes t = with_message(p, 30, 29, [](const Bytes&) { return Bytes{}; });
    CHECK(verdict(p, t, 30).find("1 lost") != std::string::npos);
    // the first
    const Bytes u = with_message(p, 30, 0, [](const Bytes&) { return Bytes{}; });
    CHECK(verdict(p, u, 30).find("is #1: #0..0 lost") != std::string::npos);
}

TEST_CASE("chat checker fails on a duplicated message") {
    const ChatPlan p = plan_of();
    const Bytes s = with_message(p, 30, 12, [](const Bytes& f) {
        Bytes d = f;
        d.insert(d.end(), f.begin(), f.end());
        return d;
    });
    CHECK(verdict(p, s, 30).find("message #12 from sender 1 again or out of order") !=
          std::string::npos);
}

TEST_CASE("chat checker fails on two messages of one sender swapped") {
    const ChatPlan p = plan_of();
    Bytes s;
    for (std::uint32_t k = 0; k < 30; ++k) {
        const std::uint32_t j = k == 12 ? 13 : k == 13 ? 12 : k;
        const auto f = p.framed(1, j);
        s.insert(s.end(), f.begin(), f.end());
        const auto g = p.framed(2, k);
        s.insert(s.end(), g.begin(), g.end());
    }
    CHECK(verdict(p, s, 30).find("#12 lost or out of order") != std::string::npos);
    // Interleaving two senders differently is fine: only each sender's order counts.
    Bytes t;
    for (std::uint32_t k = 0; k < 30; ++k) {
        const auto f = p.framed(1, k);
        t.insert(t.end(), f.begin(), f.end());
    }
    for (std::uint32_t k = 0; k < 30; ++k) {
        const auto f = p.framed(2, k);
        t.insert(t.end(), f.begin(), f.end());
    }
    CHECK(verdict(p, t, 30).empty());
}

TEST_CASE("chat checker fails on a truncated message") {
    const ChatPlan p = plan_of();
    // The header left as it was: the stream slips by a byte.
    const Bytes s = with_message(p, 30, 5, [](const Bytes& f) {
        Bytes d = f;
        d.pop_back();
        return d;
    });
    CHECK_FALSE(verdict(p, s, 30).empty());
    // The header shortened too: the length no longer matches the plan.
    const Bytes t = with_message(p, 30, 5, [&](const Bytes& f) {
        Bytes body(f.begin() + kHeaderSize, f.end() - 1);
        return frame(body, p.order);
    });
    CHECK(verdict(p, t, 30).find("(truncated or padded)") != std::string::npos);
    // Cut mid-message at the end of the stream.
    const Bytes u = room_stream(p, 30);
    ChatReceiver rx(p, "c", rule);
    CHECK(rx.feed(std::span(u).first(u.size() - 3)));
    CHECK(rx.mid_message());
}

TEST_CASE("chat checker fails on a corrupted byte anywhere") {
    const ChatPlan p = plan_of();
    const std::size_t size = p.size_of(1, 7) + kHeaderSize;
    for (const std::size_t at : {std::size_t{0}, std::size_t{3}, kHeaderSize, kHeaderSize + 4,
                                 kHeaderSize + 8, kHeaderSize + kChatIdSize, size - 1}) {
        if (at >= size)
            continue;
        const Bytes s = with_message(p, 30, 7, [at](const Bytes& f) {
            Bytes d = f;
            d[at] ^= 0x10;
            return d;
        });
        INFO("byte " << at);
        CHECK_FALSE(verdict(p, s, 30).empty());
    }
}

TEST_CASE("chat checker refuses what a receiver must not get") {
    const ChatPlan p = plan_of();
    ChatReceiver rx(p, "client 0", rule);
    CHECK_FALSE(rx.feed(p.framed(0, 0))); // its own, without echo
    CHECK(rx.why().find("which it must not get") != std::string::npos);
    ChatPlan other = p;
    other.seed = 43;
    ChatReceiver ry(p, "client 0", rule);
    CHECK_FALSE(ry.feed(other.framed(1, 0))); // another run's
    CHECK(ry.why().find("not of this run") != std::string::npos);
    ChatReceiver rz(p, "client 0", rule);
    CHECK_FALSE(rz.feed(frame(Bytes(5, 1), p.order))); // too short to name a sender
    CHECK(rz.why().find("a header announces 5 bytes") != std::string::npos);
}

TEST_CASE("chat checker: a run may start anywhere only where allowed") {
    const ChatPlan p = plan_of();
    Bytes s;
    for (std::uint32_t k = 5; k < 9; ++k) {
        const auto f = p.framed(1, k);
        s.insert(s.end(), f.begin(), f.end());
    }
    ChatReceiver joiner(p, "joiner", [](std::uint32_t) { return FromRule::any_run; });
    CHECK(joiner.feed(s));
    CHECK(joiner.from(1).first == 5);
    CHECK(joiner.from(1).count == 4);
    ChatReceiver member(p, "member", rule);
    CHECK_FALSE(member.feed(s));
    CHECK(member.why().find("first message from sender 1 is #5") != std::string::npos);
}
