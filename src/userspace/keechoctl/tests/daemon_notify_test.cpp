// The real `keechoctl daemon` process speaking the sd_notify protocol to a
// socket of ours. The system boundary is faked with files and an echo server
// of the test's own: /sys/module/kecho says "loaded" with the test server's
// port, so the daemon never loads or unloads a module (--keep-loaded).
#include "fake_http.h"
#include "health.h"
#include "kmod_loader.h"
#include "test_util.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace kecho::ctl;
using kecho::ctl::test::TempDir;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::chrono::seconds kWait{20}; // generous: only to avoid hangs

// A loopback TCP server that echoes, or swallows the data when told not to.
class EchoServer {
  public:
    EchoServer() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(sin);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&sin), len) == 0);
        REQUIRE(::listen(fd_, 16) == 0);
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&sin), &len) == 0);
        port_ = ntohs(sin.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    EchoServer(const EchoServer&) = delete;
    EchoServer& operator=(const EchoServer&) = delete;
    EchoServer(EchoServer&&) = delete;
    EchoServer& operator=(EchoServer&&) = delete;
    ~EchoServer() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    [[nodiscard]] std::uint16_t port() const { return port_; }
    std::atomic<bool> echo{true};

  private:
    void serve() {
        while (!stop_) {
            pollfd pfd{fd_, POLLIN, 0};
            if (::poll(&pfd, 1, 100) <= 0)
                continue;
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0)
                continue;
            std::array<char, 256> buf{};
            pollfd cp{c, POLLIN, 0};
            while (::poll(&cp, 1, 1000) > 0) {
                const ssize_t n = ::read(c, buf.data(), buf.size());
                if (n <= 0)
                    break;
                if (echo && ::write(c, buf.data(), static_cast<size_t>(n)) != n)
                    break;
            }
            ::close(c);
        }
    }
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

class NotifySocket {
  public:
    explicit NotifySocket(std::string path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un sun{};
        sun.sun_family = AF_UNIX;
        REQUIRE(path_.size() < sizeof(sun.sun_path));
        std::memcpy(sun.sun_path, path_.c_str(), path_.size() + 1);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&sun), sizeof(sun)) == 0);
    }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;
    NotifySocket(NotifySocket&&) = delete;
    NotifySocket& operator=(NotifySocket&&) = delete;
    ~NotifySocket() { ::close(fd_); }

    // Messages until one contains `want`; all of them, in order.
    std::vector<std::string> until(const std::string& want) {
        std::vector<std::string> got;
        const auto deadline = Clock::now() + kWait;
        while (Clock::now() < deadline) {
            pollfd pfd{fd_, POLLIN, 0};
            if (::poll(&pfd, 1, 200) <= 0)
                continue;
            std::array<char, 4096> buf{};
            const ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
            if (n <= 0)
                continue;
            got.emplace_back(buf.data(), static_cast<size_t>(n));
            if (got.back().find(want) != std::string::npos)
                return got;
        }
        FAIL("no notify message with " << want << " in " << kWait.count() << " s");
        return got;
    }

  private:
    std::string path_;
    int fd_ = -1;
};

// `metrics_file`: passed as --metrics-file when not empty; `module`: the
// server (--module), whose modprobe.d file is dir/etc/modprobe.d/MODULE.conf.
pid_t spawn_daemon(const TempDir& dir, const std::string& notify,
                   const std::string& metrics_file = "", const std::string& module = "kecho") {
    std::vector<std::string> args = {"keechoctl"};
    if (module != "kecho")
        args.insert(args.end(), {"--module", module});
    args.insert(args.end(), {"daemon", "--interval", "1", "--timeout", "300", "--keep-loaded"});
    if (!metrics_file.empty()) {
        args.emplace_back("--metrics-file");
        args.push_back(metrics_file);
    }
    const std::string conf = dir.path() + "/etc/modprobe.d/" + module + ".conf";
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const std::string log = dir.path() + "/daemon.log";
        if (std::freopen(log.c_str(), "w", stderr) == nullptr)
            ::_exit(126);
        ::setenv("NOTIFY_SOCKET", notify.c_str(), 1);
        ::setenv("WATCHDOG_USEC", "3000000", 1);
        ::unsetenv("WATCHDOG_PID");
        ::unsetenv("JOURNAL_STREAM");
        ::setenv("KEECHOCTL_SYS_ROOT", (dir.path() + "/sys").c_str(), 1);
        ::setenv("KEECHOCTL_PROC_ROOT", (dir.path() + "/proc").c_str(), 1);
        ::setenv("KEECHOCTL_MODPROBE_CONF", conf.c_str(), 1);
        ::setenv("KEECHOCTL_MODULES_ROOT", (dir.path() + "/lib/modules").c_str(), 1);
        std::vector<char*> argv(args.size() + 1, nullptr);
        std::transform(args.begin(), args.end(), argv.begin(),
                       [](std::string& a) { return a.data(); });
        ::execv(KEECHOCTL_BINARY, argv.data());
        ::_exit(127);
    }
    return pid;
}

// Kills the daemon if a failed REQUIRE leaves the test before it stopped.
class ChildGuard {
  public:
    explicit ChildGuard(pid_t pid) : pid_(pid) {}
    ChildGuard(const ChildGuard&) = delete;
    ChildGuard& operator=(const ChildGuard&) = delete;
    ChildGuard(ChildGuard&&) = delete;
    ChildGuard& operator=(ChildGuard&&) = delete;
    ~ChildGuard() {
        if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
    }

  private:
    pid_t pid_;
};

// The child's exit status, waiting at most kWait; nullopt if it still runs.
std::optional<int> exit_status(pid_t pid) {
    const auto deadline = Clock::now() + kWait;
    while (Clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return std::nullopt;
}

bool any_contains(const std::vector<std::string>& msgs, const std::string& what) {
    return std::any_of(msgs.begin(), msgs.end(),
                       [&](const std::string& m) { return m.find(what) != std::string::npos; });
}

} // namespace

TEST_CASE("daemon: READY=1 only once healthy, WATCHDOG=1 while healthy, RELOADING, STOPPING",
          "[daemon][process]") {
    const TempDir dir;
    test::fake_paths(dir); // creates the fake /sys, /proc and modprobe.d
    EchoServer server;
    server.echo = false; // unhealthy at first: the echo never comes back
    const std::string port = std::to_string(server.port());
    test::fake_kecho_loaded(dir,
                            {{"port", port}, {"backlog", "128"}, {"bench", "0"}, {"bind", ""}});
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=" + port + "\n");
    NotifySocket notify(dir.path() + "/notify");
    const pid_t pid = spawn_daemon(dir, dir.path() + "/notify");
    const ChildGuard guard(pid);

    auto msgs = notify.until("STATUS=unhealthy: echo round trip on port " + port + " failed");
    CHECK_FALSE(any_contains(msgs, "READY=1"));
    CHECK_FALSE(any_contains(msgs, "WATCHDOG=1"));

    server.echo = true;
    msgs = notify.until("READY=1");
    CHECK_THAT(msgs.back(), Catch::Contains("STATUS=healthy: echo round trip on port " + port));
    CHECK_THAT(msgs.back(), Catch::Contains("WATCHDOG=1"));
    msgs = notify.until("WATCHDOG=1");
    CHECK_FALSE(any_contains(msgs, "READY=1")); // sent once

    REQUIRE(::kill(pid, SIGHUP) == 0);
    msgs = notify.until("READY=1");
    REQUIRE(msgs.size() >= 2);
    CHECK_THAT(msgs.front(), Catch::Contains("RELOADING=1"));
    CHECK_THAT(msgs.front(), Catch::Contains("MONOTONIC_USEC="));

    REQUIRE(::kill(pid, SIGTERM) == 0);
    msgs = notify.until("STOPPING=1");
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_THAT(dir.read("daemon.log"), Catch::Contains("SIGHUP: "));
    // --keep-loaded and a fake /sys: nothing was unloaded.
    CHECK(dir.read("sys/module/kecho/initstate") == "live\n");
}

TEST_CASE("daemon: --metrics-file follows every check, replaced whole",
          "[daemon][process][metrics]") {
    const TempDir dir;
    test::fake_paths(dir);
    EchoServer server;
    server.echo = false;
    const std::string port = std::to_string(server.port());
    test::fake_kecho_loaded(dir, {{"port", port}, {"mode", "stream"}});
    dir.write("proc/net/kecho", "accepted 5\nactive 2\nbytes_in 640\nport " + port + "\n");
    dir.write("etc/modprobe.d/kecho.conf", "options kecho port=" + port + "\n");
    dir.write("textfile/.keep", "");
    NotifySocket notify(dir.path() + "/notify");
    const std::string prom = dir.path() + "/textfile/kecho.prom";
    const pid_t pid = spawn_daemon(dir, dir.path() + "/notify", prom);
    const ChildGuard guard(pid);

    notify.until("STATUS=unhealthy");
    notify.until("STATUS=unhealthy"); // a second check: the first one's file is complete
    std::string text = dir.read("textfile/kecho.prom");
    CHECK_THAT(text, Catch::Contains("\nkecho_healthy 0\n"));
    CHECK_THAT(text, Catch::Contains("\nkecho_connections_accepted_total 5\n"));
    CHECK_THAT(text, !Catch::Contains("kecho_echo_round_trip_seconds"));

    server.echo = true;
    dir.write("proc/net/kecho", "accepted 6\nactive 2\nbytes_in 704\nport " + port + "\n");
    notify.until("READY=1");
    notify.until("WATCHDOG=1");
    text = dir.read("textfile/kecho.prom");
    CHECK_THAT(text, Catch::Contains("\nkecho_healthy 1\n"));
    CHECK_THAT(text, Catch::Contains("\nkecho_echo_round_trip_seconds 0."));
    CHECK_THAT(text, Catch::Contains("\nkecho_connections_accepted_total 6\n"));
    CHECK_THAT(text, Catch::Contains("kecho_info{version=\"0.1.0\",mode=\"stream\",port=\"" + port +
                                     "\"} 1\n"));

    REQUIRE(::kill(pid, SIGTERM) == 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    // Written beside and renamed: once it stopped, no temporary file is left.
    auto names = dir.list("textfile");
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{".keep", "kecho.prom"});
}

TEST_CASE("daemon: no module for the running kernel: one message naming what to install, exit 6",
          "[daemon][process]") {
    const TempDir dir;
    test::fake_paths(dir); // kecho not loaded, and no module in the fake /lib/modules
    const std::string release = kernel_release();
    const bool headers = GENERATE(false, true);
    CAPTURE(headers);
    if (headers)
        dir.write("lib/modules/" + release + "/build/Makefile", "");
    NotifySocket notify(dir.path() + "/notify");
    const pid_t pid = spawn_daemon(dir, dir.path() + "/notify");
    const ChildGuard guard(pid);

    const auto msgs = notify.until("STATUS=cannot load kecho");
    CHECK_FALSE(any_contains(msgs, "READY=1"));
    // kecho.service's RestartPreventExitStatus=6: no restart loop.
    CHECK(exit_status(pid) == std::optional<int>(6));
    const std::string log = dir.read("daemon.log");
    // One error line; the other one says the watchdog is on.
    CHECK(std::count(log.begin(), log.end(), '\n') == 2);
    CHECK_THAT(log, Catch::Contains("watchdog enabled"));
    if (!headers) {
        const std::string want = "cannot load kecho: no kecho module for the running kernel " +
                                 release + " and no headers to build one: install linux-headers-" +
                                 release + ", then `dkms autoinstall`";
        CHECK_THAT(log, Catch::Contains(want));
        CHECK_THAT(msgs.back(), Catch::Contains("STATUS=" + want));
    } else {
        CHECK_THAT(log, Catch::Contains("no module built for the running kernel " + release));
        CHECK_THAT(log, Catch::Contains("dkms status"));
    }
}

TEST_CASE("daemon --module khttpd: READY=1 once GET / is answered, WATCHDOG=1, SIGHUP, SIGTERM",
          "[daemon][process][khttpd]") {
    const TempDir dir;
    test::fake_paths(dir, "khttpd");
    test::FakeHttpServer server;
    server.behavior = test::FakeHttpBehavior::Silent; // unhealthy at first: no answer
    const std::string port = std::to_string(server.port());
    test::fake_module_loaded(
        dir, "khttpd",
        {{"port", port, false}, {"root", "/srv/khttpd", false}, {"keepalive_timeout", "15"}});
    dir.write("proc/net/khttpd", "accepted 3\nactive 1\nrequests 3\nport " + port + "\n");
    dir.write("etc/modprobe.d/khttpd.conf", "options khttpd port=" + port + "\n");
    NotifySocket notify(dir.path() + "/notify");
    const pid_t pid = spawn_daemon(dir, dir.path() + "/notify", "", "khttpd");
    const ChildGuard guard(pid);

    auto msgs = notify.until("STATUS=unhealthy: HTTP GET / on port " + port +
                             " failed: no close within 300 ms");
    CHECK_FALSE(any_contains(msgs, "READY=1"));
    CHECK_FALSE(any_contains(msgs, "WATCHDOG=1"));

    server.behavior = test::FakeHttpBehavior::Respond;
    msgs = notify.until("READY=1");
    CHECK_THAT(msgs.back(),
               Catch::Contains("STATUS=healthy: HTTP GET / on port " + port + ": 200 OK in "));
    CHECK_THAT(msgs.back(), Catch::Contains("; active 1, accepted 3"));
    CHECK_THAT(msgs.back(), Catch::Contains("WATCHDOG=1"));
    msgs = notify.until("WATCHDOG=1");
    CHECK_FALSE(any_contains(msgs, "READY=1"));
    REQUIRE_FALSE(server.requests().empty());
    CHECK(server.requests().back() == kecho::ctl::kHttpHealthRequest);

    // SIGHUP re-reads khttpd.conf: keepalive_timeout is live, so it is written.
    dir.write("etc/modprobe.d/khttpd.conf",
              "options khttpd port=" + port + " keepalive_timeout=5\n");
    REQUIRE(::kill(pid, SIGHUP) == 0);
    msgs = notify.until("READY=1");
    CHECK_THAT(msgs.front(), Catch::Contains("RELOADING=1"));
    CHECK(dir.read("sys/module/khttpd/parameters/keepalive_timeout") == "5");

    REQUIRE(::kill(pid, SIGTERM) == 0);
    notify.until("STOPPING=1");
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const std::string log = dir.read("daemon.log");
    CHECK_THAT(log, Catch::Contains("SIGHUP: keepalive_timeout 15 -> 5 (live)"));
    CHECK(dir.read("sys/module/khttpd/initstate") == "live\n");
}
