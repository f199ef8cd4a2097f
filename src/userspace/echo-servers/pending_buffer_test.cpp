#include "pending_buffer.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

using kecho::PendingBuffer;

namespace {
std::string str(std::span<const char> s) {
    return {s.data(), s.size()};
}
std::span<const char> bytes(std::string_view s) {
    return {s.data(), s.size()};
}
} // namespace

TEST_CASE("pending buffer: an idle connection holds no memory") {
    PendingBuffer b;
    CHECK(b.empty());
    CHECK(b.pending().empty());
    CHECK(b.capacity() == 0);
}

TEST_CASE("pending buffer: the unsent tail goes out in order, in pieces") {
    PendingBuffer b;
    b.store(bytes("defgh"));
    CHECK_FALSE(b.empty());
    CHECK(str(b.pending()) == "defgh");
    b.sent(2);
    CHECK(str(b.pending()) == "fgh");
    CHECK_FALSE(b.empty());
    b.sent(3);
    CHECK(b.empty());
    CHECK(b.pending().empty());
}

TEST_CASE("pending buffer: memory is released once drained, and it can be reused") {
    PendingBuffer b;
    b.store(bytes(std::string(10000, 'x')));
    CHECK(b.capacity() >= 10000);
    b.sent(9999);
    CHECK(b.capacity() >= 10000); // one byte still pending
    CHECK(str(b.pending()) == "x");
    b.sent(1);
    CHECK(b.capacity() == 0);
    b.store(bytes("again"));
    CHECK(str(b.pending()) == "again");
}
