#include "chat_queue.h"
#include "server_options.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace kecho;

namespace {

// A framed message: the 4-byte length of `body`, then `body`.
std::vector<std::byte> frame(const std::string& body, MsgOrder order = MsgOrder::be) {
    std::vector<std::byte> v(kChatHeader + body.size());
    chat_write_len(v.data(), static_cast<uint32_t>(body.size()), order);
    for (std::size_t i = 0; i < body.size(); ++i)
        v[kChatHeader + i] = static_cast<std::byte>(body[i]);
    return v;
}

std::string body_of(const ChatMsg& m) {
    const std::span<const std::byte> bytes(m.data.get(), m.size);
    std::string s;
    for (const std::byte b : bytes.subspan(kChatHeader))
        s += static_cast<char>(b);
    return s;
}

ChatMsg msg(const std::string& body) {
    const auto f = frame(body);
    auto p = make_bytes(f.size());
    std::copy(f.begin(), f.end(), p.get());
    return ChatMsg{std::move(p), f.size()};
}

// Everything the queue would write, sent `chunk` bytes at a time.
std::string drain(ChatQueue& q, std::size_t chunk, std::size_t& done) {
    std::string out;
    std::array<iovec, 3> iov{}; // few iovecs: fill() is called many times
    while (!q.empty()) {
        const std::size_t n = q.fill(iov);
        std::size_t left = chunk;
        std::size_t took = 0;
        for (std::size_t i = 0; i < n && left > 0; ++i) {
            const std::size_t k = std::min(left, iov[i].iov_len);
            out.append(static_cast<const char*>(iov[i].iov_base), k);
            left -= k;
            took += k;
        }
        done += q.sent(took);
    }
    return out;
}

} // namespace

TEST_CASE("chat framing: whole messages out of any split, header bytes included") {
    std::vector<std::byte> stream;
    for (const char* b : {"hello", "", "a longer body of the third message", "x"}) {
        const auto f = frame(b);
        stream.insert(stream.end(), f.begin(), f.end());
    }
    for (std::size_t step :
         {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, stream.size()}) {
        FrameParser p(65536, MsgOrder::be);
        std::vector<ChatMsg> out;
        for (std::size_t off = 0; off < stream.size(); off += step) {
            const std::size_t n = std::min(step, stream.size() - off);
            REQUIRE(p.feed(std::span<const std::byte>(stream.data() + off, n), out));
        }
        std::vector<std::string> bodies;
        std::vector<std::size_t> sizes;
        for (const ChatMsg& m : out) {
            bodies.push_back(body_of(m));
            sizes.push_back(m.size);
        }
        CHECK(bodies ==
              std::vector<std::string>{"hello", "", "a longer body of the third message", "x"});
        CHECK(sizes == std::vector<std::size_t>{kChatHeader + 5, kChatHeader, kChatHeader + 34,
                                                kChatHeader + 1});
        CHECK(p.partial() == 0);
    }
}

TEST_CASE("chat framing: the header is forwarded byte for byte, in either order") {
    const auto le = frame("abc", MsgOrder::le);
    CHECK(std::to_integer<int>(le[0]) == 3);
    FrameParser p(65536, MsgOrder::le);
    std::vector<ChatMsg> out;
    REQUIRE(p.feed(le, out));
    REQUIRE(out.size() == 1);
    CHECK(std::equal(le.begin(), le.end(), out[0].data.get()));
    // The same bytes read big-endian announce 50 MB: oversize.
    FrameParser be(65536, MsgOrder::be);
    std::vector<ChatMsg> none;
    CHECK_FALSE(be.feed(le, none));
    CHECK(none.empty());
}

TEST_CASE("chat framing: a header over max_msg is refused, max_msg itself is not") {
    std::vector<ChatMsg> out;
    FrameParser p(100, MsgOrder::be);
    CHECK(p.feed(frame(std::string(100, 'm')), out));
    CHECK(out.size() == 1);
    CHECK_FALSE(p.feed(frame(std::string(101, 'm')), out));
    CHECK(out.size() == 1);
}

TEST_CASE("chat queue: charge is 4 + body + 32 per message, and the bound is exact") {
    // 10-byte bodies: each message charges 4 + 10 + 32 = 46 bytes.
    ChatQueue q(std::size_t{46} * 3);
    CHECK(msg("0123456789").charge() == 46);
    CHECK(q.push(msg("0123456789")));
    CHECK(q.push(msg("0123456789")));
    CHECK(q.push(msg("0123456789")));
    CHECK(q.charged() == 138);
    CHECK_FALSE(q.push(msg("0"))); // 37 more would pass 138
    CHECK(q.messages() == 3);
    // One byte short of room for a fourth: refused (no slack for the overhead).
    ChatQueue edge(std::size_t{46} * 4 - 1);
    for (int i = 0; i < 3; ++i)
        CHECK(edge.push(msg("0123456789")));
    CHECK_FALSE(edge.push(msg("0123456789")));
    // An empty queue takes one message even past the limit (kecho does too).
    ChatQueue tiny(10);
    CHECK(tiny.push(msg("0123456789")));
    CHECK_FALSE(tiny.push(msg("")));
    ChatQueue fits(std::size_t{46} * 4);
    for (int i = 0; i < 4; ++i)
        CHECK(fits.push(msg("0123456789")));
    // Three 14-byte messages on the wire; once all are out nothing is charged.
    CHECK(q.sent(42) == 3);
    CHECK(q.charged() == 0);
}

TEST_CASE("chat queue: a receiver's bound holds exactly, and sending frees it") {
    ChatQueue q(4096);
    const ChatMsg m = msg(std::string(100, 'b')); // charge 136
    std::size_t accepted = 0;
    while (q.push(m))
        ++accepted;
    CHECK(accepted == 4096 / 136); // 30: the 31st would pass 4096
    CHECK(q.charged() == accepted * 136);
    CHECK(q.charged() <= 4096);
    // Half of the head message out: nothing freed yet.
    CHECK(q.sent(52) == 0);
    CHECK(q.charged() == accepted * 136);
    CHECK_FALSE(q.push(m));
    // The rest of it: one message (136) freed, one more fits.
    CHECK(q.sent(52) == 1);
    CHECK(q.push(m));
    CHECK_FALSE(q.push(m));
    q.clear();
    CHECK(q.charged() == 0);
    CHECK(q.empty());
}

TEST_CASE("chat queue: messages leave whole and in order, whatever the write sizes") {
    std::vector<std::string> bodies;
    std::string expect;
    for (int i = 0; i < 50; ++i) {
        bodies.push_back("message-" + std::to_string(i) +
                         std::string(static_cast<std::size_t>(i), '.'));
        const auto f = frame(bodies.back());
        expect.append(reinterpret_cast<const char*>(f.data()), f.size());
    }
    for (std::size_t chunk : {std::size_t{1}, std::size_t{5}, std::size_t{13}, std::size_t{4096}}) {
        ChatQueue q(1 << 20);
        for (const auto& b : bodies)
            REQUIRE(q.push(msg(b)));
        std::size_t done = 0;
        CHECK(drain(q, chunk, done) == expect);
        CHECK(done == bodies.size());
        CHECK(q.charged() == 0);
    }
}

TEST_CASE("chat queue: one body is shared by every receiver, not copied") {
    const ChatMsg m = msg("shared");
    std::vector<ChatQueue> receivers(100, ChatQueue(4096));
    for (auto& q : receivers)
        REQUIRE(q.push(m));
    CHECK(m.data.use_count() == 101);
    std::array<iovec, 1> iov{};
    receivers[7].fill(iov);
    CHECK(iov[0].iov_base == m.data.get());
    for (auto& q : receivers)
        q.clear();
    CHECK(m.data.use_count() == 1);
}

TEST_CASE("chat options: --mode chat and its parameters, kecho's defaults and ranges") {
    std::vector<const char*> none;
    const auto d = parse_server_options(none);
    CHECK_FALSE(d.chat);
    CHECK(d.chat_queue == 1048576);
    CHECK(d.max_msg == 65536);
    CHECK_FALSE(d.chat_echo);
    CHECK_FALSE(d.msg_le);
    std::vector<const char*> a{"--mode",    "chat", "--chat-queue=4096", "--chat-echo",
                               "--max-msg", "10",   "--msg-order",       "le"};
    const auto o = parse_server_options(a);
    CHECK(o.chat);
    CHECK(o.chat_queue == 4096);
    CHECK(o.chat_echo);
    CHECK(o.max_msg == 10);
    CHECK(o.msg_le);
    std::vector<const char*> small{"--mode=chat", "--chat-queue=4095"};
    CHECK_THROWS_WITH(parse_server_options(small), Catch::Contains("--chat-queue"));
    std::vector<const char*> bad{"--mode=fanout"};
    CHECK_THROWS_WITH(parse_server_options(bad), Catch::Contains("--mode"));
    std::vector<const char*> order{"--mode=chat", "--msg-order=middle"};
    CHECK_THROWS_WITH(parse_server_options(order), Catch::Contains("--msg-order"));
    std::vector<const char*> stray{"--chat-echo"};
    CHECK_THROWS_WITH(parse_server_options(stray), Catch::Contains("--mode chat"));
}
