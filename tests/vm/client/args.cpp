#include "args.h"

#include <algorithm>

namespace kecho::testclient {

namespace {

// Every option of the client takes a value.
ParsedArgs parse(const std::vector<std::string>& argv, const std::set<std::string>& allowed) {
    std::vector<std::string> names(allowed.size());
    std::transform(allowed.begin(), allowed.end(), names.begin(),
                   [](const std::string& name) { return "--" + name; });
    std::vector<OptionSpec> specs(names.size());
    std::transform(names.begin(), names.end(), specs.begin(), [](const std::string& name) {
        return OptionSpec{name, "VALUE", ""};
    });
    ParsedArgs parsed = parse_args(argv, specs, "", EmptyValues::allow);
    refuse_positionals(parsed, "");
    return parsed;
}

} // namespace

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& allowed)
    : parsed_(parse(argv, allowed)) {}

std::string Args::str(const std::string& name, const std::string& fallback) const {
    return parsed_.value("--" + name).value_or(fallback);
}

std::uint64_t Args::num(const std::string& name, std::uint64_t fallback) const {
    const auto value = parsed_.value("--" + name);
    return value ? parse_size(*value, "--" + name) : fallback;
}

} // namespace kecho::testclient
