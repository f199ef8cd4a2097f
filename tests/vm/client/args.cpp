#include "args.h"

#include <algorithm>

namespace kecho::testclient {

namespace {

// Every option takes a value, except the flags.
ParsedArgs parse(const std::vector<std::string>& argv, const std::set<std::string>& allowed,
                 const std::set<std::string>& flags) {
    const auto dashes = [](const std::string& name) { return "--" + name; };
    std::vector<std::string> names(allowed.size() + flags.size());
    std::transform(flags.begin(), flags.end(),
                   std::transform(allowed.begin(), allowed.end(), names.begin(), dashes), dashes);
    std::vector<OptionSpec> specs(names.size());
    for (std::size_t i = 0; i < names.size(); ++i)
        specs[i] = OptionSpec{names[i], i < allowed.size() ? "VALUE" : "", ""};
    ParsedArgs parsed = parse_args(argv, specs, "", EmptyValues::allow);
    refuse_positionals(parsed, "");
    return parsed;
}

} // namespace

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& allowed,
           const std::set<std::string>& flags)
    : parsed_(parse(argv, allowed, flags)) {}

std::string Args::str(const std::string& name, const std::string& fallback) const {
    return parsed_.value("--" + name).value_or(fallback);
}

std::uint64_t Args::num(const std::string& name, std::uint64_t fallback) const {
    const auto value = parsed_.value("--" + name);
    return value ? parse_size(*value, "--" + name) : fallback;
}

} // namespace kecho::testclient
