// Errors that say what was being done: "bind 0.0.0.0:12345: Address in use".
#pragma once

#include <cerrno>
#include <string>
#include <system_error>

namespace kecho {

// Throw std::system_error for errno `err`, prefixed with what failed.
[[noreturn]] inline void throw_errno(int err, const std::string& what) {
    throw std::system_error(err, std::generic_category(), what);
}

// Throw for the current errno.
[[noreturn]] inline void throw_errno(const std::string& what) {
    throw_errno(errno, what);
}

} // namespace kecho
