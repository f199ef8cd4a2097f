// keechoctl status on a fake /sys and /proc: the mode line and the chat
// room (chat_clients, chat_delivered, slow_dropped, queued_bytes), human and
// --json, and nothing about a room from a kecho without chat mode.
#include "cli.h"
#include "errors.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

namespace {

struct Run {
    int rc;
    std::string out;
};

Run run(const Paths& paths, std::vector<std::string> args) {
    std::ostringstream out;
    std::ostringstream err;
    Context ctx{paths, out, err};
    const int rc = run_cli(args, ctx);
    return {rc, out.str()};
}

// Port 1: nothing listens there, so status's health check ends at "no
// listener" without a connection.
const std::string kCounters = "accepted 9\nactive 3\nrefused 0\nbytes_in 300\nbytes_out 600\n"
                              "errors 0\nbuffered 0\nclosed_unsent 0\naccept_backoffs 0\n"
                              "messages_in 7\nmessages_out 0\noversize 0\nmsg_timeouts 0\n";

void fake_kecho(const TempDir& dir, const std::string& mode, const std::string& counters) {
    test::fake_kecho_loaded(dir, {{"port", "1"},
                                  {"mode", mode},
                                  {"max_msg", "65536"},
                                  {"msg_order", "be"},
                                  {"msg_timeout", "30"},
                                  {"chat_queue", "65536"},
                                  {"chat_echo", "1"},
                                  {"chat_split", "128"}});
    dir.write("proc/net/kecho", counters + "port 1\n");
}

} // namespace

TEST_CASE("status shows chat mode's settings and the room", "[status][chat]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    fake_kecho(dir, "chat",
               kCounters +
                   "chat_clients 3\nchat_delivered 14\nslow_dropped 1\nqueued_bytes 4160\n");
    const auto r = run(paths, {"status"});
    CHECK(r.rc == kExitOk);
    CHECK_THAT(r.out, Catch::Contains("\nmode: chat (length header be, max_msg 65536 bytes, "
                                      "msg_timeout 30 s, chat_queue 65536 bytes, chat_echo 1, "
                                      "chat_split 128)\n"));
    CHECK_THAT(r.out, Catch::Contains(
                          "\nchat: clients 3, delivered 14, slow_dropped 1, queued_bytes 4160\n"));
    CHECK_THAT(r.out, Catch::Contains("\nmessages: in 7, out 0, oversize 0, timeouts 0\n"));

    const auto j = nlohmann::json::parse(run(paths, {"status", "--json"}).out);
    CHECK(j["mode"] == "chat");
    CHECK(j["chat"] ==
          nlohmann::json{
              {"clients", 3}, {"delivered", 14}, {"slow_dropped", 1}, {"queued_bytes", 4160}});
    CHECK(j["parameters"]["chat_queue"] == "65536");
}

TEST_CASE("status: the room's counters in another mode, none from an older kecho",
          "[status][chat]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    // Stream mode after chat: the counters are still kecho's.
    fake_kecho(dir, "stream",
               kCounters + "chat_clients 0\nchat_delivered 14\nslow_dropped 1\nqueued_bytes 0\n");
    auto r = run(paths, {"status"});
    CHECK_THAT(r.out, Catch::Contains("\nmode: stream\n"));
    CHECK_THAT(r.out, Catch::Contains(
                          "\nchat: clients 0, delivered 14, slow_dropped 1, queued_bytes 0\n"));

    fake_kecho(dir, "message", kCounters);
    r = run(paths, {"status"});
    CHECK_THAT(r.out, Catch::Contains("\nmode: message (length header be, max_msg 65536 bytes, "
                                      "msg_timeout 30 s)\n"));
    CHECK(r.out.find("\nchat:") == std::string::npos);
    CHECK_FALSE(nlohmann::json::parse(run(paths, {"status", "--json"}).out).contains("chat"));
}
