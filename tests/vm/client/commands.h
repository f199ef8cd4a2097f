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
    int (*run)(const Argv& argv);
};

std::span<const Command> commands();

int cmd_payload(const Argv& argv);
int cmd_concurrent(const Argv& argv);
int cmd_halfclose(const Argv& argv);
int cmd_noread(const Argv& argv);
int cmd_hold(const Argv& argv);
int cmd_linger(const Argv& argv);
int cmd_chaos(const Argv& argv);
int cmd_dtsfuzz(const Argv& argv);
int cmd_slowread(const Argv& argv);
int cmd_urgent(const Argv& argv);
int cmd_stuck(const Argv& argv);
int cmd_bound(const Argv& argv);
int cmd_fdwrite(const Argv& argv);
// message mode (cmd_msg*.cpp) and KCM (cmd_kcm.cpp)
int cmd_msg(const Argv& argv);
int cmd_msgconc(const Argv& argv);
int cmd_msgpart(const Argv& argv);
int cmd_msgmode(const Argv& argv);
int cmd_kcm(const Argv& argv);
int cmd_kcmtrap(const Argv& argv);
int cmd_kcmreset(const Argv& argv);
// chat mode (cmd_chat*.cpp)
int cmd_chat(const Argv& argv);
int cmd_chatjoin(const Argv& argv);
int cmd_chatchurn(const Argv& argv);
int cmd_chatbad(const Argv& argv);
int cmd_chatshare(const Argv& argv);
// HTTP (cmd_http.cpp), for khttpd
int cmd_http(const Argv& argv);

} // namespace kecho::testclient
