#include "module_state.h"
#include "test_util.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;

TEST_CASE("module state comes from /sys/module", "[module]") {
    const TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const ModuleState kecho(paths, "kecho");
    CHECK_FALSE(kecho.loaded());
    CHECK(kecho.params().empty());

    test::fake_kecho_loaded(dir, {{"port", "12345"}, {"bind", ""}});
    CHECK(kecho.loaded());
    CHECK(kecho.version() == "0.1.0");
    CHECK(kecho.params() == ParamMap{{"port", "12345"}, {"bind", ""}});

    dir.write("sys/module/kecho/initstate", "going\n");
    CHECK_FALSE(kecho.loaded());
}
