// Listening sockets for the echo servers: SO_REUSEPORT so each worker thread
// has its own, dual-stack IPv6 when no address is given (IPv4 fallback).
#pragma once

#include "unique_fd.h"

#include <cstdint>
#include <string>

namespace kecho {

// A bound, listening, non-blocking socket. Throws std::system_error with the
// address in the message on failure.
UniqueFd make_listener(const std::string& bind, uint16_t port, unsigned backlog);

} // namespace kecho
