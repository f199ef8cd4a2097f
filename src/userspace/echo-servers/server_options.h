// Command-line options shared by the userspace echo servers. They take the
// same port options as the kecho module (port, backlog, bind).
#pragma once

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
    bool help = false;
};

// Parse argv[1..]. Throws kecho::UsageError (an invalid_argument) naming the
// bad option. `--opt value` and `--opt=value` are both accepted.
ServerOptions parse_server_options(std::span<const char* const> args);

std::string server_usage(const std::string& prog, bool uring);

} // namespace kecho
