// keechoctl's option table against a built kecho.ko (KECHO_MODULE, set by
// CMake from -DKECHO_MODULE=...; `make unit` passes src/kernel/kecho.ko):
// every parameter the module declares has a row and every row is a
// parameter, with a value kind that fits the module's type and the default
// its description states. Read with libkmod like modinfo: nothing is loaded.
#include "kecho_options.h"
#include "module_info.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <regex>
#include <set>

using namespace kecho::ctl;

namespace {

ModuleInfo built_module() {
    const char* path = std::getenv("KECHO_MODULE"); // NOLINT(concurrency-mt-unsafe)
    REQUIRE(path != nullptr);
    INFO("reading " << path << " (build it with `make modules`)");
    return module_info_from_file(path);
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
        return type == "string" || type == "charp";
    }
    return false;
}

} // namespace

TEST_CASE("every parameter of the built kecho.ko has a row, and every row a parameter",
          "[options][module]") {
    const ModuleInfo info = built_module();
    REQUIRE_FALSE(info.params.empty());
    std::set<std::string> in_module;
    for (const auto& p : info.params) {
        in_module.insert(p.name);
        INFO("kecho.ko declares " << p.name << ": add its row to kecho_options.cpp");
        CHECK(find_option(p.name) != nullptr);
    }
    for (const auto& opt : kecho_options()) {
        INFO("kecho_options.cpp has " << opt.param << ", which kecho.ko does not declare");
        CHECK(in_module.contains(std::string(opt.param)));
    }
}

TEST_CASE("each row's kind and default agree with the module's type and description",
          "[options][module]") {
    for (const auto& p : built_module().params) {
        const KechoOption* opt = find_option(p.name);
        if (opt == nullptr)
            continue; // reported by the test above
        INFO(p.name << ": type '" << p.type << "', description '" << p.description << "'");
        CHECK_FALSE(p.description.empty());
        if (!p.type.empty()) // parameters with their own ops have no parmtype
            CHECK(kind_fits(opt->kind, p.type));
        std::smatch m;
        if (std::regex_search(p.description, m, std::regex(R"(default (\d+))")))
            CHECK(m[1].str() == opt->default_value);
    }
}
