// dtsfuzz --seconds S [--seed N] [--file PATH]: feed drop-tcp-socket's
// /proc/net/drop_tcp_sock random and adversarial input for S seconds:
// random bytes, near-valid tuples (one character changed, dropped or
// doubled; out-of-range ports and octets; bad brackets), huge lines,
// lines split across several write() calls, and valid tuples of the live
// connections listed in /proc/net/tcp and tcp6. Each batch is written on
// its own open file in one to four write()s (a huge line in one). Every write must consume all
// its bytes or fail with EINVAL or ENOENT; a huge line must give EINVAL
// and a well-formed tuple never may. Prints the seed and the tallies.
#include "commands.h"
#include "options.h"
#include "proc_stats.h"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace kecho::testclient {

namespace {

using Rng = std::mt19937_64;

std::size_t below(Rng& rng, std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

// "0100007F:3039" (as /proc/net/tcp prints it) -> "127.0.0.1:12345".
std::string endpoint_text(const std::string& hex, bool v6) {
    const auto colon = hex.find(':');
    const std::string addr = hex.substr(0, colon);
    const unsigned long port = std::stoul(hex.substr(colon + 1), nullptr, 16);
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (!v6) {
        in_addr a{};
        a.s_addr = static_cast<std::uint32_t>(std::stoul(addr, nullptr, 16));
        inet_ntop(AF_INET, &a, buf.data(), buf.size());
        return std::string(buf.data()) + ":" + std::to_string(port);
    }
    in6_addr a{};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto word =
            static_cast<std::uint32_t>(std::stoul(addr.substr(i * 8, 8), nullptr, 16));
        std::memcpy(&a.s6_addr[i * 4], &word, 4);
    }
    inet_ntop(AF_INET6, &a, buf.data(), buf.size());
    return "[" + std::string(buf.data()) + "]:" + std::to_string(port);
}

// Tuples ("LOCAL REMOTE") of connections not listening and not closed.
std::vector<std::string> live_tuples() {
    std::vector<std::string> out;
    for (const bool v6 : {false, true}) {
        std::istringstream in(read_text_file(v6 ? "/proc/net/tcp6" : "/proc/net/tcp").value_or(""));
        std::string line;
        std::getline(in, line); // header
        while (std::getline(in, line)) {
            std::istringstream f(line);
            std::string slot;
            std::string local;
            std::string remote;
            std::string state;
            if (!(f >> slot >> local >> remote >> state) || state == "0A" || state == "07")
                continue;
            out.push_back(endpoint_text(local, v6) + " " + endpoint_text(remote, v6));
        }
    }
    return out;
}

std::string random_tuple(Rng& rng) {
    if (below(rng, 2) == 0)
        return "127.0.0." + std::to_string(below(rng, 4)) + ":" +
               std::to_string(1 + below(rng, 65535)) +
               " 127.0.0.1:" + std::to_string(1 + below(rng, 65535));
    return "[::1]:" + std::to_string(1 + below(rng, 65535)) +
           " [::1]:" + std::to_string(1 + below(rng, 65535));
}

std::string mutate(std::string s, Rng& rng) {
    static const std::array<std::string, 14> kBad = {
        "65536", "0",    "-1",       "99999999999999999999", "256", "[", "]", "::", ":", " ", "\t",
        "%lo",   "0x10", "1.2.3.4.5"};
    const std::size_t at = below(rng, s.size());
    switch (below(rng, 4)) {
    case 0:
        s[at] = static_cast<char>(below(rng, 256));
        break;
    case 1:
        s.erase(at, 1);
        break;
    case 2:
        s.insert(at, 1, s[at]);
        break;
    default:
        s.insert(at, kBad.at(below(rng, kBad.size())));
        break;
    }
    return s;
}

struct Batch {
    const char* kind;
    std::string data;
    bool must_einval = false;  // a huge line
    bool never_einval = false; // only well-formed tuples
};

Batch make_batch(Rng& rng, const std::vector<std::string>& live) {
    switch (below(rng, 5)) {
    case 0: {
        std::string s(1 + below(rng, 600), '\0');
        std::generate(s.begin(), s.end(), [&rng] { return static_cast<char>(below(rng, 256)); });
        return {"random", s};
    }
    case 1: {
        std::string s;
        for (std::size_t n = 1 + below(rng, 4); n > 0; --n)
            s += mutate(random_tuple(rng), rng) + "\n";
        return {"near-valid", s};
    }
    case 2: {
        std::string s(129 + below(rng, std::size_t{256} * 1024), "1.:[]9 "[below(rng, 7)]);
        return {"huge", s + (below(rng, 2) != 0 ? "\n" : ""), true, false};
    }
    case 3:
        return {"split", random_tuple(rng) + "\n" + random_tuple(rng) + "\n", false, true};
    default: {
        std::string s;
        for (std::size_t n = 1 + below(rng, 3); n > 0 && !live.empty(); --n)
            s += live.at(below(rng, live.size())) + "\n";
        return {"live", s.empty() ? random_tuple(rng) + "\n" : s, false, true};
    }
    }
}

} // namespace

int cmd_dtsfuzz(const Argv& argv) {
    const Args args(argv, {"seconds", "seed", "file"});
    const std::string path = args.str("file", "/proc/net/drop_tcp_sock");
    const auto run_for = std::chrono::seconds(args.num("seconds", 10));
    const std::uint64_t seed = args.num("seed", std::random_device{}() & 0xffffffffU);
    std::printf("dtsfuzz: seed %llu\n", static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    Rng rng(seed);

    std::map<std::string, std::size_t> tally; // "kind errno-name" -> count
    std::vector<std::string> problems;
    std::vector<std::string> live;
    std::size_t batches = 0;
    const auto begin = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - begin < run_for) {
        if (batches % 50 == 0)
            live = live_tuples();
        const Batch b = make_batch(rng, live);
        ++batches;
        const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd) {
            std::printf("dtsfuzz: FAIL: open %s: %s\n", path.c_str(), std::strerror(errno));
            return 1;
        }
        // Up to four write()s, cut at random points (splitting lines).
        std::size_t done = 0;
        for (std::size_t left = b.must_einval ? 1 : 1 + below(rng, 4); done < b.data.size();
             --left) {
            const std::size_t len =
                left == 1 ? b.data.size() - done : 1 + below(rng, b.data.size() - done);
            const ssize_t n = ::write(fd.get(), b.data.data() + done, len);
            const int err = n < 0 ? errno : 0;
            const char* name = err == 0        ? "ok"
                               : err == EINVAL ? "EINVAL"
                               : err == ENOENT ? "ENOENT"
                                               : nullptr;
            std::string why;
            if (name == nullptr)
                why = std::string("write failed: ") + std::strerror(err);
            else if (n >= 0 && static_cast<std::size_t>(n) != len)
                why = "short write: " + std::to_string(n) + " of " + std::to_string(len);
            else if (err == EINVAL && b.never_einval)
                why = "EINVAL for well-formed tuples";
            ++tally[std::string(b.kind) + " " + (name ? name : "other")];
            if (!why.empty() && problems.size() < 5) {
                std::string shown = b.data.substr(0, 120);
                std::replace_if(
                    shown.begin(), shown.end(), [](char ch) { return ch < 0x20 || ch >= 0x7f; },
                    '.');
                problems.push_back(std::string(b.kind) + " batch '" + shown + "': " + why);
            }
            done += len;
            if (b.must_einval && err != EINVAL && problems.size() < 5)
                problems.push_back("a " + std::to_string(len) + "-byte line was not EINVAL");
        }
    }
    std::string counts;
    for (const auto& [k, n] : tally)
        counts += "; " + k + " " + std::to_string(n);
    std::printf("dtsfuzz: seed %llu, %zu batches in %lld s%s\n",
                static_cast<unsigned long long>(seed), batches,
                static_cast<long long>(run_for.count()), counts.c_str());
    for (const auto& p : problems)
        std::printf("dtsfuzz: FAIL: %s\n", p.c_str());
    return problems.empty() ? 0 : 1;
}

} // namespace kecho::testclient
