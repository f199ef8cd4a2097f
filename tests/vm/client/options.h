// Option sets: the common network options plus a subcommand's own.
#pragma once

#include "net.h"

#include <chrono>
#include <initializer_list>
#include <set>
#include <string>

namespace kecho::testclient {

inline std::set<std::string> net_options(std::initializer_list<std::string> own) {
    std::set<std::string> all = kNetOptions;
    all.insert(own);
    return all;
}

inline std::chrono::seconds io_timeout(const Args& args) {
    return std::chrono::seconds(args.num("timeout", 30));
}

} // namespace kecho::testclient
