// Dropping connections through /proc/net/drop_tcp_sock, one tuple per write()
// so that each gets its own answer (ENOENT: already gone).
#pragma once

#include "sock_info.h"
#include "unique_fd.h"

#include <string>

namespace kecho::ctl {

// "LOCAL REMOTE\n", e.g. "127.0.0.1:12345 127.0.0.1:40000\n" or
// "[::1]:12345 [::1]:40000\n".
std::string format_drop_line(const SockInfo& sock);

enum class DropOutcome { Dropped, Gone };

class DropWriter {
  public:
    explicit DropWriter(const std::string& path); // throws SystemError
    // Throws SystemError on anything but success or ENOENT.
    DropOutcome drop(const SockInfo& sock);
    void close(); // reports an error close() returns

  private:
    std::string path_;
    UniqueFd fd_;
};

} // namespace kecho::ctl
