#include "kmod_loader.h"
#include "test_util.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

TEST_CASE("kmod loader reads modprobe.d afresh on every call", "[kmod]") {
    const test::TempDir dir;
    const Paths paths = test::fake_paths(dir);
    const std::string rel = paths.modprobe_conf.substr(dir.path().size() + 1);
    dir.write(rel, "options kecho port=23456 backlog=64\n");
    const KmodLoader loader(paths);
    CHECK(loader.configured_options("kecho") == "port=23456 backlog=64");

    // What `keechoctl reconfigure` does while the daemon keeps its loader.
    dir.write(rel, "# edited\noptions kecho port=23457 backlog=64\n");
    CHECK(loader.configured_options("kecho") == "port=23457 backlog=64");
}
