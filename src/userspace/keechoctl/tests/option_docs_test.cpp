// Every copy of the option tables that keechoctl cannot generate names
// every row and nothing else: kecho's in the man page's CONFIGURATION, the
// bash completion, etc/modprobe.d/kecho.conf and README; khttpd's in the man
// page's KHTTPD section and the bash completion. option_module_test.cpp
// checks the rows against the built modules themselves.
#include "command.h"
#include "kecho_options.h"
#include "server.h"
#include "test_util.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <sstream>

using namespace kecho::ctl;

namespace {

const std::string kTop = KEECHOCTL_SOURCE_TOP;

std::string read_source(const std::string& rel) {
    const auto bytes = test::read_binary(kTop + "/" + rel);
    REQUIRE_FALSE(bytes.empty());
    return {bytes.begin(), bytes.end()};
}

// The text from the line `start` to the first line after it matching `end`.
std::string section(const std::string& text, const std::string& start, const std::regex& end) {
    const auto from = text.find(start);
    REQUIRE(from != std::string::npos);
    std::istringstream in(text.substr(from));
    std::string line;
    std::string out;
    std::getline(in, line);
    out = line + "\n";
    while (std::getline(in, line) && !std::regex_search(line, end))
        out += line + "\n";
    return out;
}

// roff spells '-' as "\-" in options.
std::string roff(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '-')
            out += "\\-";
        else
            out += c;
    }
    return out;
}

std::set<std::string> params(std::span<const KechoOption> table = kecho_options()) {
    std::set<std::string> out;
    for (const auto& opt : table)
        out.emplace(opt.param);
    return out;
}

std::set<std::string> matches(const std::string& text, const std::regex& re) {
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it)
        out.insert((*it)[1].str());
    return out;
}

} // namespace

// Each option of `server` is an item ".TP\n.BI name= VALUE" of the man
// page's section `heading`, with its flag, its default, and whether it
// applies live or by a reload as the module declares it.
void check_man_options(const Server& server, const std::string& heading) {
    const std::string conf =
        section(read_source("src/userspace/keechoctl/keechoctl.8"), heading, std::regex("^\\.SH "));
    CHECK(matches(conf, std::regex(R"(\n\.TP\n\.BI ([a-z_]+)= )")) == params(server.options));
    for (const auto& opt : server.options) {
        INFO(server.module << " " << opt.param);
        const std::string item = section(conf, ".BI " + std::string(opt.param) + "= ",
                                         std::regex(R"(^\.(TP|SS|SH|PP))"));
        CHECK_THAT(item, Catch::Contains("Default " + (opt.default_value.empty()
                                                           ? std::string("empty")
                                                           : std::string(opt.default_value))));
        CHECK_THAT(item, Catch::Contains(roff(opt.flag)));
        const bool live = item.find("Applies live") != std::string::npos;
        const bool reload = item.find("Applies by a reload") != std::string::npos;
        CHECK(live != reload);
        CHECK(live == (opt.apply == Apply::Live));
    }
    // The reconfigure entry under COMMANDS names every flag too.
    const std::string cmd = section(read_source("src/userspace/keechoctl/keechoctl.8"),
                                    ".BR reconfigure ", std::regex(R"(^\.TP)"));
    for (const auto& opt : server.options)
        CHECK_THAT(cmd, Catch::Contains(roff(opt.flag)));
}

TEST_CASE("the man page's CONFIGURATION section has every option, its flag and default",
          "[options][docs]") {
    check_man_options(kecho_server(), ".SH CONFIGURATION");
}

TEST_CASE("the man page's KHTTPD section has every khttpd option, its flag and default",
          "[options][docs][khttpd]") {
    check_man_options(khttpd_server(), ".SH KHTTPD");
    const std::string man = read_source("src/userspace/keechoctl/keechoctl.8");
    const std::string khttpd = section(man, ".SH KHTTPD", std::regex("^\\.SH "));
    CHECK_THAT(khttpd, Catch::Contains(".I /etc/modprobe.d/khttpd.conf"));
    CHECK_THAT(khttpd, Catch::Contains("keechoctl \\-\\-module khttpd health"));
    CHECK_THAT(man, Catch::Contains(".BR \\-\\-module \" \" kecho | khttpd"));
}

// The words of the completion's `pattern` (one capture), --help left out.
std::set<std::string> completion_words(const std::string& pattern) {
    const std::string text = read_source("src/userspace/keechoctl/keechoctl.bash-completion");
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(pattern)));
    std::set<std::string> offered;
    std::istringstream words(m[1].str());
    for (std::string w; words >> w;)
        if (w != "--help")
            offered.insert(w);
    return offered;
}

std::set<std::string> flags(const Server& server) {
    std::set<std::string> out;
    for (const auto& opt : server.options)
        out.emplace(opt.flag);
    return out;
}

TEST_CASE("bash completion offers every reconfigure flag", "[options][docs]") {
    CHECK(completion_words(R"re(\n\s*reconfigure\) opts="([^"]*)")re") == flags(kecho_server()));
    CHECK(completion_words(R"re(\n\s*local khttpd_reconfigure="([^"]*)")re") ==
          flags(khttpd_server()));
    CHECK(completion_words(R"re(\n\s*--module\)\n\s*COMPREPLY=\(\$\(compgen -W "([^"]*)")re") ==
          std::set<std::string>{"kecho", "khttpd"});
}

TEST_CASE("etc/modprobe.d/kecho.conf describes every option in its comments", "[options][docs]") {
    const std::string text = read_source("etc/modprobe.d/kecho.conf");
    // "#   name  what it does (default N)"
    CHECK(matches(text, std::regex(R"((?:^|\n)#   ([a-z_]+) )")) == params());
}

TEST_CASE("README's parameter table has every option and its default", "[options][docs]") {
    // kecho's table, up to the next heading (khttpd's has its own).
    const std::string text =
        section(read_source("README.md"), "### kecho's parameters", std::regex("^##"));
    CHECK(matches(text, std::regex(R"(\n\| `([a-z_]+)` \| )")) == params());
    for (const auto& opt : kecho_options()) {
        INFO(opt.param);
        const std::string def = opt.default_value.empty() ? "all" : std::string(opt.default_value);
        CHECK_THAT(text, Catch::Contains("| `" + std::string(opt.param) + "` | " + def + " |"));
    }
}

// The command table (cli.cpp) against its two hand-written copies.
TEST_CASE("bash completion and the man page have every command and its options",
          "[commands][docs]") {
    const std::string completion = read_source("src/userspace/keechoctl/keechoctl.bash-completion");
    const std::string man = read_source("src/userspace/keechoctl/keechoctl.8");
    std::smatch m;
    REQUIRE(std::regex_search(completion, m, std::regex(R"re(local commands="([^"]*)")re")));
    const std::string commands = " " + m[1].str() + " ";
    REQUIRE(std::regex_search(completion, m, std::regex(R"re(local filters="([^"]*)")re")));
    const std::string filters = m[1].str();
    const std::string filters_section = section(man, ".SH FILTERS", std::regex(R"(^\.SH)"));
    for (const Command& cmd : command_table()) {
        const std::string name(cmd.name);
        INFO("command " << name);
        CHECK_THAT(commands, Catch::Contains(" " + name + " "));
        // The row `name) opts="..."`, or one shared as `a | name | b) opts=...`.
        REQUIRE(std::regex_search(completion, m,
                                  std::regex(R"re(\n\s*(?:[a-z]+ \| )*)re" + name +
                                             R"re((?: \| [a-z]+)*\) opts="([^"]*)")re")));
        const std::string offered =
            std::regex_replace(" " + m[1].str() + " ", std::regex(R"(\$filters)"), filters);
        // The man page's entry: from `.BR name ` to the next command's .TP;
        // one that takes FILTERS has them documented under FILTERS.
        std::string entry = section(man, ".BR " + name + " ", std::regex(R"(^\.(TP|SH))"));
        if (entry.find("FILTERS") != std::string::npos)
            entry += filters_section;
        for (const OptionSpec& opt : cmd.options_for(kecho_server())) {
            INFO("option " << opt.name);
            CHECK_THAT(offered, Catch::Contains(" " + std::string(opt.name) + " "));
            CHECK_THAT(entry, Catch::Contains(roff(opt.name)));
        }
        // khttpd's flags (reconfigure's), offered with --module khttpd.
        for (const OptionSpec& opt : cmd.options_for(khttpd_server())) {
            INFO("khttpd option " << opt.name);
            CHECK_THAT(entry, Catch::Contains(roff(opt.name)));
        }
    }
}
