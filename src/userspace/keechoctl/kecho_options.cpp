#include "kecho_options.h"

#include "errors.h"
#include "inet_addr.h"
#include "number_parse.h"

#include <algorithm>
#include <array>
#include <limits>
#include <sys/stat.h>
#include <vector>

namespace kecho::ctl {

namespace {

constexpr std::uint64_t kUintMax = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t kMaxKeepIdle = 32767;                // the kernel's MAX_TCP_KEEPIDLE
constexpr std::uint64_t kMaxUserTimeout = 2147483647 / 1000; // TCP_USER_TIMEOUT: int ms
constexpr std::uint64_t kMaxMsg = 16ULL * 1024 * 1024;       // kecho's KECHO_MSG_MAX
constexpr std::uint64_t kMaxMsgTimeout = 24ULL * 60 * 60;
constexpr std::uint64_t kMinChatQueue = 4096; // kecho's chat_queue range
constexpr std::uint64_t kMaxChatQueue = 1024ULL * 1024 * 1024;
constexpr std::uint64_t kMaxChatSplit = 1000000; // kecho's chat_split range

// In the order `modinfo kecho` lists the parameters.
constexpr std::array<KechoOption, 14> kOptions = {{
    {"port", "--port", "N", ValueKind::Number, Apply::Live, 1, 65535, "", "12345"},
    {"backlog", "--backlog", "N", ValueKind::Number, Apply::Live, 1, kMaxBacklog, "", "128"},
    {"bench", "--bench", "0|1", ValueKind::Bool, Apply::Reload, 0, 1, "", "0"},
    {"bind", "--bind", "ADDR", ValueKind::Address, Apply::Reload, 0, 0, "", ""},
    {"max_conns", "--max-conns", "N", ValueKind::Number, Apply::Live, 0, kUintMax, "", "10000"},
    {"keepalive", "--keepalive", "SECONDS", ValueKind::Number, Apply::Live, 0, kMaxKeepIdle,
     "seconds", "60"},
    {"user_timeout", "--user-timeout", "SECONDS", ValueKind::Number, Apply::Live, 0,
     kMaxUserTimeout, "seconds", "120"},
    {"mode", "--mode", "stream|message|chat", ValueKind::Choice, Apply::Live, 0, 0, "", "stream",
     "stream|message|chat"},
    {"max_msg", "--max-msg", "BYTES", ValueKind::Number, Apply::Live, 0, kMaxMsg, "bytes", "65536"},
    {"msg_order", "--msg-order", "be|le", ValueKind::Choice, Apply::Live, 0, 0, "", "be", "be|le"},
    {"msg_timeout", "--msg-timeout", "SECONDS", ValueKind::Number, Apply::Live, 0, kMaxMsgTimeout,
     "seconds", "30"},
    {"chat_queue", "--chat-queue", "BYTES", ValueKind::Number, Apply::Live, kMinChatQueue,
     kMaxChatQueue, "bytes", "1048576"},
    // A number to kecho (its range parameter 0-1), not a bool: no Y/N.
    {"chat_echo", "--chat-echo", "0|1", ValueKind::Number, Apply::Live, 0, 1, "", "0"},
    {"chat_split", "--chat-split", "MEMBERS", ValueKind::Number, Apply::Live, 0, kMaxChatSplit,
     "members", "128"},
}};

std::string range(const KechoOption& opt) {
    return std::to_string(opt.min) + "-" + std::to_string(opt.max);
}

// A Choice row's names: "stream|message" -> {"stream", "message"}.
std::vector<std::string_view> choice_names(const KechoOption& opt) {
    std::vector<std::string_view> out;
    std::string_view rest = opt.choices;
    for (;;) {
        const auto bar = rest.find('|');
        out.push_back(rest.substr(0, bar));
        if (bar == std::string_view::npos)
            return out;
        rest.remove_prefix(bar + 1);
    }
}

bool is_choice(const KechoOption& opt, std::string_view text) {
    const auto names = choice_names(opt);
    return std::find(names.begin(), names.end(), text) != names.end();
}

// "stream or message", "a, b or c".
std::string choices_text(const KechoOption& opt) {
    const auto names = choice_names(opt);
    std::string out;
    for (size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += i + 1 == names.size() ? " or " : ", ";
        out += names[i];
    }
    return out;
}

bool is_address(std::string_view text) {
    // The kernel's inet_pton takes no brackets: "[::1]" is a flag-only spelling.
    return !text.starts_with('[') && parse_inet_addr(text).has_value();
}

// Why `text` cannot be a Directory option's value as modprobe.d and the
// kernel take it (one word, no quotes: keechoctl writes it unquoted).
std::optional<std::string> path_problem(const KechoOption& opt, std::string_view text) {
    if (!text.starts_with('/'))
        return "not an absolute path";
    if (text.size() > opt.max)
        return "longer than " + std::to_string(opt.max) + " bytes";
    const bool odd = std::any_of(text.begin(), text.end(), [](char c) {
        return c == '"' || c == '\\' || static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
    });
    if (odd)
        return "a path with blanks, quotes, backslashes or control characters";
    return std::nullopt;
}

bool is_directory(std::string_view path) {
    struct stat st {};
    return ::stat(std::string(path).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

} // namespace

std::span<const KechoOption> kecho_options() {
    return kOptions;
}

const KechoOption* find_option(std::span<const KechoOption> table, std::string_view param) {
    const auto it = std::find_if(table.begin(), table.end(),
                                 [param](const KechoOption& opt) { return opt.param == param; });
    return it == table.end() ? nullptr : &*it;
}

std::optional<std::string> option_value_problem(const KechoOption& opt, std::string_view value) {
    switch (opt.kind) {
    case ValueKind::Number: {
        const auto v = parse_decimal(value);
        if (!v)
            return "not a number";
        if (*v < opt.min || *v > opt.max)
            return "not in " + range(opt);
        return std::nullopt;
    }
    case ValueKind::Bool:
        if (!parse_kernel_bool(value))
            return "not a boolean (0 or 1)";
        return std::nullopt;
    case ValueKind::Address:
        if (!value.empty() && !is_address(value))
            return "not an IPv4 or IPv6 address";
        return std::nullopt;
    case ValueKind::Choice:
        if (!is_choice(opt, value))
            return "not " + choices_text(opt);
        return std::nullopt;
    case ValueKind::Directory:
        return path_problem(opt, value);
    }
    return std::nullopt;
}

std::string parse_flag_value(const KechoOption& opt, std::string_view text) {
    const auto bad = [&](const std::string& why) {
        return UsageError(std::string(opt.flag) + ": '" + std::string(text) + "' " + why);
    };
    switch (opt.kind) {
    case ValueKind::Number:
        if (const auto problem = option_value_problem(opt, text))
            throw bad("is " + *problem);
        return std::to_string(*parse_decimal(text));
    case ValueKind::Bool:
        if (text != "0" && text != "1")
            throw bad("must be 0 or 1");
        return std::string(text);
    case ValueKind::Address:
        if (text == "all")
            return "";
        if (!is_address(text))
            throw bad("is not an IPv4 or IPv6 address (or all)");
        return std::string(text);
    case ValueKind::Choice:
        if (!is_choice(opt, text))
            throw bad("must be " + choices_text(opt));
        return std::string(text);
    case ValueKind::Directory:
        if (const auto problem = path_problem(opt, text))
            throw bad("is " + *problem);
        if (!is_directory(text))
            throw bad("is not an existing directory");
        return std::string(text);
    }
    return std::string(text);
}

std::string normalize_option_value(const KechoOption& opt, std::string_view value) {
    if (opt.kind == ValueKind::Bool) {
        if (const auto b = parse_kernel_bool(value))
            return *b ? "1" : "0";
    } else if (opt.kind == ValueKind::Number) {
        if (const auto v = parse_decimal(value))
            return std::to_string(*v);
    }
    return std::string(value);
}

std::string describe_values(const KechoOption& opt) {
    switch (opt.kind) {
    case ValueKind::Number:
        if (opt.max == opt.min + 1 && opt.unit.empty()) // chat_echo: "0 or 1"
            return std::to_string(opt.min) + " or " + std::to_string(opt.max);
        return opt.unit.empty() ? range(opt) : range(opt) + " " + std::string(opt.unit);
    case ValueKind::Bool:
        return "0 or 1";
    case ValueKind::Address:
        return "an IPv4 or IPv6 address, or all";
    case ValueKind::Choice:
        return choices_text(opt);
    case ValueKind::Directory:
        return "an absolute path of a directory";
    }
    return "";
}

} // namespace kecho::ctl
