#include "cli_args.h"

#include "errors.h"

#include <algorithm>

namespace kecho::ctl {

bool ParsedArgs::has(std::string_view name) const {
    return values_.find(name) != values_.end();
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
    const auto it = values_.find(name);
    if (it == values_.end())
        return {};
    return it->second;
}

void ParsedArgs::add(std::string_view name, std::string value) {
    auto& slot = values_[std::string(name)];
    if (!value.empty() || slot.empty())
        slot.push_back(std::move(value));
}

ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs,
                      std::string_view command) {
    const std::string where(command);
    ParsedArgs out;
    bool options_done = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (options_done || arg.size() < 2 || arg[0] != '-') {
            out.add_positional(arg);
            continue;
        }
        if (arg == "--") {
            options_done = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            out.add("--help", "");
            continue;
        }
        const auto eq = arg.find('=');
        const std::string name = arg.substr(0, eq);
        const auto spec = std::find_if(specs.begin(), specs.end(),
                                       [&name](const OptionSpec& s) { return s.name == name; });
        if (spec == specs.end())
            throw UsageError(where + ": unknown option '" + name + "' (see --help)");
        if (!spec->takes_value()) {
            if (eq != std::string::npos)
                throw UsageError(where + ": option " + name + " takes no value");
            out.add(name, "");
            continue;
        }
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else {
            if (i + 1 >= args.size())
                throw UsageError(where + ": option " + name + " needs a value (" +
                                 std::string(spec->value_name) + ")");
            value = args[++i];
        }
        if (value.empty())
            throw UsageError(where + ": option " + name + " needs a non-empty value");
        out.add(name, std::move(value));
    }
    return out;
}

} // namespace kecho::ctl
