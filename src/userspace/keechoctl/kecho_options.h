// The servers' options as keechoctl knows them: ONE row per module
// parameter, holding only what the module cannot say about itself. The
// names, descriptions and types come from the module (modinfo,
// module_info.h); which parameters apply live on a running module comes
// from their sysfs modes (ModuleState), and a row's `apply` says what the
// module declares (checked against the built .ko). kecho's rows are here
// (kecho_options.cpp), khttpd's in khttpd_options.cpp; server.h pairs each
// table with its module. Adding a parameter means adding its row; the tests
// fail until the row matches the built module
// (tests/option_module_test.cpp) and the man page, bash completion (and,
// for kecho, README and etc/modprobe.d/kecho.conf) all know it
// (tests/option_docs_test.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kecho::ctl {

enum class ValueKind {
    Number,    // decimal, within [min, max]
    Bool,      // 0 or 1 on the command line; the kernel's bool syntax in modprobe.d
    Address,   // an IPv4 or IPv6 literal; "all" on the command line means ""
    Choice,    // one of a few names (`choices`), as the module spells them
    Directory, // an absolute path of an existing directory, at most `max` bytes
};

// How a change reaches the running module: its sysfs file is writable
// (0644, live) or not (0444, the module must be reloaded).
enum class Apply { Live, Reload };

struct KechoOption {
    std::string_view param;      // the module parameter: "user_timeout"
    std::string_view flag;       // keechoctl reconfigure's spelling: "--user-timeout"
    std::string_view value_name; // "SECONDS", for usage lines
    ValueKind kind = ValueKind::Number;
    Apply apply = Apply::Live; // what the module declares (its parameter's sysfs mode)
    std::uint64_t min = 0;     // Number: the range the module accepts
    std::uint64_t max = 0;
    std::string_view unit;          // "seconds", or "" when the number has none
    std::string_view default_value; // what kecho uses when modprobe.d says nothing
    std::string_view choices = {};  // Choice: the names, '|' between: "stream|message"
};

// The tables, in the order modinfo lists each module's parameters.
std::span<const KechoOption> kecho_options();
std::span<const KechoOption> khttpd_options(); // khttpd_options.cpp

// The row for `param` in `table`; nullptr when it has none.
const KechoOption* find_option(std::span<const KechoOption> table, std::string_view param);

// Nullopt when `value`, as modprobe.d or sysfs spell it, is acceptable for
// `opt`, else why not ("not in 1-65535"). A Directory is checked for its
// form only (absolute, no blanks or quotes, short enough), not on disk.
std::optional<std::string> option_value_problem(const KechoOption& opt, std::string_view value);

// The value of `opt`'s flag as the module parameter's value. Throws
// UsageError naming the flag ("--port: '0' is not in 1-65535"). A
// Directory must exist here and now.
std::string parse_flag_value(const KechoOption& opt, std::string_view text);

// Canonical form for comparison: bools as "1"/"0", numbers without leading zeros.
std::string normalize_option_value(const KechoOption& opt, std::string_view value);

// What the values look like, for help and man page: "1-65535",
// "0-32767 seconds", "0 or 1", "an IPv4 or IPv6 address, or all",
// "stream or message", "an absolute path of a directory".
std::string describe_values(const KechoOption& opt);

} // namespace kecho::ctl
