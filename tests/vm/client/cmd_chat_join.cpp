// chatjoin --messages K [--max-size S] [--order be|le] [--seed X]
//          [--straddle 1] [--stats PATH]
// "A client gets only messages completed after it joined": A and B join
// (chat_clients +2) and pass the hello barrier; A sends K messages and B
// confirms it got all K; then C joins (chat_clients +3) and passes the
// barrier (A and B get C's hello); A sends a marker. C must get the marker
// and nothing else: none of A's first K, not A's or B's hello. With
// --straddle 1 A has sent the header and half the body of one more message
// before C joined (acknowledged by kecho's TCP) and completes it after:
// completed after C joined, so C must get it too, before the marker. At the
// end all three half-close and must see EOF with nothing more.
#include "chat_room.h"
#include "commands.h"
#include "error.h"
#include "options.h"
#include "payload.h"

#include <algorithm>
#include <cstdio>
#include <sys/ioctl.h>
#include <thread>

namespace kecho::testclient {

int cmd_chatjoin(const Argv& argv) {
    const Args args(argv,
                    net_options({"messages", "max-size", "order", "seed", "straddle", "stats"}));
    const Endpoint ep = endpoint_from(args);
    const auto k = static_cast<std::uint32_t>(args.num("messages", 20));
    const bool straddle = args.num("straddle", 0) != 0;
    const std::string stats = args.str("stats", kDefaultStats);
    const auto timeout = io_timeout(args);
    ChatPlan plan;
    plan.seed = args.num("seed", fresh_seed());
    plan.max_size = std::max<std::uint64_t>(args.num("max-size", 2048), kChatIdSize);
    plan.order = parse_order(args.str("order", "be"));
    const std::string what = "A sends " + std::to_string(k) + " messages before C joins" +
                             (straddle ? ", one more begun before and completed after" : "") +
                             " (seed " + std::to_string(plan.seed) + ")";
    auto fail = [&](const std::string& why) {
        std::printf("chatjoin: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    };
    const auto base = stats_counter(stats, "chat_clients");
    if (!base)
        return fail("no chat_clients in " + stats + " (kecho without chat mode?)");

    constexpr std::uint32_t kA = 0;
    constexpr std::uint32_t kB = 1;
    constexpr std::uint32_t kC = 2;
    ChatLoop loop(ep, plan);
    ChatConn& a = loop.connect(kA, [](std::uint32_t s) {
        return s == kB || s == kC ? FromRule::any_run : FromRule::none;
    });
    ChatConn& b = loop.connect(kB, [](std::uint32_t s) {
        return s == kA || s == kC ? FromRule::any_run : FromRule::none;
    });
    auto problem = [&](const char* phase) {
        if (const ChatConn* f = loop.first_failure())
            return fail(f->rx->why());
        std::string why =
            std::string(phase) + ": nothing for " + std::to_string(timeout.count()) + " s";
        for (const auto& c : loop.conns())
            why += "; client " + std::to_string(c->id) + ": " + c->end_text() + ", " +
                   c->rx->position();
        return fail(why);
    };
    if (!loop.run_until([&] { return a.connected && b.connected; }, timeout))
        return problem("A and B connect");
    std::string why;
    if (!hello_barrier(loop, {&a, &b}, false, stats, *base + 2, timeout, &why))
        return fail(why);
    const std::uint32_t ha = a.sent;
    const std::uint32_t hb = b.sent;
    for (std::uint32_t i = 0; i < k; ++i)
        loop.send_msg(a, ha + i);
    if (!loop.run_until([&] { return b.rx->from(kA).first + b.rx->from(kA).count == ha + k; },
                        timeout))
        return problem("B confirms A's messages");

    std::uint32_t next = ha + k;
    std::vector<std::uint8_t> rest;
    if (straddle) {
        const auto f = plan.framed(kA, next);
        const std::size_t half = kHeaderSize + (f.size() - kHeaderSize) / 2;
        a.sent = next + 1;
        ChatLoop::send_bytes(a, std::span(f).first(half));
        rest.assign(f.begin() + static_cast<std::ptrdiff_t>(half), f.end());
        // kecho's TCP has it all (it is in kecho's hands before C joins).
        if (!loop.run_until(
                [&] {
                    int unacked = 0;
                    return a.unsent() == 0 && ::ioctl(a.fd.get(), TIOCOUTQ, &unacked) == 0 &&
                           unacked == 0;
                },
                timeout))
            return problem("A's half message acknowledged");
        ++next;
    }
    ChatConn& c = loop.connect(
        kC, [](std::uint32_t s) { return s == kA ? FromRule::any_run : FromRule::none; });
    // C's hello read by kecho means C was in the room: A and B getting it
    // is C's barrier.
    if (!loop.run_until([&] { return c.connected; }, timeout))
        return problem("C connects");
    loop.send_msg(c, 0);
    if (!loop.run_until([&] { return a.rx->from(kC).count == 1 && b.rx->from(kC).count == 1; },
                        timeout))
        return problem("C's hello");
    if (straddle)
        ChatLoop::send_bytes(a, rest);
    const std::uint32_t marker = next;
    loop.send_msg(a, marker);
    const std::uint32_t want_c = straddle ? 2 : 1;
    if (!loop.run_until(
            [&] {
                return c.rx->from(kA).count >= want_c &&
                       b.rx->from(kA).first + b.rx->from(kA).count == marker + 1;
            },
            timeout))
        return problem("the marker");
    for (const auto& conn : loop.conns())
        ChatLoop::shut_write(*conn);
    loop.run_until([&] { return a.ended && b.ended && c.ended; }, timeout);
    if (const ChatConn* f = loop.first_failure())
        return fail(f->rx->why());
    const auto& conns = loop.conns();
    if (const auto bad =
            std::find_if(conns.begin(), conns.end(),
                         [](const auto& conn) { return !conn->eof || conn->rx->mid_message(); });
        bad != conns.end())
        return fail("client " + std::to_string((*bad)->id) + " after its half-close: " +
                    (*bad)->end_text() + " with " + (*bad)->rx->position());
    const ChatReceiver::Run run = c.rx->from(kA);
    if (run.first != marker + 1 - want_c || run.count != want_c || c.rx->messages() != want_c)
        return fail("C got A's #" + std::to_string(run.first) + "..#" +
                    std::to_string(run.first + run.count - 1) + " (" +
                    std::to_string(c.rx->messages()) + " messages in all), want only #" +
                    std::to_string(marker + 1 - want_c) + (straddle ? " and the marker" : "") +
                    " (#" + std::to_string(marker) + ")");
    if (!b.rx->expect_tail(kA, ha - 1, marker + 1) || !b.rx->expect_from(kC, 1, true))
        return fail(b.rx->why());
    if (!a.rx->expect_tail(kB, hb - 1, hb) || !a.rx->expect_from(kC, 1, true))
        return fail(a.rx->why());
    std::printf("chatjoin: %s: delivered exactly: C got only what was completed after it joined "
                "(A's #%u..#%u), B got all %u of A's messages\n",
                what.c_str(), marker + 1 - want_c, marker, marker + 1 - ha);
    return 0;
}

} // namespace kecho::testclient
