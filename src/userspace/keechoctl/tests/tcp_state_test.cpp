#include "tcp_state.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

TEST_CASE("state names follow the kernel's numbering", "[state]") {
    CHECK(tcp_state_name(1) == "ESTABLISHED");
    CHECK(tcp_state_name(6) == "TIME_WAIT");
    CHECK(tcp_state_name(10) == "LISTEN");
    CHECK(tcp_state_name(0) == "UNKNOWN");
    CHECK(tcp_state_name(200) == "UNKNOWN");
}

TEST_CASE("state names parse in the spellings people use", "[state]") {
    for (const char* s : {"TIME_WAIT", "time-wait", "Time_Wait", "TIME-WAIT"})
        CHECK(parse_state_mask(s) == state_bit(kTimeWait));
    CHECK(parse_state_mask("estab") == state_bit(kEstablished));
    CHECK(parse_state_mask("established") == state_bit(kEstablished));
    CHECK(parse_state_mask("fin-wait-1") == state_bit(kFinWait1));
    CHECK(parse_state_mask("FIN_WAIT2") == state_bit(kFinWait2));
    CHECK(parse_state_mask("listen") == state_bit(kListen));
    CHECK(parse_state_mask("syn-recv") == state_bit(kSynRecv));
}

TEST_CASE("every state name round-trips", "[state]") {
    for (unsigned s = 1; s < kMaxState; ++s)
        CHECK(parse_state_mask(tcp_state_name(s)) == state_bit(s));
}

TEST_CASE("groups and unknown names", "[state]") {
    CHECK(parse_state_mask("all") == kAllStates);
    const auto connected = parse_state_mask("connected");
    REQUIRE(connected);
    CHECK((*connected & state_bit(kListen)) == 0);
    CHECK((*connected & state_bit(kEstablished)) != 0);
    CHECK((*connected & state_bit(kTimeWait)) != 0);
    CHECK_FALSE(parse_state_mask("bogus"));
    CHECK_FALSE(parse_state_mask(""));
    CHECK_FALSE(parse_state_mask("TIME WAIT"));
}
