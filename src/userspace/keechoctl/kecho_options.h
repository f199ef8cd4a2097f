// kecho's options as keechoctl knows them: ONE row per module parameter,
// holding only what the module cannot say about itself. The names,
// descriptions and types come from the module (modinfo, module_info.h);
// which parameters apply live comes from their sysfs modes (ModuleState).
// Adding a kecho parameter means adding its row here; the tests fail until
// the row matches the built module (tests/option_module_test.cpp) and the
// man page, bash completion, README and etc/modprobe.d/kecho.conf all know
// it (tests/option_docs_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kecho::ctl {

enum class ValueKind {
    Number,  // decimal, within [min, max]
    Bool,    // 0 or 1 on the command line; the kernel's bool syntax in modprobe.d
    Address, // an IPv4 or IPv6 literal; "all" on the command line means ""
    Choice,  // one of a few names (`choices`), as the module spells them
};

struct KechoOption {
    std::string_view param;      // the module parameter: "user_timeout"
    std::string_view flag;       // keechoctl reconfigure's spelling: "--user-timeout"
    std::string_view value_name; // "SECONDS", for usage lines
    ValueKind kind = ValueKind::Number;
    std::uint64_t min = 0; // Number: the range the module accepts
    std::uint64_t max = 0;
    std::string_view unit;          // "seconds", or "" when the number has none
    std::string_view default_value; // what kecho uses when modprobe.d says nothing
    std::string_view choices = {};  // Choice: the names, '|' between: "stream|message"
};

std::span<const KechoOption> kecho_options();
const KechoOption* find_option(std::string_view param);

// Nullopt when `value`, as modprobe.d or sysfs spell it, is acceptable for
// `opt`, else why not ("not in 1-65535").
std::optional<std::string> option_value_problem(const KechoOption& opt, std::string_view value);

// The value of `opt`'s flag as the module parameter's value. Throws
// UsageError naming the flag ("--port: '0' is not in 1-65535").
std::string parse_flag_value(const KechoOption& opt, std::string_view text);

// Canonical form for comparison: bools as "1"/"0", numbers without leading zeros.
std::string normalize_option_value(const KechoOption& opt, std::string_view value);

// What the values look like, for help and man page: "1-65535",
// "0-32767 seconds", "0 or 1", "an IPv4 or IPv6 address, or all",
// "stream or message".
std::string describe_values(const KechoOption& opt);

} // namespace kecho::ctl
