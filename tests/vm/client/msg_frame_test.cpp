#define CATCH_CONFIG_MAIN
#include "msg_frame.h"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace kecho::testclient;

TEST_CASE("lengths encode and decode in both byte orders") {
    CHECK(encode_length(0x01020304, ByteOrder::big) == std::array<std::uint8_t, 4>{1, 2, 3, 4});
    CHECK(encode_length(0x01020304, ByteOrder::little) == std::array<std::uint8_t, 4>{4, 3, 2, 1});
    for (const std::uint32_t v : {0U, 1U, 255U, 256U, 65536U, 16777216U, 0xffffffffU}) {
        for (const auto o : {ByteOrder::big, ByteOrder::little}) {
            const auto h = encode_length(v, o);
            CHECK(decode_length(h, o) == v);
        }
    }
    // The same bytes mean different lengths in the other order.
    const auto h = encode_length(65536, ByteOrder::big);
    CHECK(decode_length(h, ByteOrder::little) == 256);
}

TEST_CASE("byte order names") {
    CHECK(parse_order("be") == ByteOrder::big);
    CHECK(parse_order("le") == ByteOrder::little);
    CHECK_THROWS_AS(parse_order("BE"), std::invalid_argument);
    CHECK(std::string(order_name(ByteOrder::little)) == "le");
}

TEST_CASE("a frame is the length of the body, then the body") {
    const std::vector<std::uint8_t> body{9, 8, 7};
    CHECK(frame(body, ByteOrder::big) == std::vector<std::uint8_t>{0, 0, 0, 3, 9, 8, 7});
    CHECK(frame(body, ByteOrder::little) == std::vector<std::uint8_t>{3, 0, 0, 0, 9, 8, 7});
    CHECK(frame({}, ByteOrder::big) == std::vector<std::uint8_t>{0, 0, 0, 0});
}

TEST_CASE("a plan is reproducible, within its bounds, and reaches both edges") {
    const MsgPlan p{42, 0, 65536};
    bool saw_zero = false;
    bool saw_max = false;
    for (std::size_t k = 0; k < 400; ++k) {
        const std::size_t n = p.size_of(k);
        CHECK(n <= 65536);
        saw_zero = saw_zero || n == 0;
        saw_max = saw_max || n == 65536;
        CHECK(p.body(k).size() == n);
    }
    CHECK(saw_zero);
    CHECK(saw_max);
    CHECK(p.body(7) == MsgPlan{42, 0, 65536}.body(7));
    CHECK(p.body(7) != MsgPlan{43, 0, 65536}.body(7));
    CHECK(MsgPlan{1, 100, 100}.size_of(3) == 100);
}

namespace {
std::vector<std::uint8_t> concat(const std::vector<std::vector<std::uint8_t>>& fs) {
    std::vector<std::uint8_t> out;
    for (const auto& f : fs)
        out.insert(out.end(), f.begin(), f.end());
    return out;
}
} // namespace

TEST_CASE("the checker accepts an exact echo in pieces of any size") {
    const MsgPlan p{5, 0, 300};
    for (const std::size_t piece : {1UL, 3UL, 4UL, 5UL, 1000UL, 100000UL}) {
        EchoChecker c(ByteOrder::big);
        std::vector<std::vector<std::uint8_t>> fs;
        for (std::size_t k = 0; k < 50; ++k) {
            fs.push_back(p.framed(k, ByteOrder::big));
            c.expect(fs.back(), k);
        }
        const auto all = concat(fs);
        for (std::size_t off = 0; off < all.size(); off += piece)
            REQUIRE(c.feed(std::span(all).subspan(off, std::min(piece, all.size() - off))));
        CHECK(c.done() == 50);
        CHECK(c.pending() == 0);
        CHECK(c.outstanding() == 0);
        CHECK(c.received() == all.size());
    }
}

TEST_CASE("the checker names the message and place of the first difference") {
    const MsgPlan p{9, 10, 10};
    const auto a = p.framed(0, ByteOrder::big);
    const auto b = p.framed(1, ByteOrder::big);

    SECTION("a header announcing one byte more") {
        EchoChecker c(ByteOrder::big);
        c.expect(a, 0);
        c.expect(b, 1);
        auto bad = b;
        bad[3] = 11;
        CHECK(c.feed(a));
        CHECK_FALSE(c.feed(bad));
        CHECK(c.why().find("message 1") != std::string::npos);
        CHECK(c.why().find("header byte 3 (announces 11 bytes)") != std::string::npos);
        CHECK(c.done() == 1);
    }
    SECTION("a body byte") {
        EchoChecker c(ByteOrder::big);
        c.expect(a, 0);
        auto bad = a;
        bad[4 + 6] ^= 1;
        CHECK_FALSE(c.feed(bad));
        CHECK(c.why().find("message 0 (10-byte body, 0 before it echoed whole): body byte 6") !=
              std::string::npos);
    }
    SECTION("two messages swapped") {
        EchoChecker c(ByteOrder::big);
        c.expect(p.framed(0, ByteOrder::big), 0);
        c.expect(MsgPlan{9, 20, 20}.framed(1, ByteOrder::big), 1);
        CHECK_FALSE(c.feed(MsgPlan{9, 20, 20}.framed(1, ByteOrder::big)));
        CHECK(c.why().find("message 0") != std::string::npos);
    }
    SECTION("bytes beyond what was sent") {
        EchoChecker c(ByteOrder::big);
        c.expect(a, 0);
        auto more = a;
        more.push_back(0);
        CHECK_FALSE(c.feed(more));
        CHECK(c.why() == "1 byte(s) more than sent came back after 1 complete message(s)");
    }
    SECTION("a short echo is only pending, and position() says where") {
        EchoChecker c(ByteOrder::big);
        c.expect(a, 0);
        CHECK(c.feed(std::span(a).first(6)));
        CHECK_FALSE(c.failed());
        CHECK(c.pending() == 1);
        CHECK(c.outstanding() == 8);
        CHECK(c.position() ==
              "0 message(s) echoed whole, message 0 (10-byte body) 6 of 14 bytes back, 1 still "
              "expected");
    }
}
