// msgmode --expect stream|message [--ready FILE --go FILE]
// Which mode kecho serves one connection in, shown by effect, not timing:
// a framed message comes back byte-identical in both, so after such a round
// trip the client sends a header announcing 0xffffffff bytes (more than
// any max_msg, the same in either byte order). A stream connection echoes
// those 4 bytes as data; a message connection is reset. With --ready and
// --go, the first round trip is made, FILE (ready) created, and the probe
// waits until the go FILE exists (so a test can switch kecho's mode while
// this connection is established). Exit 0 when the mode is the expected one.
#include "commands.h"
#include "error.h"
#include "msg_frame.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "roundtrip.h"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sys/socket.h>
#include <sys/stat.h>
#include <thread>

namespace kecho::testclient {

int cmd_msgmode(const Argv& argv) {
    const Args args(argv, net_options({"expect", "ready", "go"}));
    const Endpoint ep = endpoint_from(args);
    const std::string expect = args.str("expect", "");
    if (expect != "stream" && expect != "message")
        throw std::invalid_argument("--expect must be stream or message");
    const auto timeout = io_timeout(args);
    const UniqueFd fd = connect_blocking(ep, timeout);

    const MsgPlan plan{fresh_seed(), 100, 100};
    if (const RoundTrip r = echo_round_trip(fd.get(), plan.framed(0, ByteOrder::big)); !r.ok) {
        std::printf("msgmode: FAIL: a framed 100-byte message: %s\n", r.why.c_str());
        return 1;
    }
    if (args.has("ready"))
        std::ofstream(args.str("ready", "")) << "ready\n";
    if (args.has("go")) {
        const std::string go = args.str("go", "");
        const auto end = Clock::now() + timeout;
        struct stat st {};
        while (::stat(go.c_str(), &st) != 0) {
            if (Clock::now() > end) {
                std::printf("msgmode: FAIL: %s did not appear\n", go.c_str());
                return 1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        if (const RoundTrip r = echo_round_trip(fd.get(), plan.framed(1, ByteOrder::big)); !r.ok) {
            std::printf("msgmode: FAIL: a framed message after the go: %s\n", r.why.c_str());
            return 1;
        }
    }

    const std::array<std::uint8_t, kHeaderSize> huge{0xff, 0xff, 0xff, 0xff};
    write_all(fd.get(), huge);
    std::string seen;
    try {
        std::array<std::uint8_t, kHeaderSize> got{};
        const std::size_t n = read_full(fd.get(), got);
        if (n == got.size() && got == huge)
            seen = "stream";
        else
            seen = "closed after " + std::to_string(n) + " byte(s) of the probe came back";
    } catch (const std::system_error& e) {
        seen = e.code().value() == ECONNRESET ? "message" : std::string("error: ") + e.what();
    } catch (const std::exception& e) {
        seen = std::string("no answer: ") + e.what();
    }
    const std::string how = seen == "stream"
                                ? "a header announcing 4294967295 bytes came back as data"
                            : seen == "message" ? "a header announcing 4294967295 bytes was reset "
                                                  "(Connection reset by peer)"
                                                : seen;
    if (seen != expect) {
        std::printf("msgmode: FAIL: want %s mode on %s: %s\n", expect.c_str(),
                    ep.describe().c_str(), how.c_str());
        return 1;
    }
    std::printf("msgmode: %s mode on %s%s: %s\n", seen.c_str(), ep.describe().c_str(),
                args.has("go") ? " (established before the go)" : "", how.c_str());
    return 0;
}

} // namespace kecho::testclient
