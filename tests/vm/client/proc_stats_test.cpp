#include "proc_stats.h"

#include <catch2/catch.hpp>

using namespace kecho::testclient;

TEST_CASE("kecho counters are read by key, unknown keys ignored") {
    const std::string text = "accepted 5\nactive 2\nfuture_key 9\nbuffered 4096\n";
    CHECK(parse_counter(text, "active") == 2);
    CHECK(parse_counter(text, "buffered") == 4096);
    CHECK_FALSE(parse_counter(text, "errors"));
    CHECK_FALSE(parse_counter("active x\n", "active"));
}

TEST_CASE("sockstat TCP mem is read in pages") {
    const std::string text = "sockets: used 10\n"
                             "TCP: inuse 3 orphan 0 tw 0 alloc 4 mem 17\n"
                             "UDP: inuse 0 mem 0\n";
    CHECK(parse_sockstat_tcp_mem(text) == 17);
    CHECK_FALSE(parse_sockstat_tcp_mem("UDP: inuse 0 mem 3\n"));
}
