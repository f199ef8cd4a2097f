// halfclose [--size N]: send N bytes, shutdown(SHUT_WR), then every byte
// must come back in order followed by an orderly EOF (not a reset).
#include "commands.h"
#include "net.h"
#include "options.h"
#include "payload.h"

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
        std::vector<std::uint8_t> buf(65536);
        for (;;) {
            const ssize_t n = ::recv(fd.get(), buf.data(), buf.size(), 0);
            if (n == 0)
                break;
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                read_error = errno == EAGAIN ? std::string("timed out waiting for data or EOF")
                                             : std::string(std::strerror(errno));
                ::shutdown(fd.get(), SHUT_RDWR);
                break;
            }
            got.insert(got.end(), buf.begin(), buf.begin() + n);
        }
    }
    const std::string where =
        " (" + std::to_string(got.size()) + " of " + std::to_string(size) + " bytes back)";
    if (!write_error.empty()) {
        std::printf("halfclose: FAIL: write: %s%s\n", write_error.c_str(), where.c_str());
        return 1;
    }
    if (auto off = first_mismatch(got, data)) {
        std::printf("halfclose: FAIL: %s%s\n",
                    describe_mismatch(*off, got[*off], data[*off]).c_str(), where.c_str());
        return 1;
    }
    if (!read_error.empty()) {
        std::printf("halfclose: FAIL: read: %s%s\n", read_error.c_str(), where.c_str());
        return 1;
    }
    if (got.size() != size) {
        std::printf("halfclose: FAIL: EOF came early or late%s\n", where.c_str());
        return 1;
    }
    std::printf("halfclose: %zu bytes echoed after shutdown(SHUT_WR), then EOF\n", size);
    return 0;
}

} // namespace kecho::testclient
