#define CATCH_CONFIG_MAIN
#include "args.h"

#include <catch2/catch.hpp>
#include <stdexcept>

using kecho::testclient::Args;

// The parser and parse_size have their own tests (src/userspace/common);
// these check the client's view of them: names without "--", every option
// takes a value unless named a flag, sizes take k/M.
TEST_CASE("options are checked against the allowed names") {
    const Args a({"--size", "10", "--port=99", "--ready="}, {"size", "port", "ready"});
    CHECK(a.num("size", 1) == 10);
    CHECK(a.num("port", 1) == 99);
    CHECK(a.num("other", 5) == 5);
    CHECK(a.str("ready", "x").empty());
    CHECK_FALSE(a.has("other"));
    CHECK(Args({"--size", "64k"}, {"size"}).num("size", 0) == 65536);
    CHECK(Args({"--size", "1", "--size", "2"}, {"size"}).num("size", 0) == 2);
    CHECK(Args({"--shut", "1"}, {"shut"}).has("shut"));
    CHECK_THROWS_WITH(Args({"--size", "12q"}, {"size"}).num("size", 0),
                      Catch::Contains("--size: '12q'"));
    CHECK_THROWS_WITH(Args({"--nope", "1"}, {"size"}), Catch::Contains("unknown option '--nope'"));
    CHECK_THROWS_WITH(Args({"--size"}, {"size"}), Catch::Contains("--size needs a value"));
    CHECK_THROWS_WITH(Args({"size"}, {"size"}), Catch::Contains("unexpected argument 'size'"));
    CHECK_THROWS_AS(Args({"--help"}, {"size"}), std::invalid_argument);
}

TEST_CASE("flags are options without a value") {
    const Args a({"--until-closed", "--port", "80"}, {"port"}, {"until-closed", "other"});
    CHECK(a.has("until-closed"));
    CHECK_FALSE(a.has("other"));
    CHECK(a.num("port", 1) == 80);
    CHECK_THROWS_WITH(Args({"--until-closed", "1"}, {"port"}, {"until-closed"}),
                      Catch::Contains("unexpected argument '1'"));
    CHECK_THROWS_WITH(Args({"--until-closed=1"}, {"port"}, {"until-closed"}),
                      Catch::Contains("takes no value"));
    CHECK_THROWS_WITH(Args({"--port"}, {"port"}, {"until-closed"}),
                      Catch::Contains("--port needs a value"));
}
