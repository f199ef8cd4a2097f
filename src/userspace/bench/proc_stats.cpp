#include "proc_stats.h"

#include <array>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <unistd.h>

namespace kecho::bench {

namespace {

// CPU ticks of every kworker thread now (kecho's work items run there).
int64_t kworker_ticks() {
    int64_t sum = 0;
    DIR* d = ::opendir("/proc");
    if (d == nullptr)
        return -1;
    while (const dirent* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        std::string comm;
        const int64_t t = stat_ticks(slurp(std::string("/proc/") + e->d_name + "/stat"), &comm);
        if (t > 0 && comm.rfind("kworker", 0) == 0)
            sum += t;
    }
    ::closedir(d);
    return sum;
}

} // namespace

std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

int64_t proc_value(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) != 0 || line.size() <= key.size())
            continue;
        const char next = line[key.size()];
        if (next != ' ' && next != ':' && next != '\t')
            continue;
        std::istringstream v(line.substr(key.size() + 1));
        int64_t x = 0;
        if (v >> x)
            return x;
    }
    return -1;
}

int64_t stat_ticks(const std::string& stat, std::string* comm) {
    // comm may hold spaces and parentheses: it ends at the last ')'.
    const auto open = stat.find('(');
    const auto close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return -1;
    if (comm != nullptr)
        *comm = stat.substr(open + 1, close - open - 1);
    std::istringstream in(stat.substr(close + 1));
    std::string tok;
    int64_t utime = -1;
    int64_t stime = -1;
    for (int field = 3; field <= 15 && (in >> tok); ++field) {
        if (field == 14)
            utime = std::stoll(tok);
        if (field == 15)
            stime = std::stoll(tok);
    }
    return utime < 0 || stime < 0 ? -1 : utime + stime;
}

CpuSample sample_cpu(const Options& o) {
    CpuSample c;
    std::istringstream in(slurp("/proc/stat"));
    std::string cpu;
    std::array<int64_t, 8> v{};
    in >> cpu;
    for (auto& x : v)
        in >> x;
    c.guest_busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    c.softirq = v[6];
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    c.client_s = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                 static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    if (o.server_pid != 0)
        c.server_ticks = stat_ticks(slurp("/proc/" + std::to_string(o.server_pid) + "/stat"));
    else if (o.server_kworkers)
        c.server_ticks = kworker_ticks();
    return c;
}

CpuUse cpu_used(const CpuSample& from, const CpuSample& to) {
    const auto hz = static_cast<double>(::sysconf(_SC_CLK_TCK));
    CpuUse u;
    u.guest_s = static_cast<double>(to.guest_busy - from.guest_busy) / hz;
    u.softirq_s = static_cast<double>(to.softirq - from.softirq) / hz;
    u.client_s = to.client_s - from.client_s;
    if (from.server_ticks >= 0 && to.server_ticks >= 0)
        u.server_s = static_cast<double>(to.server_ticks - from.server_ticks) / hz;
    return u;
}

} // namespace kecho::bench
