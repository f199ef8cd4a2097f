// Errors that say what was being done: "bind 0.0.0.0:12345: Address in use".
#pragma once

#include <cerrno>
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

} // namespace kecho
