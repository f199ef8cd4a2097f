// /proc/net/kecho: kecho's counters, one "key value" per line.
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

} // namespace kecho::ctl
