#include "modprobe_conf.h"

#include <catch2/catch.hpp>

using namespace kecho::ctl;

namespace {

const std::string kAdminFile = "# Managed by the admin: keep this comment.\n"
                               "\n"
                               "blacklist floppy\n"
                               "options  kecho   port=7   backlog=64 \n"
                               "   # indented comment\n"
                               "options snd_hda_intel power_save=1\n"
                               "install dummy /bin/true\n"
                               "softdep kecho pre: tcp_diag\n";

} // namespace

TEST_CASE("options are read, last one wins, module names normalized", "[modprobe]") {
    const auto conf = ModprobeConf::parse(kAdminFile, "t.conf");
    const auto opts = conf.options("kecho");
    CHECK(opts.at("port") == "7");
    CHECK(opts.at("backlog") == "64");
    CHECK(conf.options("snd-hda-intel").at("power_save") == "1");

    const auto two = ModprobeConf::parse("options kecho port=1\noptions kecho port=2 bench\n", "t");
    CHECK(two.options("kecho").at("port") == "2");
    CHECK(two.options("kecho").at("bench") == "1");
}

TEST_CASE("unchanged files render byte for byte", "[modprobe]") {
    CHECK(ModprobeConf::parse(kAdminFile, "t").render() == kAdminFile);
    const std::string cont = "options snd foo=1 \\\n  bar=2\n# end\n";
    CHECK(ModprobeConf::parse(cont, "t").render() == cont);
    CHECK(ModprobeConf::parse("", "t").render().empty());
}

TEST_CASE("changing a value rewrites only that line", "[modprobe]") {
    auto conf = ModprobeConf::parse(kAdminFile, "t");
    conf.set_option("kecho", "port", "2000");
    std::string want = kAdminFile;
    want.replace(want.find("options  kecho   port=7   backlog=64 "),
                 std::string("options  kecho   port=7   backlog=64 ").size(),
                 "options kecho port=2000 backlog=64");
    CHECK(conf.render() == want);
    CHECK(conf.options("kecho").at("port") == "2000");
}

TEST_CASE("a new key joins the module's last options line", "[modprobe]") {
    auto conf = ModprobeConf::parse("# c\noptions kecho port=1\n# tail\n", "t");
    conf.set_option("kecho", "bench", "1");
    CHECK(conf.render() == "# c\noptions kecho port=1 bench=1\n# tail\n");
}

TEST_CASE("a missing options line is appended; a missing final newline is added", "[modprobe]") {
    auto conf = ModprobeConf::parse("# only a comment", "t");
    conf.set_option("kecho", "port", "80");
    CHECK(conf.render() == "# only a comment\noptions kecho port=80\n");
}

TEST_CASE("every occurrence of a key is changed, so the last one still wins", "[modprobe]") {
    auto conf = ModprobeConf::parse("options kecho port=1\noptions kecho port=2\n", "t");
    conf.set_option("kecho", "port", "3");
    CHECK(conf.render() == "options kecho port=3\noptions kecho port=3\n");
}

TEST_CASE("setting the same value changes nothing", "[modprobe]") {
    const std::string text = "options   kecho port=5\n";
    auto conf = ModprobeConf::parse(text, "t");
    conf.set_option("kecho", "port", "5");
    CHECK(conf.render() == text);
}

TEST_CASE("other modules' lines with the same key are untouched", "[modprobe]") {
    auto conf = ModprobeConf::parse("options other port=9\n", "t");
    conf.set_option("kecho", "port", "10");
    CHECK(conf.render() == "options other port=9\noptions kecho port=10\n");
}

TEST_CASE("quoted values are kept", "[modprobe]") {
    const std::string text = "options kecho bind=\"::1\" port=4\n";
    auto conf = ModprobeConf::parse(text, "t");
    CHECK(conf.options("kecho").at("bind") == "::1");
    conf.set_option("kecho", "port", "5");
    CHECK(conf.render() == "options kecho bind=\"::1\" port=5\n");
}

TEST_CASE("malformed files are refused with file and line", "[modprobe]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"# ok\nfrobnicate kecho\n", "t.conf:2: unknown directive 'frobnicate'"},
        {"options\n", "t.conf:1: options without a module name"},
        {"options kecho port=abc\n", "t.conf:1: port=abc: not a number"},
        {"options kecho port=0\n", "t.conf:1: port=0: not in 1-65535"},
        {"options kecho port=70000\n", "t.conf:1: port=70000: not in 1-65535"},
        {"options kecho port\n", "t.conf:1: port without a value"},
        {"options kecho bench=maybe\n", "t.conf:1: bench=maybe: not a boolean (0 or 1)"},
        {"options kecho backlog=0\n", "t.conf:1: backlog=0: not in 1-65535"},
        {"options kecho bind=\"::1\n", "t.conf:1: unbalanced quote"},
        {"\noptions kecho port=1 \\", "t.conf:2: line continuation at end of file"},
        {std::string("options kecho port=1\n\0\n", 23), "t.conf: contains NUL bytes"},
    };
    for (const auto& [text, why] : cases) {
        INFO(why);
        CHECK_THROWS_AS(ModprobeConf::parse(text, "t.conf"), ConfParseError);
        CHECK_THROWS_WITH(ModprobeConf::parse(text, "t.conf"), Catch::StartsWith(why));
    }
}

TEST_CASE("unknown kecho options and other modules' values are not judged", "[modprobe]") {
    CHECK_NOTHROW(ModprobeConf::parse("options kecho future_knob=xyz\n", "t"));
    CHECK_NOTHROW(ModprobeConf::parse("options other port=abc\n", "t"));
}
