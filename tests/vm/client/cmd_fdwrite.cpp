// fdwrite --pid P --fd N --text T: write the line T (a newline is added)
// through file descriptor N of process P, taken with pidfd_getfd(): the
// very same open file, so whatever was decided when P opened it (its
// opener's credentials) still holds. Tests use it to hand a file opened by
// an unprivileged process to a privileged writer. Prints "fdwrite: wrote N
// bytes" or "fdwrite: FAIL: write: <strerror>" (exit 1); taking the
// descriptor needs ptrace rights over P (root has them).
#include "commands.h"
#include "error.h"
#include "options.h"
#include "unique_fd.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/syscall.h>
#include <unistd.h>

namespace kecho::testclient {

int cmd_fdwrite(const Argv& argv) {
    const Args args(argv, {"pid", "fd", "text"});
    if (!args.has("pid") || !args.has("fd") || !args.has("text"))
        throw std::invalid_argument("--pid, --fd and --text are required");
    const auto pid = static_cast<pid_t>(args.num("pid", 0));
    const auto target = static_cast<int>(args.num("fd", 0));
    const std::string line = args.str("text", "") + "\n";

    const UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    if (!pidfd)
        throw_errno("pidfd_open " + std::to_string(pid));
    const UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd.get(), target, 0)));
    if (!fd)
        throw_errno("pidfd_getfd " + std::to_string(pid) + " fd " + std::to_string(target));
    const ssize_t n = ::write(fd.get(), line.data(), line.size());
    if (n < 0) {
        std::printf("fdwrite: FAIL: write: %s\n", std::strerror(errno));
        return 1;
    }
    std::printf("fdwrite: wrote %zd bytes\n", n);
    return 0;
}

} // namespace kecho::testclient
