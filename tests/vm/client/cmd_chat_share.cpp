// chatshare --receivers N --messages M --size S [--rcvbuf B] [--max-share F]
//           [--stats PATH]
// "One message body in memory is shared by all its receivers", down to
// their sockets. N receivers that never read join, each with a receive
// buffer of B bytes (SO_RCVBUFFORCE, before connecting, so the window
// scale allows it), then one sender sends M messages of S bytes. Once
// kecho has written every delivery to a socket (chat_delivered grew by
// N * M, queued_bytes is 0), N * M * (S + 4) bytes sit unread in TCP's
// queues. The memory the guest lost meanwhile (MemFree) must be below F
// percent of that (default 50): a copy per receiver costs all of it, and
// the skbs holding the bytes come on top either way. What the receivers'
// queues hold (FIONREAD) is reported beside it.
#include "chat_check.h"
#include "chat_room.h"
#include "commands.h"
#include "error.h"
#include "msg_frame.h"
#include "net.h"
#include "options.h"
#include "proc_stats.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <thread>
#include <vector>

namespace kecho::testclient {

namespace {

std::optional<std::uint64_t> mem_free_kb() {
    const auto text = read_text_file("/proc/meminfo");
    return text ? parse_counter(*text, "MemFree:") : std::nullopt;
}

UniqueFd connect_with_rcvbuf(const Endpoint& ep, int rcvbuf, std::chrono::seconds timeout) {
    UniqueFd fd(::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd)
        throw_errno("socket");
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) != 0)
        throw_errno("setsockopt SO_RCVBUFFORCE");
    set_io_timeouts(fd.get(), timeout);
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) != 0)
        throw_errno("connect " + ep.describe());
    return fd;
}

// Poll PATH's counters until done() says so; false after `timeout`.
template <typename Done>
bool wait_for_stats(const std::string& path, std::chrono::seconds timeout, Done done) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
        if (done(path))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done(path);
}

} // namespace

int cmd_chatshare(const Argv& argv) {
    const Args args(argv,
                    net_options({"receivers", "messages", "size", "rcvbuf", "max-share", "stats"}));
    const Endpoint ep = endpoint_from(args);
    const auto timeout = io_timeout(args);
    const auto n = args.num("receivers", 50);
    const auto m = args.num("messages", 200);
    const auto size = args.num("size", 4000);
    const auto rcvbuf = static_cast<int>(args.num("rcvbuf", 2 << 20));
    const auto max_share = args.num("max-share", 50);
    const std::string stats = args.str("stats", kDefaultStats);
    const std::uint64_t held = n * m * (size + kHeaderSize);
    const std::string what = std::to_string(n) + " receivers that never read, " +
                             std::to_string(m) + " messages of " + std::to_string(size) + " bytes";
    auto fail = [&](const std::string& why) {
        std::printf("chatshare: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    };
    auto counter = [](const std::string& path, const char* key) {
        return stats_counter(path, key).value_or(0);
    };

    const auto base = stats_counter(stats, "chat_clients");
    const auto delivered0 = stats_counter(stats, "chat_delivered");
    const auto free0 = mem_free_kb();
    if (!base || !delivered0)
        return fail("no chat_clients/chat_delivered in " + stats + " (kecho without chat mode?)");
    if (!free0)
        return fail("no MemFree in /proc/meminfo");

    std::vector<UniqueFd> receivers;
    for (std::uint64_t i = 0; i < n; i++)
        receivers.push_back(connect_with_rcvbuf(ep, rcvbuf, timeout));
    UniqueFd sender = connect_blocking(ep, timeout);
    if (!wait_for_stats(stats, timeout, [&](const std::string& p) {
            return counter(p, "chat_clients") >= *base + n + 1;
        }))
        return fail("the room never had all " + std::to_string(n + 1) + " clients");

    const std::vector<std::uint8_t> body(size, 0x5a);
    const auto message = frame(body, ByteOrder::big);
    for (std::uint64_t i = 0; i < m; i++)
        write_all(sender.get(), message);
    if (!wait_for_stats(stats, timeout, [&](const std::string& p) {
            return counter(p, "chat_delivered") >= *delivered0 + n * m &&
                   counter(p, "queued_bytes") == 0;
        }))
        return fail("kecho did not write every delivery to a socket: chat_delivered grew by " +
                    std::to_string(counter(stats, "chat_delivered") - *delivered0) + " of " +
                    std::to_string(n * m) + ", queued_bytes " +
                    std::to_string(counter(stats, "queued_bytes")));

    const auto free1 = mem_free_kb().value_or(*free0);
    const std::uint64_t used = free1 < *free0 ? (*free0 - free1) * 1024 : 0;
    std::uint64_t unread = 0;
    for (const auto& fd : receivers) {
        int bytes = 0;
        if (::ioctl(fd.get(), FIONREAD, &bytes) == 0 && bytes > 0)
            unread += static_cast<std::uint64_t>(bytes);
    }
    const std::string numbers =
        std::to_string(held) + " bytes delivered and unread (" + std::to_string(unread) +
        " in the receivers' queues); the guest's memory in use grew by " + std::to_string(used) +
        " bytes (" + std::to_string(used * 100 / held) + "%; at most " + std::to_string(max_share) +
        "%)";
    if (used * 100 >= held * max_share)
        return fail(numbers + ": a copy per receiver?");
    std::printf("chatshare: OK: %s: %s\n", what.c_str(), numbers.c_str());
    return 0;
}

} // namespace kecho::testclient
