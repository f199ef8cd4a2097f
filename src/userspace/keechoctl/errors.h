// The three kinds of failure keechoctl reports, and their exit codes.
//
// - A bad command line or flag value: kecho::UsageError, exit 1, nothing changed.
// - A system call or library call that failed with an errno:
//   kecho::throw_errno(err, "what was being done") from error.h, which throws
//   std::system_error; its code() keeps the errno for callers that act on it
//   (ENOENT, EADDRINUSE). Exit 2. Never format strerror() by hand.
// - A failure keechoctl diagnoses itself, with advice and no errno to keep
//   ("cannot load kecho: no module built for ..."): SystemError, exit 2.
#pragma once

#include "error.h"

#include <stdexcept>
#include <string>

namespace kecho::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitSystem = 2;
// `keechoctl daemon` only: kecho is not installed for the running kernel, so
// restarting cannot help (LSB's and systemd's "not configured";
// kecho.service has RestartPreventExitStatus=6).
inline constexpr int kExitNotInstalled = 6;

using kecho::errno_message;
using kecho::throw_errno;

// Bad command line or flag value (error.h, thrown by the shared parsers
// too): nothing was changed. Exit code 1.
using kecho::UsageError;

// Something on the system is in a state keechoctl cannot handle, said in
// keechoctl's own words (no errno to keep). Exit code 2.
class SystemError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

} // namespace kecho::ctl
