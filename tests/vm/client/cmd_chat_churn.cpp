// chatchurn --steady N --messages M --churn C [--max-size S] [--order be|le]
//           [--pause-ms P] [--window BYTES] [--seed X] [--stats PATH]
// Join/leave churn while messages flow. N steady clients join and pass the
// hello barrier, then send M messages each (P ms between rounds) while up
// to C churners at a time join, read a random number (1..20) of messages,
// send two of their own, and leave by turns: FIN (half-close, then read to
// EOF), RST (SO_LINGER 0) or close() with whatever is unread. The steady
// clients must get exactly every steady sender's messages (each once,
// whole, byte-exact, in order) and from each churner a start of its two;
// a churner must get from every sender a contiguous in-order run, exact
// (a FIN leaver's last message may be cut short by its EOF). At the end
// the steady clients half-close and must see EOF with nothing more.
#include "chat_room.h"
#include "commands.h"
#include "error.h"
#include "options.h"
#include "payload.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <vector>

namespace kecho::testclient {

namespace {
enum class Leave { fin, rst, close };

struct Churner {
    ChatConn* conn = nullptr;
    std::uint32_t quota = 0;
    Leave how = Leave::fin;
    bool leaving = false;
};
} // namespace

int cmd_chatchurn(const Argv& argv) {
    const Args args(argv, net_options({"steady", "messages", "churn", "max-size", "order",
                                       "pause-ms", "window", "seed", "stats"}));
    const Endpoint ep = endpoint_from(args);
    const auto nsteady =
        static_cast<std::uint32_t>(std::max<std::uint64_t>(args.num("steady", 5), 2));
    const auto nmsgs = static_cast<std::uint32_t>(args.num("messages", 200));
    const std::size_t nchurn = std::max<std::uint64_t>(args.num("churn", 10), 1);
    const auto pause = std::chrono::milliseconds(args.num("pause-ms", 5));
    const std::size_t window = std::max<std::uint64_t>(args.num("window", 32 << 10), 1);
    const std::string stats = args.str("stats", kDefaultStats);
    const auto timeout = io_timeout(args);
    ChatPlan plan;
    plan.seed = args.num("seed", fresh_seed());
    plan.max_size = std::max<std::uint64_t>(args.num("max-size", 1024), kChatIdSize);
    plan.order = parse_order(args.str("order", "be"));
    const std::string what = std::to_string(nsteady) + " steady clients x " +
                             std::to_string(nmsgs) + " messages, up to " + std::to_string(nchurn) +
                             " churners at once (bodies 12.." + std::to_string(plan.max_size) +
                             " B, " + order_name(plan.order) + ", seed " +
                             std::to_string(plan.seed) + ")";
    auto fail = [&](const std::string& why) {
        std::printf("chatchurn: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    };
    const auto base = stats_counter(stats, "chat_clients");
    if (!base)
        return fail("no chat_clients in " + stats + " (kecho without chat mode?)");

    ChatLoop loop(ep, plan);
    // Window accounting as in chat: per steady sender, readers per message.
    std::vector<std::vector<std::uint32_t>> got_by(nsteady);
    std::vector<std::uint32_t> acked(nsteady, 0);
    std::vector<std::size_t> inflight(nsteady, 0);
    auto on_steady = [&](std::uint32_t s, std::uint32_t seq) {
        if (s >= nsteady || seq < acked[s] || seq >= got_by[s].size())
            return;
        ++got_by[s][seq];
        while (acked[s] < got_by[s].size() && got_by[s][acked[s]] == nsteady - 1) {
            inflight[s] -= kHeaderSize + plan.size_of(s, acked[s]);
            ++acked[s];
        }
    };
    std::vector<ChatConn*> steady;
    for (std::uint32_t i = 0; i < nsteady; ++i)
        steady.push_back(&loop.connect(
            i,
            [i, nsteady](std::uint32_t s) {
                if (s == i)
                    return FromRule::none;
                return FromRule::any_run; // checked at the end
            },
            on_steady));
    auto send = [&](ChatConn& c) {
        got_by[c.id].push_back(0);
        inflight[c.id] += kHeaderSize + plan.size_of(c.id, c.sent);
        loop.send_msg(c, c.sent);
    };
    auto problem = [&](const char* phase) {
        if (const ChatConn* f = loop.first_failure())
            return fail(f->rx->why());
        std::string why =
            std::string(phase) + ": stalled for " + std::to_string(timeout.count()) + " s";
        for (const ChatConn* c : steady)
            why += c->id < 3 || c->ended ? "; client " + std::to_string(c->id) + ": " +
                                               c->end_text() + ", " + c->rx->position()
                                         : "";
        return fail(why);
    };
    auto any_steady_ended = [&] {
        return std::any_of(steady.begin(), steady.end(),
                           [](const ChatConn* c) { return c->ended; });
    };
    if (!loop.run_until(
            [&] {
                return std::all_of(steady.begin(), steady.end(),
                                   [](const ChatConn* c) { return c->connected || c->ended; });
            },
            timeout) ||
        any_steady_ended())
        return problem("connect");
    std::string why;
    if (!hello_barrier(loop, steady, false, stats, *base + nsteady, timeout, &why))
        return fail(why);
    std::vector<std::uint32_t> hellos(nsteady);
    for (std::uint32_t i = 0; i < nsteady; ++i) {
        hellos[i] = steady[i]->sent;
        got_by[i].assign(hellos[i], nsteady - 1);
        acked[i] = hellos[i];
    }
    auto all_from_steady = [&] {
        for (const ChatConn* c : steady)
            for (std::uint32_t s = 0; s < nsteady; ++s) {
                const ChatReceiver::Run r = c->rx->from(s);
                if (s != c->id && r.first + r.count < hellos[s] + nmsgs)
                    return false;
            }
        return true;
    };

    std::mt19937_64 rng(plan.seed);
    std::vector<Churner> churners;
    std::array<std::size_t, 3> left{};
    std::size_t live = 0;
    std::uint32_t next_id = nsteady;
    std::size_t cut = 0;
    std::uint64_t churner_msgs = 0;
    auto last_round = Clock::now() - pause;
    auto steady_sending = [&] {
        return std::any_of(steady.begin(), steady.end(),
                           [&](const ChatConn* c) { return c->sent < hellos[c->id] + nmsgs; });
    };
    std::string churn_error;
    auto round = [&] {
        if (Clock::now() - last_round >= pause) {
            last_round = Clock::now();
            for (ChatConn* c : steady)
                if (!c->ended && c->sent < hellos[c->id] + nmsgs && c->unsent() == 0 &&
                    (inflight[c->id] < window || acked[c->id] == c->sent))
                    send(*c);
        }
        for (Churner& ch : churners) {
            ChatConn& c = *ch.conn;
            if (c.closed)
                continue;
            if (c.ended) { // a FIN leaver's end, or one the server ended
                if (!ch.leaving && churn_error.empty())
                    churn_error = "churner " + std::to_string(c.id) +
                                  " ended by the server: " + c.end_text() + " with " +
                                  c.rx->position();
                if (!c.eof && churn_error.empty())
                    churn_error = "churner " + std::to_string(c.id) +
                                  " after its FIN: " + c.end_text() + " with " + c.rx->position();
                cut += c.rx->mid_message() ? 1 : 0;
                churner_msgs += c.rx->messages();
                loop.close_now(c, false);
                --live;
                continue;
            }
            if (ch.leaving)
                continue;
            if (c.sent == 0 && c.rx->messages() > 0) {
                loop.send_msg(c, 0);
                loop.send_msg(c, 1);
            }
            if (c.rx->messages() < ch.quota && steady_sending())
                continue;
            ++left[static_cast<std::size_t>(ch.how)];
            if (ch.how == Leave::fin) {
                ch.leaving = true;
                ChatLoop::shut_write(c);
                continue;
            }
            churner_msgs += c.rx->messages();
            loop.close_now(c, ch.how == Leave::rst);
            --live;
        }
        while (live < nchurn && steady_sending()) {
            const std::uint32_t id = next_id++;
            Churner ch;
            ch.conn = &loop.connect(
                id, [id](std::uint32_t s) { return s == id ? FromRule::none : FromRule::any_run; });
            ch.quota = 1 + static_cast<std::uint32_t>(rng() % 20);
            ch.how = static_cast<Leave>((id - nsteady) % 3);
            churners.push_back(ch);
            ++live;
        }
    };
    const auto start = Clock::now();
    if (!loop.run_until([&] { return all_from_steady() && live == 0; }, timeout, round))
        return problem("messages");
    if (!churn_error.empty())
        return fail(churn_error);
    for (ChatConn* c : steady)
        ChatLoop::shut_write(*c);
    loop.run_until(
        [&] {
            return std::all_of(steady.begin(), steady.end(),
                               [](const ChatConn* c) { return c->ended; });
        },
        timeout);
    if (const ChatConn* f = loop.first_failure())
        return fail(f->rx->why());
    for (ChatConn* c : steady) {
        if (!c->eof || c->rx->mid_message())
            return fail("client " + std::to_string(c->id) +
                        " after its half-close: " + c->end_text() + " with " + c->rx->position());
        for (std::uint32_t s = 0; s < nsteady; ++s)
            if (s != c->id && !c->rx->expect_tail(s, hellos[s] - 1, hellos[s] + nmsgs))
                return fail(c->rx->why());
        if (std::any_of(churners.begin(), churners.end(), [&](const Churner& ch) {
                return !c->rx->expect_from(ch.conn->id, ch.conn->sent, false);
            }))
            return fail(c->rx->why());
    }
    std::printf("chatchurn: %s: delivered exactly: steady clients got every steady message and a "
                "start of each churner's; %zu churners (left by FIN %zu, RST %zu, close %zu) "
                "got contiguous exact runs, %llu messages in all (%zu cut short by their EOF) in "
                "%.2f s\n",
                what.c_str(), churners.size(), left[0], left[1], left[2],
                static_cast<unsigned long long>(churner_msgs), cut, seconds_since(start));
    return 0;
}

} // namespace kecho::testclient
