// chaos: a seeded mix of well-behaved and misbehaving clients, up to
// --parallel at once, --clients in all or for --seconds. Kinds (weights in
// --mix, e.g. "good=4,reset=1,vanish=1,slow=1"):
//   good    sends a distinct message and reads the exact echo back, then
//           half-closes: the server must close with nothing more sent
//   slow    the same (at most --slow-size bytes, default 8k) with a 4 KiB
//           receive buffer, reading at most --slow-chunk bytes (512) every
//           100 ms, and half-closes the same way
//   reset   sends part of its message, waits for some echo, then closes
//           with SO_LINGER 0 (RST) in the middle of the echo
//   vanish  sends --vanish-size bytes and closes without reading any
// Any received byte that differs from what was sent is corruption: always
// a failure. A good or slow client cut short (EOF, RST, refused, stalled)
// fails only when it was "protected": by default every one is; with
// --cut-ok 1 none is; with --gen-file F, a client is protected when F read
// "N up" both when it started and when it ended (the test flips F to
// "N down" before unloading kecho and to "N+1 up" once it listens again).
#include "commands.h"
#include "epoll.h"
#include "error.h"
#include "net.h"
#include "options.h"
#include "payload.h"
#include "proc_stats.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <sys/socket.h>
#include <system_error>
#include <vector>

namespace kecho::testclient {

namespace {

enum class Kind { good, slow, reset, vanish };
constexpr std::array kKindNames = {"good", "slow", "reset", "vanish"};

struct Mix {
    std::array<unsigned, 4> weight{};
};

Mix parse_mix(const std::string& text) {
    Mix mix;
    std::istringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto eq = item.find('=');
        const std::string name = item.substr(0, eq);
        const auto* const it = std::find(kKindNames.begin(), kKindNames.end(), name);
        if (it == kKindNames.end())
            throw std::invalid_argument("--mix: unknown kind '" + name + "'");
        const auto w = eq == std::string::npos ? 1 : parse_size(item.substr(eq + 1), "--mix");
        mix.weight.at(static_cast<std::size_t>(it - kKindNames.begin())) = static_cast<unsigned>(w);
    }
    if (std::all_of(mix.weight.begin(), mix.weight.end(), [](unsigned w) { return w == 0; }))
        throw std::invalid_argument("--mix: every weight is 0");
    return mix;
}

// A slow reader advertises a small window (4 KiB receive buffer, set
// before connecting), so its echo backs up into kecho and kecho must wait
// for write space rather than lean on the client's buffers.
UniqueFd connect_small_window(const Endpoint& ep) {
    UniqueFd fd(::socket(ep.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    const int size = 4096;
    if (!fd || ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) != 0)
        throw_errno("socket with a small receive buffer");
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&ep.addr), ep.addr_len) != 0 &&
        errno != EINPROGRESS)
        throw_errno("connect " + ep.describe());
    return fd;
}

struct Client {
    Kind kind = Kind::good;
    UniqueFd fd;
    std::vector<std::uint8_t> msg;
    std::size_t to_send = 0; // bytes this client sends (part of msg for reset)
    std::size_t sent = 0;
    std::size_t received = 0;
    std::string gen_at_start;
    Clock::time_point last_progress;
    Clock::time_point next_read;
    Clock::time_point not_before; // slot idle until then (after a refusal)
    std::uint64_t tag = 0;        // its index, the epoll tag
    bool draining = false;        // echo complete, half-closed, waiting for EOF
    bool active = false;
};

struct Tally {
    std::array<std::size_t, 4> started{};
    std::array<std::size_t, 4> completed{}; // exact echo / reset / vanished as planned
    std::array<std::size_t, 4> cut{};
    std::size_t corrupt = 0;
    std::size_t protected_failures = 0;
    std::vector<std::string> problems;

    void note(const std::string& what) {
        if (problems.size() < 5)
            problems.push_back(what);
    }
};

class Chaos {
  public:
    explicit Chaos(const Args& args)
        : ep_(endpoint_from(args)), mix_(parse_mix(args.str("mix", "good=1"))),
          size_(std::max<std::size_t>(args.num("size", 65536), 32)),
          vanish_size_(args.num("vanish-size", 262144)),
          slow_chunk_(std::max<std::size_t>(args.num("slow-chunk", 512), 1)),
          slow_size_(std::max<std::size_t>(args.num("slow-size", 8192), 32)),
          timeout_(io_timeout(args)), gen_file_(args.str("gen-file", "")),
          cut_ok_(args.num("cut-ok", 0) != 0) {}

    bool start(Client& c, std::uint64_t index, std::mt19937_64& rng) {
        std::discrete_distribution<int> pick(mix_.weight.begin(), mix_.weight.end());
        c.kind = static_cast<Kind>(pick(rng));
        const std::size_t max = c.kind == Kind::slow ? slow_size_ : size_;
        const std::size_t len = std::uniform_int_distribution<std::size_t>(32, max)(rng);
        c.msg = random_payload(c.kind == Kind::vanish ? vanish_size_ : len, rng());
        const std::string tag = "chaos " + std::to_string(index) + ":";
        std::copy_n(tag.begin(), std::min(tag.size(), c.msg.size()), c.msg.begin());
        c.to_send = c.kind == Kind::reset
                        ? std::uniform_int_distribution<std::size_t>(1, c.msg.size() - 1)(rng)
                        : c.msg.size();
        c.sent = c.received = 0;
        c.draining = false;
        c.gen_at_start = generation();
        c.last_progress = c.next_read = Clock::now();
        ++tally_.started.at(static_cast<std::size_t>(c.kind));
        try {
            c.fd = c.kind == Kind::slow ? connect_small_window(ep_) : connect_nonblocking(ep_);
        } catch (const std::system_error& e) {
            // Loopback can refuse at once, in connect() itself.
            count_cut(c, e.what());
            return false;
        }
        c.active = true;
        return true;
    }

    // The events to watch for a client in its current phase.
    static std::uint32_t interest(const Client& c) {
        if (c.draining)
            return EPOLLIN;
        if (c.sent < c.to_send)
            return EPOLLOUT;
        return c.kind == Kind::slow ? 0U : static_cast<std::uint32_t>(EPOLLIN);
    }

    void on_event(Epoll& poller, Client& c, std::uint64_t tag, std::uint32_t events) {
        if (has(events, EPOLLERR | EPOLLHUP) && !has(events, EPOLLIN))
            return cut(poller, c, "socket error: " + socket_error(c));
        if (has(events, EPOLLOUT) && c.sent < c.to_send) {
            const ssize_t n =
                ::send(c.fd.get(), c.msg.data() + c.sent, c.to_send - c.sent, MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN)
                return cut(poller, c, std::string("send: ") + std::strerror(errno));
            if (n > 0) {
                c.sent += static_cast<std::size_t>(n);
                c.last_progress = Clock::now();
            }
            if (c.sent == c.to_send) {
                if (c.kind == Kind::vanish)
                    return finish(poller, c, true);
                poller.modify(c.fd.get(), interest(c), tag);
            }
        }
        if (has(events, EPOLLIN))
            receive(poller, c, 16384);
    }

    // Slow readers' reads, vanishers that stalled, and stalled clients.
    void tick(Epoll& poller, std::vector<Client>& clients) {
        const auto now = Clock::now();
        for (auto& c : clients) {
            if (!c.active)
                continue;
            if (c.kind == Kind::slow && c.sent == c.to_send && now >= c.next_read) {
                c.next_read = now + std::chrono::milliseconds(100);
                for (std::size_t left = slow_chunk_; left > 0 && c.active;) {
                    const std::size_t n = receive(poller, c, left);
                    if (n == 0)
                        break;
                    left -= std::min(n, left);
                }
            } else if (c.active && c.kind == Kind::vanish &&
                       now - c.last_progress > std::chrono::milliseconds(500)) {
                finish(poller, c, true); // the server stopped reading: vanish now
            } else if (c.active && now - c.last_progress > timeout_) {
                cut(poller, c,
                    "stalled with " + std::to_string(c.sent) + " sent, " +
                        std::to_string(c.received) + " received");
            }
        }
    }

    [[nodiscard]] const Tally& tally() const { return tally_; }

  private:
    // Reads up to `max` bytes; returns how many matched (0: none, or ended).
    std::size_t receive(Epoll& poller, Client& c, std::size_t max) {
        std::array<std::uint8_t, 16384> buf{};
        const ssize_t n = ::recv(c.fd.get(), buf.data(), std::min(max, buf.size()), MSG_DONTWAIT);
        if (c.draining)
            return drain(poller, c, n);
        if (n == 0) {
            cut(poller, c, "EOF after " + std::to_string(c.received) + " bytes back");
            return 0;
        }
        if (n < 0) {
            if (errno != EAGAIN)
                cut(poller, c, std::string("recv: ") + std::strerror(errno));
            return 0;
        }
        const auto got = std::span<const std::uint8_t>(buf.data(), static_cast<std::size_t>(n));
        const auto want = std::span<const std::uint8_t>(c.msg).subspan(
            c.received, std::min(c.msg.size(), c.sent) - c.received);
        std::optional<std::size_t> off = first_mismatch(got, want);
        if (got.size() > want.size() || off) {
            ++tally_.corrupt;
            tally_.note(std::string(kKindNames.at(static_cast<std::size_t>(c.kind))) + " client: " +
                        (off ? describe_mismatch(c.received + *off, got[*off], want[*off])
                             : "more bytes back than sent"));
            end(poller, c);
            return 0;
        }
        c.received += got.size();
        c.last_progress = Clock::now();
        if (c.kind == Kind::reset) {
            const linger lg{1, 0};
            ::setsockopt(c.fd.get(), SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
            finish(poller, c, true); // close() now sends RST mid-echo
            return 0;
        }
        if (c.received == c.msg.size()) {
            // Everything came back: half-close, and the server must close
            // too without sending one byte more.
            if (::shutdown(c.fd.get(), SHUT_WR) != 0) {
                cut(poller, c, std::string("shutdown(SHUT_WR): ") + std::strerror(errno));
                return 0;
            }
            c.draining = true;
            poller.modify(c.fd.get(), interest(c), c.tag);
        }
        return got.size();
    }

    // A half-closed client's read (n from recv): EOF completes it.
    std::size_t drain(Epoll& poller, Client& c, ssize_t n) {
        if (n == 0) {
            finish(poller, c, true);
        } else if (n > 0) {
            ++tally_.corrupt;
            tally_.note(std::string(kKindNames.at(static_cast<std::size_t>(c.kind))) + " client: " +
                        std::to_string(n) + " bytes more than sent came back after the echo");
            end(poller, c);
        } else if (errno != EAGAIN) {
            cut(poller, c, std::string("recv after the echo: ") + std::strerror(errno));
        }
        return 0;
    }

    static std::string socket_error(const Client& c) {
        int err = 0;
        socklen_t len = sizeof(err);
        ::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
        return std::strerror(err != 0 ? err : EPIPE);
    }

    void finish(Epoll& poller, Client& c, bool as_planned) {
        if (as_planned)
            ++tally_.completed.at(static_cast<std::size_t>(c.kind));
        end(poller, c);
    }

    void cut(Epoll& poller, Client& c, const std::string& why) {
        count_cut(c, why);
        end(poller, c);
    }

    void count_cut(Client& c, const std::string& why) {
        const bool well_behaved = c.kind == Kind::good || c.kind == Kind::slow;
        if (well_behaved && is_protected(c)) {
            ++tally_.protected_failures;
            tally_.note(std::string(kKindNames.at(static_cast<std::size_t>(c.kind))) +
                        " client (gen '" + c.gen_at_start + "'): " + why);
        } else {
            ++tally_.cut.at(static_cast<std::size_t>(c.kind));
        }
        if (why.find("refused") != std::string::npos)
            c.not_before = Clock::now() + std::chrono::milliseconds(100);
    }

    static void end(Epoll& poller, Client& c) {
        poller.remove(c.fd.get());
        c.fd.reset();
        c.msg.clear();
        c.msg.shrink_to_fit();
        c.active = false;
    }

    [[nodiscard]] bool is_protected(const Client& c) const {
        if (cut_ok_)
            return false;
        if (gen_file_.empty())
            return true;
        const std::string now = generation();
        return now == c.gen_at_start && now.ends_with(" up");
    }

    [[nodiscard]] std::string generation() const {
        if (gen_file_.empty())
            return {};
        auto text = read_text_file(gen_file_).value_or("");
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        return text;
    }

    Endpoint ep_;
    Mix mix_;
    std::size_t size_;
    std::size_t vanish_size_;
    std::size_t slow_chunk_;
    std::size_t slow_size_;
    std::chrono::seconds timeout_;
    std::string gen_file_;
    bool cut_ok_;
    Tally tally_;
};

std::string per_kind(const std::array<std::size_t, 4>& n) {
    std::string out;
    for (std::size_t k = 0; k < n.size(); ++k)
        out += std::string(k != 0 ? " " : "") + kKindNames.at(k) + "=" + std::to_string(n.at(k));
    return out;
}

} // namespace

int cmd_chaos(const Argv& argv) {
    const Args args(
        argv, net_options({"clients", "seconds", "parallel", "mix", "size", "vanish-size",
                           "slow-chunk", "slow-size", "seed", "gen-file", "cut-ok", "min-good"}));
    const std::uint64_t seed = args.num("seed", fresh_seed() & 0xffffffffU);
    const std::uint64_t total = args.num("clients", 0);
    const auto run_for = std::chrono::seconds(args.num("seconds", total != 0 ? 0 : 10));
    const std::size_t parallel = std::max<std::size_t>(args.num("parallel", 100), 1);
    const std::uint64_t min_good = args.num("min-good", 1);
    std::printf("chaos: seed %llu\n", static_cast<unsigned long long>(seed));
    std::fflush(stdout);

    Chaos chaos(args);
    std::mt19937_64 rng(seed);
    Epoll poller;
    std::vector<Client> clients(parallel);
    std::uint64_t started = 0;
    const auto begin = Clock::now();
    auto more = [&] { return total != 0 ? started < total : Clock::now() - begin < run_for; };
    for (;;) {
        const auto now = Clock::now();
        bool any_active = false;
        for (std::size_t i = 0; i < clients.size(); ++i) {
            Client& c = clients[i];
            if (!c.active && more() && now >= c.not_before) {
                c.tag = i;
                if (chaos.start(c, started++, rng))
                    poller.add(c.fd.get(), Chaos::interest(c), i);
            }
            any_active = any_active || c.active;
        }
        if (!any_active && !more())
            break;
        for (const auto& ev : poller.wait(20, 1024)) {
            Client& c = clients[ev.data.u64];
            if (c.active)
                chaos.on_event(poller, c, ev.data.u64, ev.events);
        }
        chaos.tick(poller, clients);
    }

    const Tally& t = chaos.tally();
    const std::size_t exact = t.completed[0] + t.completed[1];
    std::string detail;
    for (const auto& p : t.problems)
        detail += "; " + p;
    std::printf("chaos: seed %llu, %llu clients in %.1f s; started %s; as planned %s; cut %s; "
                "corrupt %zu; protected failures %zu%s\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(started),
                seconds_since(begin), per_kind(t.started).c_str(), per_kind(t.completed).c_str(),
                per_kind(t.cut).c_str(), t.corrupt, t.protected_failures, detail.c_str());
    if (t.corrupt != 0 || t.protected_failures != 0) {
        std::printf("chaos: FAIL\n");
        return 1;
    }
    if (exact < min_good && t.started[0] + t.started[1] != 0) {
        std::printf("chaos: FAIL: only %zu well-behaved clients got their echo, want >= %llu\n",
                    exact, static_cast<unsigned long long>(min_good));
        return 1;
    }
    std::printf("chaos: %zu well-behaved clients echoed exactly\n", exact);
    return 0;
}

} // namespace kecho::testclient
