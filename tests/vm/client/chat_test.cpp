// The chat subcommands against an in-process relay (chat_fake_relay.h):
// they must pass against the honest relay and fail, saying why, when it
// loses, duplicates, reorders, truncates or corrupts one message copy,
// echoes to a sender, keeps a slow member, or replays history to a joiner.
#include "chat_fake_relay.h"
#include "commands.h"
#include "loopback_server.h"

#include <array>
#include <catch2/catch.hpp>
#include <string>

using namespace kecho::testclient;

namespace {

bool has_text(const CommandResult& r, const std::string& text) {
    return r.out.find(text) != std::string::npos;
}

CommandResult chat(const FakeChatRelay& relay, Argv extra) {
    Argv a{"--port", relay.port(), "--stats", relay.stats(), "--timeout", "5",      "--clients",
           "5",      "--messages", "80",      "--max-size",  "3000",      "--seed", "5"};
    a.insert(a.end(), extra.begin(), extra.end());
    return run_captured(cmd_chat, "chat", a);
}

RelayConfig faulty(RelayFault f) {
    RelayConfig c;
    c.fault = f;
    return c;
}

} // namespace

TEST_CASE("chat passes against an honest relay") {
    const FakeChatRelay be(RelayConfig{});
    const CommandResult r = chat(be, {});
    CHECK(r.rc == 0);
    CHECK(has_text(r, "delivered exactly"));
    CHECK(has_text(r, "1620 deliveries")); // 5 x 81 messages, 4 receivers each
    CHECK(chat(be, {"--senders", "2", "--pause-ms", "1"}).rc == 0);
    RelayConfig le;
    le.order = ByteOrder::little;
    const FakeChatRelay lit(le);
    CHECK(chat(lit, {"--order", "le"}).rc == 0);
    RelayConfig ec;
    ec.echo = true;
    const FakeChatRelay echo(ec);
    const CommandResult e = chat(echo, {"--echo", "1"});
    CHECK(e.rc == 0);
    CHECK(has_text(e, "2025 deliveries"));
}

TEST_CASE("chat fails against a relay that gets one copy wrong") {
    const std::array<std::pair<RelayFault, const char*>, 6> faults = {{
        {RelayFault::lose, "lost or out of order"},
        {RelayFault::duplicate, "again or out of order"},
        {RelayFault::reorder, "lost or out of order"},
        {RelayFault::truncate, "chat: FAIL"},
        {RelayFault::corrupt, "differs at body byte"},
        {RelayFault::echo_own, "which it must not get"},
    }};
    for (const auto& [fault, text] : faults) {
        INFO("fault " << static_cast<int>(fault));
        const FakeChatRelay relay(faulty(fault));
        const CommandResult r = chat(relay, {});
        CHECK(r.rc == 1);
        CHECK(has_text(r, text));
    }
}

TEST_CASE("chat fails when the relay does not echo, or echoes unasked") {
    const FakeChatRelay plain(RelayConfig{});
    const CommandResult r = chat(plain, {"--echo", "1"});
    CHECK(r.rc == 1);
    CHECK(has_text(r, "chat: FAIL"));
    RelayConfig ec;
    ec.echo = true;
    const FakeChatRelay echo(ec);
    CHECK(has_text(chat(echo, {}), "which it must not get"));
}

TEST_CASE("chat --slow: the slow client must be reset while the rest get everything") {
    RelayConfig small;
    small.queue = 65536;
    const FakeChatRelay relay(small);
    const CommandResult r =
        chat(relay, {"--clients", "3", "--messages", "300", "--slow", "1", "--queue", "65536"});
    CHECK(r.rc == 0);
    CHECK(has_text(r, "the client that never reads was reset"));
    CHECK(relay.dropped() == 1);
    RelayConfig keep = small;
    keep.fault = RelayFault::keep_slow;
    const FakeChatRelay keeper(keep);
    const CommandResult k =
        chat(keeper, {"--clients", "3", "--messages", "300", "--slow", "1", "--timeout", "2"});
    CHECK(k.rc == 1);
    CHECK(has_text(k, "was not reset"));
}

TEST_CASE("chat fails when kecho is not in chat mode (no room)") {
    const FakeChatRelay relay(RelayConfig{});
    const CommandResult r = run_captured(
        cmd_chat, "chat",
        {"--port", relay.port(), "--stats", "/nonexistent", "--clients", "3", "--messages", "1"});
    CHECK(r.rc == 1);
    CHECK(has_text(r, "no chat_clients"));
}

TEST_CASE("chatjoin: only messages completed after joining") {
    const FakeChatRelay relay(RelayConfig{});
    const Argv a{"--port",    relay.port(), "--stats",    relay.stats(),
                 "--timeout", "5",          "--messages", "30"};
    const CommandResult r = run_captured(cmd_chatjoin, "chatjoin", a);
    CHECK(r.rc == 0);
    Argv s = a;
    s.insert(s.end(), {"--straddle", "1"});
    CHECK(run_captured(cmd_chatjoin, "chatjoin", s).rc == 0);

    const FakeChatRelay replay(faulty(RelayFault::history));
    const CommandResult h = run_captured(
        cmd_chatjoin, "chatjoin",
        {"--port", replay.port(), "--stats", replay.stats(), "--timeout", "5", "--messages", "30"});
    CHECK(h.rc == 1);
    CHECK(has_text(h, "chatjoin: FAIL"));
}

TEST_CASE("chatchurn: churners come and go, all checked") {
    const FakeChatRelay relay(RelayConfig{});
    const CommandResult r = run_captured(cmd_chatchurn, "chatchurn",
                                         {"--port", relay.port(), "--stats", relay.stats(),
                                          "--timeout", "5", "--steady", "4", "--messages", "150",
                                          "--churn", "6", "--pause-ms", "2", "--seed", "3"});
    CHECK(r.rc == 0);
    CHECK(has_text(r, "delivered exactly"));
    const FakeChatRelay bad(faulty(RelayFault::corrupt));
    const CommandResult b =
        run_captured(cmd_chatchurn, "chatchurn",
                     {"--port", bad.port(), "--stats", bad.stats(), "--timeout", "5", "--steady",
                      "4", "--messages", "150", "--churn", "6", "--pause-ms", "2"});
    CHECK(b.rc == 1);
    // (a flipped last byte is in the body, or in the run's tag when the body
    // is the 12-byte minimum: either way a named violation)
    CHECK((has_text(b, "differs at body byte") || has_text(b, "not of this run")));
}

TEST_CASE("chatbad: an oversize header is reset while the client drains") {
    const FakeChatRelay relay(RelayConfig{});
    const CommandResult r = run_captured(cmd_chatbad, "chatbad",
                                         {"--port", relay.port(), "--len", "65537", "--hold", "3"});
    CHECK(r.rc == 1);
    CHECK(has_text(r, "Connection reset by peer"));
    const CommandResult open =
        run_captured(cmd_chatbad, "chatbad",
                     {"--port", relay.port(), "--len", "100", "--send", "3", "--hold", "1"});
    CHECK(open.rc == 1);
    CHECK(has_text(open, "still open"));
}
