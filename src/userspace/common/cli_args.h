// The one command-line parser of keechoctl, kecho-bench, the echo servers and
// kecho-testclient: "--name value", "--name=value", flags, positionals, "--".
#pragma once

#include "error.h"

#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kecho {

struct OptionSpec {
    std::string_view name;       // "--port"
    std::string_view value_name; // "N"; empty for a flag without a value
    std::string_view help;
    [[nodiscard]] bool takes_value() const { return !value_name.empty(); }
};

// "-h" and "--help" when a program lists it among its options.
inline constexpr OptionSpec kHelpOption{"--help", "", "this help"};

// What the options said, by name ("--port"); a flag's value is "".
class ParsedArgs {
  public:
    [[nodiscard]] bool has(std::string_view name) const { return values_.contains(name); }
    // The last value given for `name`.
    [[nodiscard]] std::optional<std::string> value(std::string_view name) const {
        const auto it = values_.find(name);
        if (it == values_.end())
            return std::nullopt;
        return it->second.back();
    }
    // Every value given for `name`, in order.
    [[nodiscard]] std::vector<std::string> values(std::string_view name) const {
        const auto it = values_.find(name);
        return it == values_.end() ? std::vector<std::string>{} : it->second;
    }
    [[nodiscard]] const std::vector<std::string>& positionals() const { return positionals_; }

    void add(std::string_view name, std::string value) {
        values_[std::string(name)].push_back(std::move(value));
    }
    void add_positional(std::string value) { positionals_.push_back(std::move(value)); }

  private:
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> positionals_;
};

// Whether "--bind=" is a value ("" for "every address") or a usage error.
enum class EmptyValues { refuse, allow };

// Parses `args` (argv without the program, or a subcommand's arguments)
// against `specs`. An argument not starting with '-' (or just "-"), and
// everything after "--", is a positional. "-h" stands for "--help" when
// `specs` lists it. Throws UsageError, prefixed "command: " when `command`
// is not empty, naming the option: unknown, missing or unexpected value.
inline ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs,
                             std::string_view command, EmptyValues empty = EmptyValues::refuse) {
    const std::string where = command.empty() ? "" : std::string(command) + ": ";
    const auto find = [specs](std::string_view name) {
        return std::find_if(specs.begin(), specs.end(),
                            [name](const OptionSpec& s) { return s.name == name; });
    };
    const bool help_listed = find(kHelpOption.name) != specs.end();
    ParsedArgs out;
    bool options_done = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_done || arg.size() < 2 || arg[0] != '-') {
            out.add_positional(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        const auto eq = arg.find('=');
        const std::string name = help_listed && arg == "-h" ? "--help" : arg.substr(0, eq);
        const auto spec = find(name);
        if (spec == specs.end())
            throw UsageError(where + "unknown option '" + name + "'" +
                             (help_listed ? " (see --help)" : ""));
        if (!spec->takes_value()) {
            if (eq != std::string::npos)
                throw UsageError(where + "option " + name + " takes no value, got '" + arg + "'");
            out.add(name, "");
            continue;
        }
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else {
            if (i + 1 >= args.size())
                throw UsageError(where + "option " + name + " needs a value (" +
                                 std::string(spec->value_name) + ")");
            value = args[++i];
        }
        if (value.empty() && empty == EmptyValues::refuse)
            throw UsageError(where + "option " + name + " needs a non-empty value (" +
                             std::string(spec->value_name) + ")");
        out.add(name, std::move(value));
    }
    return out;
}

// The same for a program's argv (from argv + 1).
inline ParsedArgs parse_args(std::span<const char* const> argv, std::span<const OptionSpec> specs,
                             std::string_view command, EmptyValues empty = EmptyValues::refuse) {
    const std::vector<std::string> args(argv.begin(), argv.end());
    return parse_args(std::span<const std::string>(args), specs, command, empty);
}

// For programs that take no positionals: throws UsageError on the first.
inline void refuse_positionals(const ParsedArgs& args, std::string_view command) {
    if (!args.positionals().empty())
        throw UsageError((command.empty() ? "" : std::string(command) + ": ") +
                         "unexpected argument '" + args.positionals().front() + "'");
}

} // namespace kecho
