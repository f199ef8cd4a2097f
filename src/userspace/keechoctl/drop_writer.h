// Dropping connections through /proc/net/drop_tcp_sock, one tuple per write()
// so that each gets its own answer (ENOENT: already gone).
#pragma once

#include "sock_diag.h"
#include "unique_fd.h"

#include <string>

namespace kecho::ctl {

// "LOCAL REMOTE STATE cookie=N\n", e.g.
// "127.0.0.1:12345 127.0.0.1:40000 TIME_WAIT cookie=4099\n": the module drops
// the socket only if it is still in that state and has that sock_diag
// cookie, so exactly the socket listed is dropped, never one that took its
// place or moved on (like ss -K). Otherwise the line fails with ENOENT.
std::string format_drop_line(const SockInfo& sock);

// Gone: no socket with that tuple, state and cookie any more.
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
