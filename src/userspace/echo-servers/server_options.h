// Command-line options shared by the userspace echo servers. They take the
// same port options as the kecho module (port, backlog, bind).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace kecho {

struct ServerOptions {
    uint16_t port = 12345;
    unsigned backlog = 128;
    std::string bind;         // empty: all addresses, dual-stack
    unsigned threads = 0;     // 0: one per online CPU
    bool single_shot = false; // io_uring server: force the fallback mode
    // user-echo-server --mode chat: a relay speaking kecho's mode=chat protocol.
    bool chat = false;
    std::size_t chat_queue = 1048576; // bytes charged per receiver's queue, at most
    bool chat_echo = false;           // the sender gets its own messages too
    std::size_t max_msg = 65536;      // largest body; a bigger header resets the sender
    bool msg_le = false;              // lengths little-endian (--msg-order le)
    bool help = false;
};

// Parse argv[1..]. Throws kecho::UsageError (an invalid_argument) naming the
// bad option. `--opt value` and `--opt=value` are both accepted.
ServerOptions parse_server_options(std::span<const char* const> args);

std::string server_usage(const std::string& prog, bool uring);

} // namespace kecho
