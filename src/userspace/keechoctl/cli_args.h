// Command-line option parsing: "--name value", "--name=value", flags, "--".
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kecho::ctl {

struct OptionSpec {
    std::string_view name;       // "--port"
    std::string_view value_name; // "N"; empty for a flag without a value
    std::string_view help;
    [[nodiscard]] bool takes_value() const { return !value_name.empty(); }
};

class ParsedArgs {
  public:
    [[nodiscard]] bool has(std::string_view name) const;
    // The last value given for `name`.
    [[nodiscard]] std::optional<std::string> value(std::string_view name) const;
    [[nodiscard]] std::vector<std::string> values(std::string_view name) const;
    [[nodiscard]] const std::vector<std::string>& positionals() const { return positionals_; }

    void add(std::string_view name, std::string value);
    void add_positional(std::string value) { positionals_.push_back(std::move(value)); }

  private:
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> positionals_;
};

// Throws UsageError ("drop: unknown option '--foo'") on anything not in `specs`.
// "-h" and "--help" are always accepted and recorded as "--help".
ParsedArgs parse_args(std::span<const std::string> args, std::span<const OptionSpec> specs,
                      std::string_view command);

} // namespace kecho::ctl
