#include "drop_writer.h"

#include "errors.h"
#include "tcp_state.h"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace kecho::ctl {

std::string format_drop_line(const SockInfo& s) {
    return format_endpoint(s.src, s.sport) + " " + format_endpoint(s.dst, s.dport) + " " +
           std::string(tcp_state_name(s.state)) + " cookie=" + std::to_string(s.cookie) + "\n";
}

DropWriter::DropWriter(const std::string& path)
    : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CLOEXEC)) {
    if (!fd_)
        throw_errno("cannot open " + path);
}

DropOutcome DropWriter::drop(const SockInfo& sock) {
    const std::string line = format_drop_line(sock);
    for (;;) {
        const ssize_t n = ::write(fd_.get(), line.data(), line.size());
        if (n == static_cast<ssize_t>(line.size()))
            return DropOutcome::Dropped;
        if (n >= 0)
            throw SystemError("short write to " + path_);
        if (errno == EINTR)
            continue;
        if (errno == ENOENT)
            return DropOutcome::Gone;
        throw_errno("drop " + line.substr(0, line.size() - 1));
    }
}

void DropWriter::close() {
    if (fd_ && ::close(fd_.release()) != 0)
        throw_errno("closing " + path_);
}

} // namespace kecho::ctl
