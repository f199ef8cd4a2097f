// keechoctl: control the kecho in-kernel TCP echo server.
#include "cli.h"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    kecho::ctl::Context ctx{kecho::ctl::Paths::from_env(), std::cout, std::cerr};
    const int rc = kecho::ctl::run_cli(args, ctx);
    std::cout.flush();
    return rc;
}
