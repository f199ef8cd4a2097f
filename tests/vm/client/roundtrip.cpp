#include "roundtrip.h"

#include "net.h"
#include "payload.h"

#include <exception>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

static std::string what_of(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
        return "unknown error";
    }
}

RoundTrip echo_round_trip(int fd, std::span<const std::uint8_t> payload) {
    std::exception_ptr write_error;
    std::exception_ptr read_error;
    std::vector<std::uint8_t> got(payload.size());
    std::size_t n = 0;
    {
        std::jthread writer([&] {
            try {
                write_all(fd, payload);
            } catch (...) {
                write_error = std::current_exception();
            }
        });
        try {
            n = read_full(fd, got, &n);
        } catch (...) {
            read_error = std::current_exception();
            // Unblock the writer rather than wait for its timeout.
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    RoundTrip r;
    if (write_error) {
        r.why = "write: " + what_of(write_error);
        return r;
    }
    if (auto off = first_mismatch(std::span(got).first(n), payload)) {
        r.why = describe_mismatch(*off, got[*off], payload[*off]);
        return r;
    }
    if (read_error) {
        r.why = "read: " + what_of(read_error);
        return r;
    }
    if (n != payload.size()) {
        r.why = "connection closed after " + std::to_string(n) + " of " +
                std::to_string(payload.size()) + " bytes";
        return r;
    }
    r.ok = true;
    return r;
}

} // namespace kecho::testclient
