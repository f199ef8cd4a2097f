// Reading the server's and the kernel's own numbers: /proc/net/kecho
// ("key value" lines) and /proc/net/sockstat (TCP memory in pages).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kecho::testclient {

// Value of `key` in "key value" lines; unknown keys are ignored.
std::optional<std::uint64_t> parse_counter(const std::string& text, const std::string& key);

// The "mem" field of sockstat's "TCP:" line (pages).
std::optional<std::uint64_t> parse_sockstat_tcp_mem(const std::string& text);

// Whole file, or nullopt when it cannot be read.
std::optional<std::string> read_text_file(const std::string& path);

std::optional<std::uint64_t> kecho_counter(const std::string& key);
std::optional<std::uint64_t> tcp_mem_pages();

} // namespace kecho::testclient
