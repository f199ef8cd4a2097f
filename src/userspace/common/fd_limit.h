// Raise this process's open-file limit to its hard limit: the servers and
// the bench client hold a descriptor per connection.
#pragma once

#include <sys/resource.h>

namespace kecho {

inline void raise_fd_limit() {
    rlimit rl{};
    if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &rl);
    }
}

} // namespace kecho
