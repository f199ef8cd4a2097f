// /proc/net/kecho and /proc/net/khttpd: a server's counters, one "key
// value" per line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kecho::ctl {

struct KechoStats {
    // In file order is not kept; unknown keys are kept too, malformed lines skipped.
    std::map<std::string, std::uint64_t> values;

    [[nodiscard]] std::optional<std::uint64_t> get(const std::string& key) const;
};

KechoStats parse_kecho_stats(std::string_view text);

// Message mode's counters: messages_in, messages_out, oversize (headers over
// max_msg, connection reset) and msg_timeouts (messages not complete within
// msg_timeout).
struct MessageCounters {
    std::uint64_t in = 0;
    std::uint64_t out = 0;
    std::uint64_t oversize = 0;
    std::uint64_t timeouts = 0;
};

// Nullopt from a kecho without message mode (no messages_in line).
std::optional<MessageCounters> message_counters(const KechoStats& stats);

// Chat mode's room: clients in it now, message copies fully written to a
// receiver, clients reset for a full queue (chat_queue), and the bytes
// charged to the outbound queues now.
struct ChatCounters {
    std::uint64_t clients = 0;
    std::uint64_t delivered = 0;
    std::uint64_t slow_dropped = 0;
    std::uint64_t queued_bytes = 0;
};

// Nullopt from a kecho without chat mode (no chat_clients line).
std::optional<ChatCounters> chat_counters(const KechoStats& stats);

// khttpd's requests: every response sent, and by status class.
struct HttpCounters {
    std::uint64_t requests = 0;
    std::uint64_t status_2xx = 0;
    std::uint64_t status_3xx = 0;
    std::uint64_t status_4xx = 0;
    std::uint64_t status_5xx = 0;
};

// Nullopt from a server without them (no requests line: kecho).
std::optional<HttpCounters> http_counters(const KechoStats& stats);

} // namespace kecho::ctl
