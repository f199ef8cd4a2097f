#include "kecho_params.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

TEST_CASE("values are normalized for comparison", "[params]") {
    CHECK(normalize_param("bench", "Y") == "1");
    CHECK(normalize_param("bench", "N") == "0");
    CHECK(normalize_param("port", "012345") == "12345");
    CHECK(normalize_param("bind", "::1") == "::1");
}

TEST_CASE("plan: port and backlog live, bench and bind by reload", "[params]") {
    const ParamMap current = {{"port", "12345"},
                              {"backlog", "128"},
                              {"bench", "N"},
                              {"bind", ""},
                              {"max_conns", "10000"}};
    CHECK(plan_apply({}, current).empty());
    CHECK(plan_apply({{"port", "12345"}, {"bench", "0"}}, current).empty());

    const auto live = plan_apply({{"port", "2000"}, {"backlog", "64"}}, current);
    CHECK(live.live ==
          std::vector<std::pair<std::string, std::string>>{{"port", "2000"}, {"backlog", "64"}});
    CHECK_FALSE(live.needs_reload());

    const auto reload = plan_apply({{"bench", "1"}}, current);
    CHECK(reload.live.empty());
    CHECK(reload.reload_reasons == std::vector<std::string>{"bench 0 -> 1"});
}

TEST_CASE("plan: a key removed from the file means its default", "[params]") {
    const ParamMap current = {{"port", "2000"}, {"backlog", "128"}};
    const auto plan = plan_apply({}, current);
    CHECK(plan.live == std::vector<std::pair<std::string, std::string>>{{"port", "12345"}});
}

TEST_CASE("value checks", "[params]") {
    CHECK_FALSE(param_value_problem("port", "1"));
    CHECK(param_value_problem("port", "0"));
    CHECK(param_value_problem("max_conns", "4294967296"));
    CHECK_FALSE(param_value_problem("max_conns", "4294967295"));
    CHECK_FALSE(param_value_problem("unknown", "whatever"));
}
