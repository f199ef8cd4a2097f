#include "echo_timeout.h"

#include "errors.h"
#include "number_parse.h"

namespace kecho::ctl {

std::chrono::milliseconds echo_timeout(const ParsedArgs& args) {
    constexpr unsigned kDefaultMs = 2000;
    constexpr unsigned kMaxMs = 600000;
    const auto v = args.value("--timeout");
    if (!v)
        return std::chrono::milliseconds(kDefaultMs);
    const unsigned ms = parse_uint(*v, "--timeout");
    if (ms == 0 || ms > kMaxMs)
        throw UsageError("--timeout: '" + *v + "' is not a valid timeout (1-600000 ms)");
    return std::chrono::milliseconds(ms);
}

} // namespace kecho::ctl
