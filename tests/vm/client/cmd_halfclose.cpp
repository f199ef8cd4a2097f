// halfclose [--size N]: send N bytes, shutdown(SHUT_WR), then every byte
// must come back in order followed by an orderly EOF (not a reset).
#include "commands.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

int cmd_halfclose(const Argv& argv) {
    const Args args(argv, net_options({"size"}));
    const Endpoint ep = endpoint_from(args);
    const std::size_t size = args.num("size", 65536);
    const auto data = random_payload(size, fresh_seed());
    const UniqueFd fd = connect_blocking(ep, io_timeout(args));

    std::string write_error;
    std::vector<std::uint8_t> got;
    got.reserve(size);
    std::string read_error;
    {
        std::jthread writer([&] {
            try {
                write_all(fd.get(), data);
                if (::shutdown(fd.get(), SHUT_WR) != 0)
                    write_error = std::string("shutdown(SHUT_WR): ") + std::strerror(errno);
            } catch (const std::exception& e) {
                write_error = e.what();
            }
        });
        read_error = read_to_eof(fd.get(), got, "timed out waiting for data or EOF");
    }
    const std::string where =
        " (" + std::to_string(got.size()) + " of " + std::to_string(size) + " bytes back)";
    if (const std::string why = judge_echo(got, data, write_error, read_error); !why.empty()) {
        std::printf("halfclose: FAIL: %s%s\n", why.c_str(), where.c_str());
        return 1;
    }
    std::printf("halfclose: %zu bytes echoed after shutdown(SHUT_WR), then EOF\n", size);
    return 0;
}

} // namespace kecho::testclient
