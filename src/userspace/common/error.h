// Errors that say what was being done: "bind 0.0.0.0:12345: Address in use",
// "--port: '0' is not a valid port (1-65535)".
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace kecho {

// "what: Address already in use": how every errno is put into words, the
// same text throw_errno's exceptions carry.
inline std::string errno_message(int err, const std::string& what) {
    return what + ": " + std::generic_category().message(err);
}

// Throw std::system_error for errno `err`, prefixed with what failed.
[[noreturn]] inline void throw_errno(int err, const std::string& what) {
    throw std::system_error(err, std::generic_category(), what);
}

// Throw for the current errno.
[[noreturn]] inline void throw_errno(const std::string& what) {
    throw_errno(errno, what);
}

// A bad command line or flag value, naming the option and the value; nothing
// was done. Each program maps it to its usage exit status.
class UsageError : public std::invalid_argument {
  public:
    using std::invalid_argument::invalid_argument;
};

} // namespace kecho
