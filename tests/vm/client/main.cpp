// kecho-testclient SUBCOMMAND [OPTIONS]: the VM tests' echo client.
#include "commands.h"

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

namespace {

void usage(std::FILE* out) {
    std::fprintf(out, "usage: kecho-testclient SUBCOMMAND [OPTIONS]\n"
                      "common options: --host H --port P (12345) --family 4|6 --timeout S (30, "
                      "seconds without progress)\n"
                      "sizes accept k/M suffixes\n\n");
    for (const auto& c : kecho::testclient::commands())
        std::fprintf(out, "  %-10s %s\n  %-10s   %s\n", c.name, c.usage, "", c.summary);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const std::string name = argv[1];
    if (name == "--help" || name == "-h" || name == "help") {
        usage(stdout);
        return 0;
    }
    for (const auto& c : kecho::testclient::commands()) {
        if (name != c.name)
            continue;
        try {
            return c.run(kecho::testclient::Argv(argv + 2, argv + argc));
        } catch (const std::invalid_argument& e) {
            std::fprintf(stderr, "%s: %s\nusage: kecho-testclient %s %s\n", c.name, e.what(),
                         c.name, c.usage);
            return 2;
        } catch (const std::exception& e) {
            std::printf("%s: FAIL: %s\n", c.name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "kecho-testclient: unknown subcommand '%s'\n", name.c_str());
    usage(stderr);
    return 2;
}
