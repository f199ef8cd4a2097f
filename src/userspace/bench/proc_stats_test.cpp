#include "proc_stats.h"

#include <catch2/catch.hpp>
#include <string>
#include <unistd.h>

using namespace kecho::bench;

TEST_CASE("proc: values from /proc/net/kecho and /proc/meminfo") {
    const std::string kecho = "messages_in 10\nchat_clients 3\nqueued_bytes 4096\nport 12345\n";
    CHECK(proc_value(kecho, "queued_bytes") == 4096);
    CHECK(proc_value(kecho, "chat_clients") == 3);
    CHECK(proc_value(kecho, "queued") == -1);
    const std::string mem = "MemTotal:        2000000 kB\nSlab:    12345 kB\nSlabX: 1 kB\n";
    CHECK(proc_value(mem, "Slab") == 12345);
    CHECK(proc_value(mem, "MemTotal") == 2000000);
    CHECK(proc_value(mem, "MemAvailable") == -1);
}

TEST_CASE("proc: a task's CPU ticks from its stat line") {
    // Fields 14 and 15 (utime, stime) after a comm with a space and a ')'.
    const std::string stat =
        "4242 (user echo) x) S 1 4242 4242 0 -1 4194560 120 0 0 0 37 5 0 0 20 0 3 0 99 0 0";
    std::string comm;
    CHECK(stat_ticks(stat, &comm) == 42);
    CHECK(comm == "user echo) x");
    const std::string kworker = "17 (kworker/u4:1-kecho) I 2 0 0 0 -1 69238880 0 0 0 0 0 9 0 0";
    CHECK(stat_ticks(kworker, &comm) == 9);
    CHECK(comm == "kworker/u4:1-kecho");
    CHECK(stat_ticks("") == -1);
    CHECK(stat_ticks("7 (short) S 1 2") == -1);
}

TEST_CASE("proc: CPU used between two samples") {
    CpuSample a;
    a.guest_busy = 1000;
    a.softirq = 100;
    a.client_s = 2.0;
    a.server_ticks = 50;
    CpuSample b = a;
    b.guest_busy += 300;
    b.softirq += 30;
    b.client_s += 1.25;
    b.server_ticks += 100;
    const CpuUse u = cpu_used(a, b);
    const auto hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
    CHECK(u.guest_s == Approx(300 / hz));
    CHECK(u.softirq_s == Approx(30 / hz));
    CHECK(u.client_s == Approx(1.25));
    CHECK(u.server_s == Approx(100 / hz));
    CpuSample none = b;
    none.server_ticks = -1;
    CHECK(cpu_used(a, none).server_s == -1);
}
