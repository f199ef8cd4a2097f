// One real echo round trip: connect, send a random payload, read it back,
// all within a deadline.
#pragma once

#include "health.h"
#include "inet_addr.h"

#include <chrono>
#include <cstdint>

namespace kecho::ctl {

EchoResult echo_round_trip(const InetAddr& addr, std::uint16_t port,
                           std::chrono::milliseconds timeout);

// The address to reach kecho at, given its bind parameter ("" = loopback).
InetAddr echo_target(const std::string& bind_param);

} // namespace kecho::ctl
