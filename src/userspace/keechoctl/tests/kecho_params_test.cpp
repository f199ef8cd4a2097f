#include "kecho_options.h"
#include "kecho_params.h"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

const KechoOption& option(std::string_view param) {
    const KechoOption* opt = find_option(kecho_options(), param);
    REQUIRE(opt != nullptr);
    return *opt;
}

using Live = std::vector<LiveChange>;

const ParamMap kCurrent = {{"port", "12345"},      {"backlog", "128"},     {"bench", "N"},
                           {"bind", ""},           {"max_conns", "10000"}, {"keepalive", "60"},
                           {"user_timeout", "120"}};
const std::set<std::string> kLive = {"port", "backlog", "max_conns", "keepalive", "user_timeout"};

} // namespace

TEST_CASE("values are normalized for comparison", "[params]") {
    CHECK(normalize_option_value(option("bench"), "Y") == "1");
    CHECK(normalize_option_value(option("bench"), "N") == "0");
    CHECK(normalize_option_value(option("port"), "012345") == "12345");
    CHECK(normalize_option_value(option("bind"), "::1") == "::1");
}

TEST_CASE("plan: live parameters are written, the others reload", "[params]") {
    CHECK(plan_apply(kecho_options(), {}, kCurrent, kLive).empty());
    CHECK(
        plan_apply(kecho_options(), {{"port", "12345"}, {"bench", "0"}}, kCurrent, kLive).empty());

    const auto live =
        plan_apply(kecho_options(), {{"port", "2000"}, {"backlog", "64"}}, kCurrent, kLive);
    CHECK(live.live == Live{{"port", "12345", "2000"}, {"backlog", "128", "64"}});
    CHECK_FALSE(live.needs_reload());

    const auto reload = plan_apply(kecho_options(), {{"bench", "1"}}, kCurrent, kLive);
    CHECK(reload.live.empty());
    CHECK(reload.reload_reasons == std::vector<std::string>{"bench 0 -> 1"});
}

TEST_CASE("plan: a key removed from the file means its default", "[params]") {
    const ParamMap current = {{"port", "2000"}, {"backlog", "128"}, {"user_timeout", "5"}};
    const auto plan = plan_apply(kecho_options(), {}, current, kLive);
    CHECK(plan.live == Live{{"port", "2000", "12345"}, {"user_timeout", "5", "120"}});
}

TEST_CASE("plan: a parameter without a row is compared only when wanted", "[params]") {
    const ParamMap current = {{"port", "12345"}, {"future_knob", "a"}};
    CHECK(plan_apply(kecho_options(), {}, current, {"future_knob"}).empty());
    CHECK(plan_apply(kecho_options(), {{"future_knob", "b"}}, current, {"future_knob"}).live ==
          Live{{"future_knob", "a", "b"}});
    CHECK(plan_apply(kecho_options(), {{"future_knob", "b"}}, current, {}).reload_reasons ==
          std::vector<std::string>{"future_knob a -> b"});
}

TEST_CASE("value checks", "[params]") {
    CHECK_FALSE(option_value_problem(option("port"), "1"));
    CHECK(option_value_problem(option("port"), "0"));
    CHECK(option_value_problem(option("max_conns"), "4294967296"));
    CHECK_FALSE(option_value_problem(option("max_conns"), "4294967295"));
    CHECK_FALSE(option_value_problem(option("keepalive"), "32767"));
    CHECK(option_value_problem(option("keepalive"), "32768"));
    CHECK_FALSE(option_value_problem(option("user_timeout"), "2147483"));
    CHECK(option_value_problem(option("user_timeout"), "2147484"));
    CHECK_FALSE(option_value_problem(option("mode"), "message"));
    CHECK(option_value_problem(option("mode"), "datagram") == "not stream, message or chat");
    CHECK_FALSE(option_value_problem(option("msg_order"), "le"));
    CHECK(option_value_problem(option("msg_order"), "LE"));
    CHECK_FALSE(option_value_problem(option("max_msg"), "16777216"));
    CHECK(option_value_problem(option("max_msg"), "16777217"));
    CHECK_FALSE(option_value_problem(option("msg_timeout"), "0"));
    CHECK(option_value_problem(option("msg_timeout"), "86401"));
    CHECK(parse_flag_value(option("mode"), "message") == "message");
    CHECK_THROWS_WITH(parse_flag_value(option("msg_order"), "big"),
                      "--msg-order: 'big' must be be or le");
    CHECK(describe_values(option("max_msg")) == "0-16777216 bytes");
    CHECK(describe_values(option("mode")) == "stream, message or chat");
    CHECK_FALSE(option_value_problem(option("bind"), ""));
    CHECK_FALSE(option_value_problem(option("bind"), "fe80::1"));
    CHECK(option_value_problem(option("bind"), "localhost"));
    CHECK(option_value_problem(option("bench"), "2"));
}

TEST_CASE("chat mode: mode=chat, chat_queue and chat_echo", "[params][chat]") {
    CHECK_FALSE(option_value_problem(option("mode"), "chat"));
    CHECK(option_value_problem(option("mode"), "Chat"));
    CHECK(parse_flag_value(option("mode"), "chat") == "chat");
    CHECK(option("chat_queue").default_value == "1048576");
    CHECK(option_value_problem(option("chat_queue"), "4095") == "not in 4096-1073741824");
    CHECK_FALSE(option_value_problem(option("chat_queue"), "4096"));
    CHECK_FALSE(option_value_problem(option("chat_queue"), "1073741824"));
    CHECK(option_value_problem(option("chat_queue"), "1073741825"));
    CHECK(parse_flag_value(option("chat_queue"), "065536") == "65536");
    CHECK_THROWS_WITH(parse_flag_value(option("chat_queue"), "0"),
                      "--chat-queue: '0' is not in 4096-1073741824");
    CHECK(describe_values(option("chat_queue")) == "4096-1073741824 bytes");
    CHECK(option("chat_echo").default_value == "0");
    CHECK(parse_flag_value(option("chat_echo"), "1") == "1");
    // kecho's chat_echo is a number 0-1, which takes no Y/N (unlike bench).
    CHECK_THROWS_WITH(parse_flag_value(option("chat_echo"), "2"), "--chat-echo: '2' is not in 0-1");
    CHECK(option_value_problem(option("chat_echo"), "Y") == "not a number");
    CHECK(describe_values(option("chat_echo")) == "0 or 1");
}

TEST_CASE("plan: chat_queue and chat_echo are written live, and go back to their defaults",
          "[params][chat]") {
    const ParamMap current = {{"mode", "stream"}, {"chat_queue", "1048576"}, {"chat_echo", "0"}};
    const std::set<std::string> live = {"mode", "chat_queue", "chat_echo"};
    CHECK(plan_apply(kecho_options(), {}, current, live).empty());
    const auto plan =
        plan_apply(kecho_options(), {{"mode", "chat"}, {"chat_queue", "65536"}, {"chat_echo", "1"}},
                   current, live);
    CHECK(plan.live == Live{{"mode", "stream", "chat"},
                            {"chat_queue", "1048576", "65536"},
                            {"chat_echo", "0", "1"}});
    CHECK_FALSE(plan.needs_reload());
    const ParamMap chatting = {{"mode", "chat"}, {"chat_queue", "65536"}, {"chat_echo", "1"}};
    CHECK(plan_apply(kecho_options(), {}, chatting, live).live ==
          Live{{"mode", "chat", "stream"},
               {"chat_queue", "65536", "1048576"},
               {"chat_echo", "1", "0"}});
}

TEST_CASE("every row is complete and spelled consistently", "[params]") {
    for (const auto& opt : kecho_options()) {
        INFO(opt.param);
        std::string flag = "--" + std::string(opt.param);
        std::replace(flag.begin(), flag.end(), '_', '-');
        CHECK(opt.flag == flag);
        CHECK_FALSE(opt.value_name.empty());
        CHECK_FALSE(option_value_problem(opt, opt.default_value));
        CHECK(find_option(kecho_options(), opt.param) == &opt);
    }
}
