// keechoctl's option tables against the built modules (KECHO_MODULE and
// KHTTPD_MODULE, set by CMake from -DKECHO_MODULE=... and -DKHTTPD_MODULE=...;
// `make unit` passes src/kernel/kecho.ko and src/kernel/khttpd.ko): every
// parameter the module declares has a row and every row is a parameter,
// with a value kind that fits the module's type, the default and range its
// description states, and the writability its sysfs mode declares (0644:
// live, 0444: by a reload). Read like modinfo (libkmod) and from the .ko's
// __param section: nothing is loaded. CTest runs the [kecho] and [khttpd]
// cases as two tests, each skipped when its module was not given.
#include "kecho_options.h"
#include "module_info.h"
#include "param_modes.h"
#include "server.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <regex>
#include <set>

using namespace kecho::ctl;

namespace {

std::string built_path(const char* var) {
    const char* path = std::getenv(var); // NOLINT(concurrency-mt-unsafe)
    INFO(var << " names the built module (make userspace sets it)");
    REQUIRE(path != nullptr);
    return path;
}

bool kind_fits(ValueKind kind, const std::string& type) {
    static const std::set<std::string> numbers = {"byte", "short", "ushort", "int",
                                                  "uint", "long",  "ulong",  "ullong"};
    switch (kind) {
    case ValueKind::Number:
        return numbers.contains(type);
    case ValueKind::Bool:
        return type == "bool" || type == "bint" || type == "invbool";
    case ValueKind::Address:
    case ValueKind::Choice:
    case ValueKind::Directory:
        return type == "string" || type == "charp";
    }
    return false;
}

void rows_match_parameters(const Server& server, const ModuleInfo& info) {
    REQUIRE_FALSE(info.params.empty());
    std::set<std::string> in_module;
    for (const auto& p : info.params) {
        in_module.insert(p.name);
        INFO(server.module << ".ko declares " << p.name << ": add its row to keechoctl's table");
        CHECK(server.find_option(p.name) != nullptr);
    }
    for (const auto& opt : server.options) {
        INFO("keechoctl's table has " << opt.param << ", which " << server.module
                                      << ".ko does not declare");
        CHECK(in_module.contains(std::string(opt.param)));
    }
}

void kinds_defaults_and_ranges_match(const Server& server, const ModuleInfo& info) {
    for (const auto& p : info.params) {
        const KechoOption* opt = server.find_option(p.name);
        if (opt == nullptr)
            continue; // reported by rows_match_parameters
        INFO(p.name << ": type '" << p.type << "', description '" << p.description << "'");
        CHECK_FALSE(p.description.empty());
        if (!p.type.empty()) // parameters with their own ops have no parmtype
            CHECK(kind_fits(opt->kind, p.type));
        std::smatch m;
        if (std::regex_search(p.description, m, std::regex(R"(default (\d+|/[^\s,;)]+))")))
            CHECK(m[1].str() == opt->default_value);
        if (std::regex_search(p.description, m, std::regex(R"(\((\d+)-(\d+))"))) {
            CHECK(m[1].str() == std::to_string(opt->min));
            CHECK(m[2].str() == std::to_string(opt->max));
        }
        if (std::regex_search(p.description, m, std::regex(R"(max (\d+))")))
            CHECK(m[1].str() == std::to_string(opt->max));
    }
}

void writability_matches(const Server& server, const std::string& path) {
    const auto modes = test::module_param_modes(path);
    CHECK(modes.size() == server.options.size());
    for (const auto& opt : server.options) {
        INFO(server.module << " " << opt.param);
        const auto it = modes.find(std::string(opt.param));
        REQUIRE(it != modes.end());
        INFO("mode 0" << std::oct << it->second);
        CHECK((it->second & 0444U) == 0444U); // everyone may read it in sysfs
        const Apply declared = (it->second & 0222U) != 0 ? Apply::Live : Apply::Reload;
        CHECK(opt.apply == declared);
        // Root alone writes what is writable.
        CHECK((it->second & 0022U) == 0);
    }
}

} // namespace

TEST_CASE("kecho: every parameter of the built kecho.ko has a row, and every row a parameter",
          "[options][module][kecho]") {
    rows_match_parameters(kecho_server(), module_info_from_file(built_path("KECHO_MODULE")));
}

TEST_CASE("kecho: each row's kind, default and range agree with the module's type and "
          "description",
          "[options][module][kecho]") {
    kinds_defaults_and_ranges_match(kecho_server(),
                                    module_info_from_file(built_path("KECHO_MODULE")));
}

TEST_CASE("kecho: each row's live or reload is the parameter's sysfs mode in kecho.ko",
          "[options][module][kecho]") {
    writability_matches(kecho_server(), built_path("KECHO_MODULE"));
}

TEST_CASE("khttpd: every parameter of the built khttpd.ko has a row, and every row a parameter",
          "[options][module][khttpd]") {
    rows_match_parameters(khttpd_server(), module_info_from_file(built_path("KHTTPD_MODULE")));
}

TEST_CASE("khttpd: each row's kind, default and range agree with the module's type and "
          "description",
          "[options][module][khttpd]") {
    kinds_defaults_and_ranges_match(khttpd_server(),
                                    module_info_from_file(built_path("KHTTPD_MODULE")));
}

TEST_CASE("khttpd: each row's live or reload is the parameter's sysfs mode in khttpd.ko",
          "[options][module][khttpd]") {
    writability_matches(khttpd_server(), built_path("KHTTPD_MODULE"));
}
