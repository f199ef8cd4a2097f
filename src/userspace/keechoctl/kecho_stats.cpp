#include "kecho_stats.h"

#include "number_parse.h"

namespace kecho::ctl {

std::optional<std::uint64_t> KechoStats::get(const std::string& key) const {
    const auto it = values.find(key);
    if (it == values.end())
        return std::nullopt;
    return it->second;
}

std::optional<MessageCounters> message_counters(const KechoStats& stats) {
    const auto in = stats.get("messages_in");
    if (!in)
        return std::nullopt;
    return MessageCounters{*in, stats.get("messages_out").value_or(0),
                           stats.get("oversize").value_or(0),
                           stats.get("msg_timeouts").value_or(0)};
}

std::optional<ChatCounters> chat_counters(const KechoStats& stats) {
    const auto clients = stats.get("chat_clients");
    if (!clients)
        return std::nullopt;
    return ChatCounters{*clients, stats.get("chat_delivered").value_or(0),
                        stats.get("slow_dropped").value_or(0),
                        stats.get("queued_bytes").value_or(0)};
}

std::optional<HttpCounters> http_counters(const KechoStats& stats) {
    const auto requests = stats.get("requests");
    if (!requests)
        return std::nullopt;
    return HttpCounters{*requests, stats.get("status_2xx").value_or(0),
                        stats.get("status_3xx").value_or(0), stats.get("status_4xx").value_or(0),
                        stats.get("status_5xx").value_or(0)};
}

KechoStats parse_kecho_stats(std::string_view text) {
    KechoStats stats;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);

        const auto ws = line.find_first_of(" \t");
        if (ws == std::string_view::npos || ws == 0)
            continue;
        const std::string_view key = line.substr(0, ws);
        std::string_view rest = line.substr(ws);
        const auto start = rest.find_first_not_of(" \t");
        if (start == std::string_view::npos)
            continue;
        rest = rest.substr(start);
        const auto end = rest.find_last_not_of(" \t\r");
        rest = rest.substr(0, end + 1);
        if (const auto v = parse_decimal(rest))
            stats.values[std::string(key)] = *v;
    }
    return stats;
}

} // namespace kecho::ctl
