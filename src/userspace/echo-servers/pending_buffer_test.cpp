#include "pending_buffer.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

using kecho::PendingBuffer;

TEST_CASE("pending buffer: a full write leaves nothing pending") {
    PendingBuffer<8> b;
    auto s = b.space();
    REQUIRE(s.size() == 8);
    std::memcpy(s.data(), "abcd", 4);
    b.filled(4);
    CHECK(std::string(b.pending().data(), b.pending().size()) == "abcd");
    b.sent(4);
    CHECK(b.empty());
    CHECK(b.space().size() == 8);
}

TEST_CASE("pending buffer: a partial write keeps the rest, in order, and blocks reading") {
    PendingBuffer<8> b;
    auto s = b.space();
    std::memcpy(s.data(), "abcdefgh", 8);
    b.filled(8);
    b.sent(3);
    CHECK_FALSE(b.empty());
    CHECK(b.space().empty()); // backpressure: no reading while bytes are pending
    CHECK(std::string(b.pending().data(), b.pending().size()) == "defgh");
    b.sent(4);
    CHECK(std::string(b.pending().data(), b.pending().size()) == "h");
    b.sent(1);
    CHECK(b.empty());
    auto again = b.space();
    CHECK(again.size() == 8);
    CHECK(again.data() == s.data()); // reuses the whole buffer from the start
}

TEST_CASE("pending buffer: no room is offered while any byte is pending") {
    PendingBuffer<8> b;
    std::memcpy(b.space().data(), "abcd", 4);
    b.filled(4);
    b.sent(1);
    CHECK(b.space().empty()); // even though 4 bytes of the array are free
    b.sent(3);
    CHECK(b.space().size() == 8);
}
