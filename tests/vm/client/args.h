// Command-line options of one subcommand: "--name value" pairs, checked
// against the names the subcommand accepts (without "--"), read through the
// shared parser (common/cli_args.h), with typed, validated getters. A
// subcommand may also name flags, options without a value ("--until-closed").
#pragma once

#include "cli_args.h"
#include "parse_number.h"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace kecho::testclient {

using kecho::parse_size;

class Args {
  public:
    // Throws UsageError (an std::invalid_argument) on an unknown option, a
    // missing value or an argument that is not an option.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& allowed,
         const std::set<std::string>& flags = {});

    [[nodiscard]] bool has(const std::string& name) const { return parsed_.has("--" + name); }
    [[nodiscard]] std::string str(const std::string& name, const std::string& fallback) const;
    // Non-negative integer; accepts k/K (1024) and m/M (1048576) suffixes.
    [[nodiscard]] std::uint64_t num(const std::string& name, std::uint64_t fallback) const;

  private:
    ParsedArgs parsed_;
};

} // namespace kecho::testclient
