// The two kinds of failure keechoctl reports, mapped to exit codes 1 and 2.
#pragma once

#include <stdexcept>
#include <string>

namespace kecho::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitSystem = 2;

// Bad command line or flag value: nothing was changed. Exit code 1.
class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Something on the system failed or is in a state we cannot handle. Exit code 2.
class SystemError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace kecho::ctl
