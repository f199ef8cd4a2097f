// Loopback TCP client plumbing: where to connect, connecting, and blocking
// I/O that gives up after a generous timeout instead of hanging a test.
#pragma once

#include "args.h"
#include "unique_fd.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <sys/socket.h>

namespace kecho::testclient {

struct Endpoint {
    std::string host;
    std::uint16_t port = 12345;
    int family = AF_INET;
    sockaddr_storage addr{};
    socklen_t addr_len = 0;

    [[nodiscard]] std::string describe() const;
};

// From --host, --port and --family 4|6 (host defaults to the loopback
// address of the family; a host with ':' implies IPv6).
Endpoint endpoint_from(const Args& args);

// Options every networked subcommand accepts.
inline const std::set<std::string> kNetOptions = {"host", "port", "family", "timeout"};

// Blocking connect; reads and writes then time out after `io_timeout`.
UniqueFd connect_blocking(const Endpoint& ep, std::chrono::seconds io_timeout);

// SO_RCVTIMEO and SO_SNDTIMEO (the latter bounds connect() too).
void set_io_timeouts(int fd, std::chrono::seconds io_timeout);

// Non-blocking socket with connect() started (EINPROGRESS is fine).
UniqueFd connect_nonblocking(const Endpoint& ep);

void set_nonblocking(int fd);

// Write everything (blocking socket); throws on error or timeout.
// chunk > 0: at most that many bytes per send().
void write_all(int fd, std::span<const std::uint8_t> data, std::size_t chunk = 0);

// Read exactly data.size() bytes (blocking socket). Returns how many were
// read before EOF (== size on success); throws on error or timeout, with
// the count so far in *progress when given.
std::size_t read_full(int fd, std::span<std::uint8_t> data, std::size_t* progress = nullptr);

// The socket's TCP state (TCP_ESTABLISHED...: netinet/tcp.h), -1 if
// TCP_INFO fails.
int tcp_state(int fd);

// For a report of a connection that stopped: "TCP state FIN_WAIT2, 0
// unacked, 0 bytes to read" (from TCP_INFO and FIONREAD).
std::string tcp_summary(int fd);

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start);

} // namespace kecho::testclient
