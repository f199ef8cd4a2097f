// The bench workloads. Each returns what it measured; none throws on a
// failed connection (it is counted and the run goes on).
#pragma once

#include "net.h"
#include "options.h"
#include "result.h"

#include <vector>

namespace kecho::bench {

// crr, rr and stream: every thread drives its share of --conns from one epoll loop.
Result run_load(const Options& o, const Target& t);
// rr and crr with --client blocking: a blocking thread per connection.
Result run_load_blocking(const Options& o, const Target& t);
// sweep: one Result per step.
std::vector<Result> run_sweep(const Options& o, const Target& t);
// idle: open --conns, hold them --duration, then check each still echoes.
Result run_idle(const Options& o, const Target& t);

unsigned thread_count(const Options& o);
// Connections thread `i` of `n` handles when `total` are shared out.
unsigned share_of(unsigned total, unsigned i, unsigned n);

} // namespace kecho::bench
