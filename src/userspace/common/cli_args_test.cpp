// The shared command-line parser, by a table of argv cases.
#include "cli_args.h"

#include <array>
#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

using kecho::EmptyValues;
using kecho::OptionSpec;
using kecho::ParsedArgs;
using kecho::UsageError;

namespace {

constexpr std::array<OptionSpec, 4> kSpecs = {{
    kecho::kHelpOption,
    {"--port", "N", "port"},
    {"--state", "STATE", "state (repeatable)"},
    {"--json", "", "json"},
}};

ParsedArgs parse(const std::vector<std::string>& args, EmptyValues empty = EmptyValues::refuse) {
    return kecho::parse_args(args, kSpecs, "test", empty);
}

// "--port 1 x" -> "--port=1 [x]": what the parser saw, in one line.
std::string render(const ParsedArgs& a) {
    std::string out;
    for (const auto& spec : kSpecs)
        for (const auto& v : a.values(spec.name))
            out += std::string(spec.name) + (spec.takes_value() ? "=" + v : "") + " ";
    for (const auto& p : a.positionals())
        out += "[" + p + "] ";
    if (!out.empty())
        out.pop_back();
    return out;
}

using Argv = std::vector<std::string>;

} // namespace

TEST_CASE("argv cases that parse", "[cli_args]") {
    const auto [argv, seen] = GENERATE(table<Argv, std::string>({
        {Argv{}, ""},
        {{"--port", "80"}, "--port=80"},
        {{"--port=443"}, "--port=443"},
        {{"--port", "--json"}, "--port=--json"}, // a value may start with '-'
        {{"--port", "-1"}, "--port=-1"},
        {{"--port=a=b"}, "--port=a=b"},
        {{"--json"}, "--json"},
        {{"-h"}, "--help"},
        {{"--help", "--json"}, "--help --json"},
        {{"--state", "LISTEN", "--state=TIME_WAIT"}, "--state=LISTEN --state=TIME_WAIT"},
        {{"kecho", "--json", "drop"}, "--json [kecho] [drop]"},
        {{"kecho", "--", "--json", "-h"}, "[kecho] [--json] [-h]"},
        {{"-"}, "[-]"},
        {{"--port", "1", "--port", "2"}, "--port=1 --port=2"},
    }));
    INFO("argv: " << Catch::Detail::stringify(argv));
    CHECK(render(parse(argv)) == seen);
}

TEST_CASE("the last value counts, and what was not given is not there", "[cli_args]") {
    CHECK(parse({"--port", "1", "--port=2"}).value("--port") == "2");
    CHECK_FALSE(parse({"--json"}).has("--port"));
    CHECK_FALSE(parse({}).value("--port"));
}

TEST_CASE("argv cases that are usage errors, each naming the option", "[cli_args]") {
    const auto [argv, error] = GENERATE(table<Argv, std::string>({
        {{"--bogus"}, "test: unknown option '--bogus' (see --help)"},
        {{"--bogus=1"}, "test: unknown option '--bogus' (see --help)"},
        {{"-x"}, "test: unknown option '-x' (see --help)"},
        {{"--Port", "1"}, "test: unknown option '--Port' (see --help)"},
        {{"--port"}, "test: option --port needs a value (N)"},
        {{"--json", "--port"}, "test: option --port needs a value (N)"},
        {{"--port="}, "test: option --port needs a non-empty value (N)"},
        {{"--port", ""}, "test: option --port needs a non-empty value (N)"},
        {{"--json=1"}, "test: option --json takes no value, got '--json=1'"},
    }));
    INFO("argv: " << Catch::Detail::stringify(argv));
    CHECK_THROWS_MATCHES(parse(argv), UsageError, Catch::Message(error));
}

TEST_CASE("empty values where a program allows them", "[cli_args]") {
    CHECK(parse({"--port="}, EmptyValues::allow).value("--port") == "");
    CHECK(parse({"--port", "1", "--port", ""}, EmptyValues::allow).value("--port") == "");
    CHECK_THROWS_WITH(parse({"--port"}, EmptyValues::allow), Catch::Contains("needs a value"));
}

TEST_CASE("without --help listed, -h is an unknown option and no --help is suggested",
          "[cli_args]") {
    const std::array<OptionSpec, 1> specs = {{{"--size", "N", ""}}};
    const std::vector<std::string> args = {"-h"};
    CHECK_THROWS_MATCHES(kecho::parse_args(args, specs, ""), UsageError,
                         Catch::Message("unknown option '-h'"));
}

TEST_CASE("argv as main() gets it, and programs without positionals", "[cli_args]") {
    const std::vector<const char*> argv = {"--port", "7", "extra"};
    const ParsedArgs a = kecho::parse_args(argv, kSpecs, "");
    CHECK(a.value("--port") == "7");
    CHECK_THROWS_MATCHES(kecho::refuse_positionals(a, ""), UsageError,
                         Catch::Message("unexpected argument 'extra'"));
    CHECK_THROWS_MATCHES(kecho::refuse_positionals(a, "bench"), UsageError,
                         Catch::Message("bench: unexpected argument 'extra'"));
    CHECK_NOTHROW(kecho::refuse_positionals(parse({"--json"}), ""));
}
