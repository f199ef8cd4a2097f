#include "cli_args.h"
#include "errors.h"

#include <array>
#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

constexpr std::array<OptionSpec, 3> kSpecs = {{
    {"--port", "N", "port"},
    {"--state", "STATE", "state"},
    {"--json", "", "json"},
}};

ParsedArgs parse(std::vector<std::string> args) {
    return parse_args(args, kSpecs, "test");
}

} // namespace

TEST_CASE("options take values separately or after '='", "[cli]") {
    const auto a = parse({"--port", "80", "--json"});
    CHECK(a.value("--port") == "80");
    CHECK(a.has("--json"));
    CHECK(parse({"--port=443"}).value("--port") == "443");
}

TEST_CASE("repeated options keep every value, value() the last", "[cli]") {
    const auto a = parse({"--state", "LISTEN", "--state=TIME_WAIT"});
    CHECK(a.values("--state") == std::vector<std::string>{"LISTEN", "TIME_WAIT"});
    CHECK(a.value("--state") == "TIME_WAIT");
}

TEST_CASE("positionals and '--'", "[cli]") {
    const auto a = parse({"kecho", "--", "--json"});
    CHECK(a.positionals() == std::vector<std::string>{"kecho", "--json"});
    CHECK_FALSE(a.has("--json"));
}

TEST_CASE("bad options are usage errors naming the option", "[cli]") {
    CHECK_THROWS_WITH(parse({"--bogus"}), Catch::Contains("unknown option '--bogus'"));
    CHECK_THROWS_WITH(parse({"--port"}), Catch::Contains("--port needs a value"));
    CHECK_THROWS_WITH(parse({"--port="}), Catch::Contains("non-empty"));
    CHECK_THROWS_WITH(parse({"--json=1"}), Catch::Contains("takes no value"));
    CHECK_THROWS_AS(parse({"--bogus"}), UsageError);
}

TEST_CASE("help flags: -h and --help are always accepted", "[cli]") {
    CHECK(parse({"-h"}).has("--help"));
    CHECK(parse({"--help"}).has("--help"));
}
