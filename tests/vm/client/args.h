// Command-line options of one subcommand: "--name value" pairs, checked
// against the names the subcommand accepts, with typed, validated getters.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace kecho::testclient {

class Args {
  public:
    // Throws std::invalid_argument on an unknown option or a missing value.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& allowed);

    [[nodiscard]] bool has(const std::string& name) const { return values_.contains(name); }
    [[nodiscard]] std::string str(const std::string& name, const std::string& fallback) const;
    // Non-negative integer; accepts k/K (1024) and m/M (1048576) suffixes.
    [[nodiscard]] std::uint64_t num(const std::string& name, std::uint64_t fallback) const;

  private:
    std::map<std::string, std::string> values_;
};

// "16M" -> 16777216. Throws std::invalid_argument naming `what`.
std::uint64_t parse_size(const std::string& text, const std::string& what);

} // namespace kecho::testclient
