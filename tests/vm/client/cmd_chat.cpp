// chat --clients N --messages M [--max-size S] [--order be|le] [--echo 1]
//      [--senders K] [--seed X] [--window BYTES] [--pause-ms P] [--ready F]
//      [--slow 1 [--queue Q] [--slow-rcvbuf B]] [--until-end 1] [--stats PATH]
// N clients in kecho's chat room (non-blocking, one epoll loop). They join
// (the stats file's chat_clients must grow by N: then kecho has every one
// in the room), each sends one hello (message #0) and waits for the hello
// of every other client (the barrier); then the first K (default all) send
// messages #1..#M of seeded sizes 12..S while all read. Each message names
// its sender and number; every client's ChatReceiver proves it got exactly
// the messages it must: every other sender's (plus its own with --echo 1),
// each once, whole, byte-exact, in that sender's order, and nothing else.
// A sender keeps at most BYTES (default 32 KiB, less when all senders'
// share would pass half of chat_queue: --queue Q, else kecho's parameter)
// not yet received by every client in flight (so a correct server never
// has to drop anyone); P ms
// between rounds of one message per sender. At the end every client
// half-closes and must see EOF with nothing more. F is created after the
// barrier.
// --slow 1: one more client (the slow one, receive buffer B, default 4096)
// joins but never reads. Its queue at kecho passes chat_queue, so kecho
// must reset it (ECONNRESET; not before Q bytes were sent to it when --queue
// is given) while the others still get everything; slow_dropped must grow
// by exactly 1 and queued_bytes be back to 0 once the clients are gone.
// What the slow one had received must be a valid start of each sender's
// messages.
// --until-end 1: the senders go on until the server ends the connections
// (rmmod); every client must see its connection end (EOF or reset), and
// everything received must check (the last message may be cut short).
#include "chat_room.h"
#include "commands.h"
#include "error.h"
#include "options.h"
#include "payload.h"
#include "proc_stats.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace kecho::testclient {

namespace {

// Per sender: how many readers got each message, and how much of what it
// sent is not yet everywhere.
struct Flight {
    std::vector<std::uint32_t> got_by; // by sequence number; hellos count as received
    std::uint32_t first = 0;           // first data message (after the hellos)
    std::uint32_t acked = 0;           // first message not yet received by every reader
    std::size_t bytes = 0;             // framed bytes of messages acked..sent-1
};

struct Counts {
    std::size_t eof = 0;
    std::size_t reset = 0;
    std::size_t other = 0;
};

} // namespace

int cmd_chat(const Argv& argv) {
    const Args args(argv, net_options({"clients", "messages", "max-size", "order", "echo",
                                       "senders", "seed", "window", "pause-ms", "ready", "slow",
                                       "queue", "slow-rcvbuf", "until-end", "stats"}));
    const Endpoint ep = endpoint_from(args);
    const auto nclients = static_cast<std::uint32_t>(args.num("clients", 10));
    const bool until_end = args.num("until-end", 0) != 0;
    const auto nmsgs = static_cast<std::uint32_t>(
        until_end ? 1U << 30 : std::min<std::uint64_t>(args.num("messages", 10), 1U << 30));
    const auto nsenders = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(args.num("senders", nclients), nclients));
    const bool echo = args.num("echo", 0) != 0;
    const bool slow = args.num("slow", 0) != 0;
    // A correct server must never drop a reader: the senders together keep
    // at most half of chat_queue (--queue, else kecho's parameter) in flight.
    std::uint64_t queue = args.num("queue", 0);
    if (queue == 0)
        if (const auto text = read_text_file("/sys/module/kecho/parameters/chat_queue"))
            queue = std::strtoull(text->c_str(), nullptr, 10);
    const std::size_t window = std::max<std::uint64_t>(
        args.num("window",
                 queue != 0 ? std::min<std::uint64_t>(32 << 10, queue / 2 / std::max(nsenders, 1U))
                            : 32 << 10),
        1);
    const auto pause = std::chrono::milliseconds(args.num("pause-ms", 0));
    const std::string stats = args.str("stats", kDefaultStats);
    const auto timeout = io_timeout(args);
    ChatPlan plan;
    plan.seed = args.num("seed", fresh_seed());
    plan.max_size = args.num("max-size", 1024);
    plan.order = parse_order(args.str("order", "be"));
    if (nclients < 2 && !echo)
        throw std::invalid_argument("--clients must be at least 2 (or 1 with --echo 1)");
    if (plan.max_size < kChatIdSize)
        throw std::invalid_argument("--max-size must be at least " + std::to_string(kChatIdSize) +
                                    " (a chat message names its sender, number and run)");

    const std::string what =
        std::to_string(nclients) + " clients" + (slow ? " + 1 that never reads" : "") + ", " +
        (nsenders == nclients ? "each" : std::to_string(nsenders) + " of them") + " sending " +
        (until_end ? std::string("until the end") : std::to_string(nmsgs)) +
        " messages (bodies 12.." + std::to_string(plan.max_size) + " B, " + order_name(plan.order) +
        (echo ? ", echo" : "") + ", seed " + std::to_string(plan.seed) + ")";
    auto fail = [&](const std::string& why) {
        std::printf("chat: FAIL: %s: %s\n", what.c_str(), why.c_str());
        return 1;
    };
    const auto base = stats_counter(stats, "chat_clients");
    const auto dropped0 = stats_counter(stats, "slow_dropped");
    if (!base || (slow && !dropped0))
        return fail("no chat_clients/slow_dropped in " + stats + " (kecho without chat mode?)");

    ChatLoop loop(ep, plan);
    std::vector<Flight> flight(nsenders);
    const std::uint32_t readers = nclients - (echo ? 0 : 1);
    auto on_message = [&](std::uint32_t s, std::uint32_t seq) {
        if (s >= nsenders || seq < flight[s].first || seq >= flight[s].got_by.size())
            return;
        Flight& f = flight[s];
        ++f.got_by[seq];
        while (f.acked < f.got_by.size() && f.got_by[f.acked] == readers) {
            f.bytes -= kHeaderSize + plan.size_of(s, f.acked);
            ++f.acked;
        }
    };
    const auto start = Clock::now();
    std::vector<ChatConn*> clients;
    for (std::uint32_t i = 0; i < nclients; ++i) {
        auto rule = [i, echo, nclients](std::uint32_t s) {
            if (s >= nclients || (s == i && !echo))
                return FromRule::none;
            return FromRule::any_run; // its hellos may start anywhere; checked at the end
        };
        clients.push_back(&loop.connect(i, rule, on_message));
    }
    ChatConn* slowc = nullptr;
    if (slow) {
        const auto rcvbuf = static_cast<int>(args.num("slow-rcvbuf", 4096));
        slowc = &loop.connect(nclients, std::nullopt, {}, rcvbuf);
    }
    auto send = [&](ChatConn& c) {
        const std::uint32_t seq = c.sent;
        flight[c.id].got_by.push_back(0);
        flight[c.id].bytes += kHeaderSize + plan.size_of(c.id, seq);
        loop.send_msg(c, seq);
    };
    auto ended_early = [&]() -> const ChatConn* {
        const auto it = std::find_if(clients.begin(), clients.end(),
                                     [](const ChatConn* c) { return c->ended; });
        return it == clients.end() ? nullptr : *it;
    };
    auto stalled = [&](const char* phase) {
        if (const ChatConn* f = loop.first_failure())
            return fail(f->rx->why());
        if (const ChatConn* c = ended_early())
            return fail(std::string(phase) + ": client " + std::to_string(c->id) + ": " +
                        c->end_text() + " with " + c->rx->position());
        std::string why =
            std::string(phase) + ": no progress for " + std::to_string(timeout.count()) + " s";
        for (const ChatConn* c : clients)
            why += c->id < 3 ? "; client " + std::to_string(c->id) + ": " + c->rx->position() : "";
        return fail(why);
    };

    // Join: connected, and in the room as kecho counts it.
    if (!loop.run_until(
            [&] {
                return std::all_of(clients.begin(), clients.end(),
                                   [](const ChatConn* c) { return c->connected || c->ended; }) &&
                       (slowc == nullptr || slowc->connected || slowc->ended);
            },
            timeout) ||
        ended_early() != nullptr)
        return stalled("connect");
    const std::uint64_t room = *base + nclients + (slow ? 1 : 0);
    std::string why;
    if (!hello_barrier(loop, clients, echo, stats, room, timeout, &why))
        return fail(why);
    std::vector<std::uint32_t> hellos(nclients);
    std::uint64_t sent_msgs = 0;
    for (std::uint32_t i = 0; i < nclients; ++i) {
        hellos[i] = clients[i]->sent;
        sent_msgs += hellos[i] + (i < nsenders ? nmsgs : 0);
    }
    for (std::uint32_t s = 0; s < nsenders; ++s) {
        flight[s].first = hellos[s];
        flight[s].got_by.assign(hellos[s], readers);
        flight[s].acked = hellos[s];
    }
    // Every reader's run from s ends at s's last message.
    auto last_of = [&](std::uint32_t s) { return hellos[s] + (s < nsenders ? nmsgs : 0); };
    auto complete = [&] {
        for (const ChatConn* c : clients)
            for (std::uint32_t s = 0; s < nclients; ++s) {
                if (s == c->id && !echo)
                    continue;
                const ChatReceiver::Run r = c->rx->from(s);
                if (r.first + r.count < last_of(s))
                    return false;
            }
        return true;
    };
    if (args.has("ready"))
        std::ofstream(args.str("ready", "")) << "barrier passed\n";

    // Messages: window- and pace-limited rounds.
    auto last_round = Clock::now() - pause;
    bool stop_sending = false;
    auto sending = [&] {
        if (until_end && ended_early() != nullptr)
            stop_sending = true;
        if (stop_sending || (pause.count() != 0 && Clock::now() - last_round < pause))
            return;
        last_round = Clock::now();
        for (std::uint32_t s = 0; s < nsenders; ++s) {
            ChatConn& c = *clients[s];
            while (!c.ended && c.sent < last_of(s) && c.unsent() == 0 &&
                   (flight[s].bytes < window || flight[s].acked == c.sent)) {
                send(c);
                if (pause.count() != 0)
                    break;
            }
        }
    };
    if (until_end) {
        Counts counts;
        loop.run_until(
            [&] {
                return std::all_of(clients.begin(), clients.end(),
                                   [](const ChatConn* c) { return c->ended; });
            },
            timeout, sending);
        if (const ChatConn* f = loop.first_failure())
            return fail(f->rx->why());
        std::uint64_t got = 0;
        std::size_t cut = 0;
        std::optional<Clock::time_point> first;
        Clock::time_point last{};
        for (const ChatConn* c : clients) {
            got += c->rx->messages();
            cut += c->rx->mid_message() ? 1 : 0;
            if (!c->ended)
                continue;
            if (c->eof)
                ++counts.eof;
            else if (c->error == ECONNRESET)
                ++counts.reset;
            else
                ++counts.other;
            first = std::min(first.value_or(c->ended_at), c->ended_at);
            last = std::max(last, c->ended_at);
        }
        const std::size_t ended = counts.eof + counts.reset + counts.other;
        const double spread = first ? std::chrono::duration<double>(last - *first).count() : 0.0;
        std::printf("chat: %s%s: %zu/%u connections ended by the server (EOF %zu, reset %zu, "
                    "other %zu), first to last %.2f s; %llu messages received exact before "
                    "(%zu cut short by the end)\n",
                    ended == nclients ? "" : "FAIL: ", what.c_str(), ended, nclients, counts.eof,
                    counts.reset, counts.other, spread, static_cast<unsigned long long>(got), cut);
        return ended == nclients ? 0 : 1;
    }
    if (!loop.run_until([&] { return complete() && (slowc == nullptr || slowc->ended); }, timeout,
                        sending)) {
        if (slowc && !slowc->ended && complete() && loop.first_failure() == nullptr &&
            ended_early() == nullptr) {
            std::uint64_t total = 0;
            for (std::uint32_t s = 0; s < nclients; ++s)
                for (std::uint32_t k = 0; k < last_of(s); ++k)
                    total += kHeaderSize + plan.size_of(s, k);
            return fail("the client that never reads was not reset although " +
                        std::to_string(total) + " bytes were sent to it");
        }
        return stalled("messages");
    }
    std::string slow_note;
    if (slowc) {
        if (slowc->eof || slowc->error != ECONNRESET)
            return fail("the client that never reads ended with " + slowc->end_text() +
                        ", not a reset");
        std::uint64_t sent_then = 0; // bytes sent to it by the time its reset was seen
        // (an upper bound of what was sent when kecho reset it)
        for (std::uint32_t s = 0; s < nclients; ++s)
            for (std::uint32_t k = 0; k < clients[s]->sent; ++k)
                sent_then += kHeaderSize + plan.size_of(s, k);
        if (args.has("queue") && sent_then < args.num("queue", 0))
            return fail("the client that never reads was reset with only " +
                        std::to_string(sent_then) + " bytes sent to it, less than chat_queue " +
                        std::to_string(args.num("queue", 0)));
        // What reached its socket before the reset must be valid.
        ChatReceiver rest(plan, "the slow client", [nclients](std::uint32_t s) {
            return s < nclients ? FromRule::any_run : FromRule::none;
        });
        std::vector<std::uint8_t> buf(65536);
        for (;;) {
            const ssize_t n = ::recv(slowc->fd.get(), buf.data(), buf.size(), MSG_DONTWAIT);
            if (n <= 0)
                break;
            rest.feed(std::span(buf).first(static_cast<std::size_t>(n)));
        }
        for (std::uint32_t s = 0; s < nclients && !rest.failed(); ++s) {
            const ChatReceiver::Run r = rest.from(s);
            if (r.first + r.count > last_of(s))
                return fail("the slow client got messages from sender " + std::to_string(s) +
                            " beyond its last");
        }
        if (rest.failed())
            return fail(rest.why());
        slow_note =
            "; the client that never reads was reset (" + rest.position() + " were in its socket)";
    }

    // The end: a half-close each, then EOF with nothing more.
    for (ChatConn* c : clients)
        ChatLoop::shut_write(*c);
    loop.run_until(
        [&] {
            return std::all_of(clients.begin(), clients.end(),
                               [](const ChatConn* c) { return c->ended; });
        },
        timeout);
    if (const ChatConn* f = loop.first_failure())
        return fail(f->rx->why());
    std::uint64_t deliveries = 0;
    std::uint64_t bytes = 0;
    for (ChatConn* c : clients) {
        if (!c->eof)
            return fail("after its half-close client " + std::to_string(c->id) + ": " +
                        c->end_text() + ", not EOF");
        if (c->rx->mid_message())
            return fail("client " + std::to_string(c->id) + ": EOF after " +
                        std::to_string(c->rx->partial_bytes()) +
                        " byte(s) of a message nobody sent");
        for (std::uint32_t s = 0; s < nclients; ++s)
            if ((s != c->id || echo) && !c->rx->expect_tail(s, hellos[s] - 1, last_of(s)))
                return fail(c->rx->why());
        deliveries += c->rx->messages();
        bytes += c->rx->bytes();
    }
    if (slow) {
        const auto dropped = stats_counter(stats, "slow_dropped").value_or(0);
        if (dropped != *dropped0 + 1)
            return fail("slow_dropped went from " + std::to_string(*dropped0) + " to " +
                        std::to_string(dropped) + ", not up by exactly 1");
        std::uint64_t queued = 0;
        const auto until = Clock::now() + std::chrono::seconds(10);
        while ((queued = stats_counter(stats, "queued_bytes").value_or(UINT64_MAX)) != 0 &&
               Clock::now() < until)
            loop.poll(20);
        if (queued != 0)
            return fail("queued_bytes is " + std::to_string(queued) +
                        " 10 s after every client left, not 0");
        slow_note += ", slow_dropped +1, queued_bytes back to 0";
    }
    std::printf("chat: %s: delivered exactly: every client got each message it must once, whole, "
                "byte-exact and in each sender's order, then EOF: %llu deliveries (%llu bytes) in "
                "%.2f s; %llu messages sent%s\n",
                what.c_str(), static_cast<unsigned long long>(deliveries),
                static_cast<unsigned long long>(bytes), seconds_since(start),
                static_cast<unsigned long long>(sent_msgs), slow_note.c_str());
    return 0;
}

} // namespace kecho::testclient
