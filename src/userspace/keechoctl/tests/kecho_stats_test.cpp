#include "kecho_stats.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

TEST_CASE("/proc/net/kecho parses, unknown keys and junk are tolerated", "[stats]") {
    const auto s = parse_kecho_stats("accepted 10\nactive 2\nrefused 0\nbytes_in 123\n"
                                     "bytes_out 123\nerrors 0\nbuffered 5\nport 12345\n"
                                     "future_counter 7\n"
                                     "garbage\n  \nbad -1\nspaced\t  9  \n");
    CHECK(s.get("accepted") == 10U);
    CHECK(s.get("active") == 2U);
    CHECK(s.get("port") == 12345U);
    CHECK(s.get("buffered") == 5U);
    CHECK(s.get("future_counter") == 7U);
    CHECK(s.get("spaced") == 9U);
    CHECK_FALSE(s.get("bad"));
    CHECK_FALSE(s.get("garbage"));
    CHECK_FALSE(s.get("missing"));
}

TEST_CASE("an empty or unterminated file", "[stats]") {
    CHECK(parse_kecho_stats("").values.empty());
    CHECK(parse_kecho_stats("port 0").get("port") == 0U);
}

TEST_CASE("message mode's counters, and an older kecho without them", "[stats]") {
    // As kecho prints it: the message counters after accept_backoffs, before port.
    const auto now = parse_kecho_stats("accepted 4\nactive 1\nrefused 0\nbytes_in 300\n"
                                       "bytes_out 296\nerrors 1\nbuffered 0\nclosed_unsent 0\n"
                                       "accept_backoffs 0\nmessages_in 5\nmessages_out 4\n"
                                       "oversize 1\nmsg_timeouts 2\nport 12345\n");
    const auto m = message_counters(now);
    REQUIRE(m);
    CHECK(m->in == 5);
    CHECK(m->out == 4);
    CHECK(m->oversize == 1);
    CHECK(m->timeouts == 2);
    CHECK(now.get("port") == 12345U);
    CHECK(now.get("accept_backoffs") == 0U);

    const auto older = parse_kecho_stats("accepted 4\nactive 1\nrefused 0\nbytes_in 300\n"
                                         "bytes_out 300\nerrors 0\nbuffered 0\n"
                                         "closed_unsent 0\naccept_backoffs 0\nport 12345\n");
    CHECK_FALSE(message_counters(older));
    CHECK(older.get("port") == 12345U);
    CHECK(older.get("bytes_out") == 300U);
}

TEST_CASE("chat mode's room counters, and a kecho without them", "[stats][chat]") {
    // As kecho prints them: after msg_timeouts, before port.
    const auto now = parse_kecho_stats(
        "accepted 9\nactive 3\nrefused 0\nbytes_in 300\nbytes_out 600\nerrors 0\n"
        "buffered 0\nclosed_unsent 0\naccept_backoffs 0\nmessages_in 7\nmessages_out 0\n"
        "oversize 0\nmsg_timeouts 0\nchat_clients 3\nchat_delivered 14\nslow_dropped 1\n"
        "queued_bytes 4160\nport 12345\n");
    const auto c = chat_counters(now);
    REQUIRE(c);
    CHECK(c->clients == 3);
    CHECK(c->delivered == 14);
    CHECK(c->slow_dropped == 1);
    CHECK(c->queued_bytes == 4160);
    CHECK(message_counters(now)->in == 7);
    CHECK(now.get("port") == 12345U);

    const auto message_only = parse_kecho_stats("messages_in 5\nmessages_out 4\noversize 0\n"
                                                "msg_timeouts 0\nport 12345\n");
    CHECK_FALSE(chat_counters(message_only));
    CHECK(message_counters(message_only));
}
