// The table of kecho-testclient subcommands. Each lives in cmd_<name>.cpp,
// prints one result line and returns 0 when everything matched, 1 when
// not (with the reason in the line). Bad options throw std::invalid_argument.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace kecho::testclient {

using Argv = std::vector<std::string>;

struct Command {
    const char* name;
    const char* usage;
    const char* summary;
    int (*run)(const Argv& args);
};

std::span<const Command> commands();

int cmd_payload(const Argv& args);
int cmd_concurrent(const Argv& args);
int cmd_halfclose(const Argv& args);
int cmd_noread(const Argv& args);
int cmd_hold(const Argv& args);
int cmd_linger(const Argv& args);

} // namespace kecho::testclient
