#!/usr/bin/env python3
"""Summarise the suite's raw rows (bench/results/raw.csv) into results.md,
summary.csv and the data files the plots read (sweep.dat, rates.dat); with
--chat the chat workload's (chat.md), with --khttpd khttpd against nginx
(khttpd.md).

Medians and spreads (min..max over repetitions) per server and workload,
and each server's ratio to user-echo-server, paired by repetition (the
servers of one repetition ran back to back). Never fails on a number."""

import argparse
import csv
import math
import statistics
from collections import defaultdict

SERVERS = ["kecho-bench0", "kecho-bench1", "kecho-message", "kecho-kcm",
           "user-echo-server", "uring-echo-server"]
BASE = "user-echo-server"
URING = "uring-echo-server"
# kecho mode=message (bench=0, framed requests) against the same module in
# stream mode (kecho-bench0), paired by repetition like every ratio.
MESSAGE, STREAM = "kecho-message", "kecho-bench0"
# A KCM client (one thread per multiplexor) against kecho mode=message.
KCM = "kecho-kcm"
USER_HZ = 100  # /proc/stat unit in the guest
RR_CONNS = 64  # the rr workload's connections (cases/bench.sh)


def fnum(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def info_of(a):
    """The guest's "# bench-info:" line (--info) as a dict."""
    return dict(kv.split("=", 1) for kv in a.info.split() if "=" in kv)


def icount_note(info):
    """A sentence on guest time when the run used QEMU's instruction counter."""
    shift = info.get("icount", "off")
    if shift in ("", "off"):
        return ""
    return (f" Guest time was QEMU's instruction counter (`-icount shift={shift},sleep=off`, "
            f"{2 ** int(shift)} ns per instruction; one vCPU): a rate here is instructions "
            "per request, which host load cannot move, and every instruction costs the same, "
            "a system call's as much as any other.")


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def metrics(rows, cpus=None):
    """{(server, metric): {rep: value}} with metric names like 'crr req/s',
    the sweep's levels and the rr levels of the conns workload. With the
    guest's CPU count, also each timed run's client ceiling: what the
    client would reach on all the guest's CPUs at its own CPU per
    request, were the server free."""
    m = defaultdict(dict)
    sweep_levels = set()
    rr_levels = set()
    for r in rows:
        server, mode, rep = r["server"], r["mode"], r["rep"]
        req = fnum(r["requests"]) or 0
        run_req = fnum(r["run_requests"]) or 0
        cpu = fnum(r["cpu_jiffies"])
        cpu_us = cpu * 1e6 / USER_HZ / run_req if cpu is not None and run_req > 0 else None
        cs = fnum(r.get("ctxt"))
        cs_req = cs / run_req if cs is not None and run_req > 0 else None

        def put(name, v):
            if v is not None:
                m[(server, name)][rep] = v

        def put_split(w, per=1):
            """The measured window's CPU per request (stream: per MiB),
            the client's and the server's own, and the client ceiling."""
            n = (fnum(r["bytes"]) or 0) / 2**20 if per == "MiB" else req
            unit = "MiB" if per == "MiB" else "req"
            client = fnum(r.get("client_cpu_s"))
            server = fnum(r.get("server_cpu_s"))
            if not n or client is None or client <= 0:
                return
            put(f"{w} client CPU us/{unit}", client * 1e6 / n)
            if server is not None and server >= 0:
                put(f"{w} server CPU us/{unit}", server * 1e6 / n)
            if cpus:
                rate = n / client * cpus
                put(f"{w} client ceiling {'MB/s' if unit == 'MiB' else 'req/s'}",
                    rate * 2**20 / 1e6 if unit == "MiB" else rate)

        if mode == "crr":
            put("crr req/s", fnum(r["req_per_s"]))
            put("crr p99 us", fnum(r["p99_us"]) if req else None)
            put("crr CPU us/req", cpu_us)
            put_split("crr")
            put("crr context switches/req", cs_req)
            put("crr failures+errors", (fnum(r["failures"]) or 0) + (fnum(r["errors"]) or 0))
        elif mode == "rr" and int(r["conns"]) != RR_CONNS:
            # conns: rr at 1 to 1,000 connections, rates for the plot.
            n = int(r["conns"])
            rr_levels.add(n)
            put(f"rr{n} req/s", fnum(r["req_per_s"]))
            put(f"rr{n} p99 us", fnum(r["p99_us"]) if req else None)
        elif mode == "rr":
            put("rr64 req/s", fnum(r["req_per_s"]))
            put("rr64 p50 us", fnum(r["p50_us"]) if req else None)
            put("rr64 p99 us", fnum(r["p99_us"]) if req else None)
            put("rr64 CPU us/req", cpu_us)
            put_split("rr64")
            put("rr64 context switches/req", cs_req)
            put("rr64 failures+errors", (fnum(r["failures"]) or 0) + (fnum(r["errors"]) or 0))
        elif mode in ("rr-blocking", "crr-blocking"):
            w = "rr64" if mode == "rr-blocking" else "crr"
            put(f"{w} blocking client req/s", fnum(r["req_per_s"]))
            put(f"{w} blocking client p99 us", fnum(r["p99_us"]) if req else None)
            put(f"{w} blocking client CPU us/req", cpu_us)
            put_split(f"{w} blocking client")
            put(f"{w} blocking client failures+errors",
                (fnum(r["failures"]) or 0) + (fnum(r["errors"]) or 0))
        elif mode == "stream":
            secs = fnum(r["seconds"])
            nbytes = fnum(r["bytes"])
            put("stream MB/s", nbytes / secs / 1e6 if secs and nbytes is not None else None)
            put("stream CPU us/MiB", cpu_us)
            put_split("stream", "MiB")
            put("stream failures+errors",
                (fnum(r["failures"]) or 0) + (fnum(r["errors"]) or 0))
        elif mode == "sweep":
            n = int(r["conns"])
            sweep_levels.add(n)
            put(f"sweep{n} p50 us", fnum(r["p50_us"]) if req else None)
            put(f"sweep{n} p99 us", fnum(r["p99_us"]) if req else None)
            put(f"sweep{n} failures+errors",
                (fnum(r["failures"]) or 0) + (fnum(r["errors"]) or 0))
        elif mode == "idle":
            conns = fnum(r["conns"]) or 1
            put("idle failures", fnum(r["failures"]))
            put("idle errors", fnum(r["errors"]))
            put("idle held", req)
            put("idle conns", conns)
            mem = fnum(r["mem_used_kb"])
            slab = fnum(r["slab_kb"])
            rss = fnum(r["rss_kb"])
            put("idle bytes/conn (guest used)", mem * 1024 / conns if mem is not None else None)
            put("idle bytes/conn (slab)", slab * 1024 / conns if slab is not None else None)
            put("idle bytes/conn (server RSS)", rss * 1024 / conns if rss is not None else None)
    return m, sorted(sweep_levels), sorted(rr_levels)


def ceiling_section(m, servers):
    """The client's own ceiling beside what each server reached, so a reader
    can see whether the client or the server was the bound."""
    def med(s, name):
        vals = m.get((s, name))
        return stats(vals.values())[0] if vals else None

    rows = []
    for w, rate, unit in (("crr", "req/s", "req"), ("crr blocking client", "req/s", "req"),
                          ("rr64", "req/s", "req"), ("rr64 blocking client", "req/s", "req"),
                          ("stream", "MB/s", "MiB")):
        measured = "stream MB/s" if w == "stream" else f"{w} req/s"
        for s in servers:
            ceiling = med(s, f"{w} client ceiling {rate}")
            got = med(s, measured)
            if ceiling is None or got is None:
                continue
            server = med(s, f"{w} server CPU us/{unit}")
            rows.append(f"| {w} | {s} | {fmt(got)} | {fmt(med(s, f'{w} client CPU us/{unit}'))} | "
                        f"{fmt(server) if server is not None else '–'} | {fmt(ceiling)} | "
                        f"{got / ceiling:.0%} |")
    if not rows:
        return []
    return ["## The client's ceiling", "",
            "Over each measured window bench reads its own CPU time (getrusage), the "
            "server's (the userspace server's process, or every kworker thread for kecho) "
            "and the guest's. The client's ceiling is the rate it would reach with all the "
            "guest's vCPUs to itself at its own CPU per request, as if the server cost "
            "nothing. A run far below it was bound by the server. The client's time includes "
            "the softirq work that runs inside its system calls: against kecho, whose echo "
            "runs in the socket callback, that is kecho's echo too, so against kecho the "
            "ceiling is the client's and kecho's together, and kecho's own column holds "
            "only its work items. Medians over the repetitions; per request, stream per MiB.",
            "",
            "| workload | server | measured | client CPU us | server CPU us (own tasks) | "
            "client ceiling | measured / ceiling |",
            "|---|---|---|---|---|---|---|"] + rows + [""]


def stats(values):
    v = sorted(values)
    return statistics.median(v), v[0], v[-1], len(v)


def paired_ratios(mine, base):
    """mine[rep] / base[rep] for every repetition both have ({rep: value}
    each): the servers of one repetition ran back to back."""
    return [mine[k] / base[k] for k in mine if k in base and base[k]]


def ratio_stats(mine, base):
    """Median, min, max, count and the 95% interval of the median of the
    per-repetition ratios mine / base, or None."""
    r = paired_ratios(mine, base)
    return stats(r) + (median_ci(r),) if r else None


def ratios(m, server, metric, base_server=BASE):
    """ratio_stats of server to base_server in one metric of metrics()."""
    return ratio_stats(m.get((server, metric), {}), m.get((base_server, metric), {}))


def median_ci(values, level=0.95):
    """Distribution-free interval of the median: the order statistics
    x(k) and x(n+1-k) with the largest k such that fewer than k of n
    samples fall below the true median with probability at most
    (1 - level) / 2 (a binomial tail). With fewer than 6 samples no k
    reaches 95%, and the interval is the whole range."""
    v = sorted(values)
    n = len(v)
    if n < 3:
        return None
    tail = (1 - level) / 2
    below, k = 0.0, 0
    for i in range(n):
        below += math.comb(n, i) / 2 ** n
        if below > tail:
            break
        k = i + 1
    k = max(k, 1)
    return v[k - 1], v[n - k]


def ratio_verdict(median, ci, target):
    """Whether a median ratio meets a target, and whether it is clear of
    the noise (its interval at or over the target too)."""
    if median < target:
        return "no"
    if ci and ci[0] < target:
        return "yes, within noise"
    return "yes"


def interval_spread(median, ci):
    """The 95% interval of a median ratio against that median, as the
    targets table gives it ("−6%/+7%"), and whether it lies within ±10%."""
    if not ci or not median:
        return "–", False
    lo, hi = ci[0] / median - 1, ci[1] / median - 1
    return f"{lo:+.0%}/{hi:+.0%}".replace("-", "−"), lo >= -0.10 and hi <= 0.10


def ratio_cell(r, target=None, higher=True, equal_ok=False):
    """A ratio of ratio_stats() as the grouped reports (chat, khttpd) give it:
    median× (min–max; with 6 or more pairs the 95% interval of the median,
    pairs), and with a target whether it is met. higher: the target is a
    floor (ratio_verdict); otherwise a ceiling, "yes" only if every pair is
    under it (at or under it with equal_ok)."""
    if not r:
        return "not measured"
    ci = r[4] if r[3] >= 6 else None
    civ = f"; 95% {ci[0]:.2f}–{ci[1]:.2f}" if ci else ""
    text = f"{r[0]:.2f}× ({r[1]:.2f}–{r[2]:.2f}{civ}, {r[3]} pair{'s' if r[3] != 1 else ''})"
    if target is None:
        return text
    if higher:
        return text + " — " + ratio_verdict(r[0], ci, target)

    def over(x):
        return x > target if equal_ok else x >= target

    met = "no" if over(r[0]) else ("median yes, not every pair" if over(r[2]) else "yes")
    return text + " — " + met


def group_ratio(m, group, metric, mine, base):
    """ratio_stats of server mine to server base in one group (a chat room,
    a khttpd workload) of a {(server, group, metric): {rep: value}}."""
    return ratio_stats(m.get((mine, group, metric), {}), m.get((base, group, metric), {}))


def write_group_summary(path, group_col, ratio_col, m, groups, order, servers, mine, base):
    """A summary CSV of grouped metrics: per group, metric and server the
    median, min and max over repetitions; for mine also its ratio to base."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow([group_col, "metric", "server", "n", "median", "min", "max",
                    f"{ratio_col}_median", "ratio_min", "ratio_max",
                    "ratio_median_ci95_low", "ratio_median_ci95_high"])
        for g in groups:
            for name in order:
                r = group_ratio(m, g, name, mine, base)
                for s in servers:
                    vals = m.get((s, g, name))
                    if not vals:
                        continue
                    md, lo, hi, n = stats(vals.values())
                    rr = r if r and s == mine else None
                    ci = rr[4] if rr else None
                    w.writerow([g, name, s, n, f"{md:.3f}", f"{lo:.3f}", f"{hi:.3f}"] +
                               ([f"{rr[0]:.3f}", f"{rr[1]:.3f}", f"{rr[2]:.3f}"] if rr
                                else ["", "", ""]) +
                               ([f"{ci[0]:.3f}", f"{ci[1]:.3f}"] if ci else ["", ""]))


def group_tables(m, groups, title, order, servers, mine, base, no_ratio):
    """"All measurements" of a grouped report: a table per group (title(g)
    its heading), median [min–max] per metric and server, and for mine the
    paired ratio to base, except for the metrics in no_ratio."""
    L = []
    for g in groups:
        L += [f"### {title(g)}", "", "| metric | " + " | ".join(servers) + " |",
              "|---|" + "---|" * len(servers)]
        for name in order:
            cells = []
            for s in servers:
                vals = m.get((s, g, name))
                if not vals:
                    cells.append("–")
                    continue
                md, lo, hi, n = stats(vals.values())
                c = f"{fmt(md)} [{fmt(lo)}–{fmt(hi)}]"
                r = group_ratio(m, g, name, mine, base)
                if s == mine and r and name not in no_ratio:
                    c += f" ({r[0]:.2f}× [{r[1]:.2f}–{r[2]:.2f}])"
                cells.append(c)
            L.append(f"| {name} | " + " | ".join(cells) + " |")
        L.append("")
    return L


def guest_line(a):
    """The "How" line on the guest and the host, from --info and the others."""
    info = info_of(a)
    return (f"- Guest: Debian kernel {info.get('kernel', '?')}, {info.get('cpus', '?')} vCPUs "
            f"under QEMU TCG ({a.qemu or 'qemu'}), clocksource {info.get('clocksource', '?')} "
            f"(booted with tsc={info.get('cmdline_tsc') or 'default'}); host: "
            f"{a.host_cpu or '?'}, {a.host_cpus or '?'} cores."
            + icount_note(info)
            + (f" The run took {int(a.elapsed) // 60} min {int(a.elapsed) % 60} s." if a.elapsed
               else ""))


def fmt(v):
    if v is None:
        return "–"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def perf_shares(perf, workload):
    """{(server, kind, name): percent} of one workload's perf rows."""
    return {(p["server"], p["kind"], p["name"]): fnum(p["percent"]) or 0 for p in perf
            if p.get("workload", "rr") == workload}


def own_share(share, server):
    """The server's own tasks' share of all samples (perf_sample's
    copy-task-total row), 0 when the profile has none."""
    return next((v for k, v in share.items() if k[0] == server and k[1] == "copy-task-total"), 0)


def perf_section(perf, servers, workload="rr", title=None, tasks_meaning=None, run=None):
    """Where the CPU goes under a workload, from perf's samples in the guest.
    The echo suite's rr and stream by default; the khttpd report names its
    own workload, tasks and run."""
    share = perf_shares(perf, workload)
    servers = [s for s in servers if any(k[0] == s for k in share)]
    if not servers:
        return []
    if title is None:
        title = {"rr": "rr (64 connections", "crr": "crr (32 connection-per-request loops",
                 "stream": "stream (16 connections, 1 MiB writes"}[workload] + ", perf)"
    tasks_meaning = tasks_meaning or "`bench` the client, `kworker` kecho's work items"
    run = run or f"an 11 s {workload} run"
    tasks = sorted({k[2] for k in share if k[1] == "task"},
                   key=lambda t: -max(share.get((s, "task", t), 0) for s in servers))
    L = [f"## Profile: where the CPU goes under {title}", "",
         f"`perf record -a -g` for 3 s inside {run}, sampling on the "
         "cpu-clock timer (TCG emulates no PMU). Shares are of both vCPUs' time; "
         f"`swapper` is idle, {tasks_meaning}, and "
         "softirq work is charged to whichever task it interrupted. One run per "
         "server: a picture of the cost, not a measurement to compare closely.", "",
         "| task | " + " | ".join(servers) + " |",
         "|---|" + "---|" * len(servers)]
    for t in tasks:
        L.append(f"| {t} | " + " | ".join(
            f"{share[(s, 'task', t)]:.1f}%" if (s, "task", t) in share else "–"
            for s in servers) + " |")
    def symbols(s, kind):
        syms = [(k[2], v) for k, v in share.items() if k[0] == s and k[1] == kind]
        return sorted(syms, key=lambda kv: -kv[1])

    def symbol_line(s, syms):
        return f"- {s}: " + ", ".join(f"`{n}` {v:.1f}%" for n, v in syms)

    L += ["", "Hottest symbols (share of all samples):", ""]
    L += [symbol_line(s, symbols(s, "symbol")) for s in servers]
    own = [(s, symbols(s, "task-symbol")) for s in servers]
    if any(syms for _, syms in own):
        L += ["", "Hottest symbols in the server's own tasks (share of all samples):", ""]
        L += [symbol_line(s, syms) for s, syms in own if syms]
    copies = [(s, k[2], v, share.get((s, "copy-task-total", k[2]), 0))
              for s in servers for k, v in share.items() if k[0] == s and k[1] == "copy"]
    if copies:
        L += ["", "Payload copies in the server's own tasks (copy_*, memcpy, memmove, "
              "rep_movs; the in-kernel server's are its kworkers, the client's copies are "
              "left out), "
              "as a share of all samples:", ""]
        for s, task, v, total in copies:
            L.append(f"- {s}: {v:.2f}% in copies, of {total:.1f}% in `{task}`")
    L += under_table(share, servers)
    L.append("")
    return L


def under_table(share, servers):
    """perf_under's rows: each named function's inclusive share in the
    server's own tasks, also as a part of those tasks' whole share."""
    names = list(dict.fromkeys(k[2] for k in share if k[1] == "under"))
    servers = [s for s in servers if any(k[0] == s and k[1] == "under" for k in share)]
    if not names or not servers:
        return []

    def cell(s, n):
        v = share.get((s, "under", n))
        if v is None:
            return "–"
        total = own_share(share, s)
        return f"{v:.1f}% ({v / total:.0%} of the task)" if total else f"{v:.1f}%"
    L = ["", "Samples of the server's own tasks under each function (the function, what "
         "it called and the softirq work that ran inside it; share of all samples, and "
         "of the server's own):", "",
         "| function | " + " | ".join(servers) + " |", "|---|" + "---|" * len(servers)]
    L += [f"| `{n}` | " + " | ".join(cell(s, n) for s in servers) + " |" for n in names]
    return L


# The chat benchmark (cases/chat.sh, chat.csv): kecho mode=chat against the
# userspace relay, paired by repetition and room.
CHAT_KECHO, CHAT_USER = "kecho-chat", "user-chat-relay"
CHAT_NOSPLIT = "kecho-chat-nosplit"  # chat_split=0, when the run has it
CHAT_CPU_TARGET = 2.0  # kecho >= 2x the relay's deliveries per server CPU-second


def chat_metrics(rows):
    """{(server, room, metric): {rep: value}} from chat.csv rows. Runs with
    errors or failures keep only their error count: their numbers are not
    those of a working room."""
    m = defaultdict(dict)
    for r in rows:
        key = (r["server"], r["room"])
        rep = r["rep"]
        bad = (fnum(r["errors"]) or 0) + (fnum(r["failures"]) or 0)
        m[key + ("failures+errors",)][rep] = bad
        delivered = fnum(r["delivered"]) or 0
        if bad or not delivered:
            continue

        def put(name, v):
            if v is not None:
                m[key + (name,)][rep] = v

        def per(cpu):
            return delivered / cpu if cpu is not None and cpu > 0 else None

        server = fnum(r["server_cpu_s"])
        guest = fnum(r["guest_cpu_s"])
        client = fnum(r["client_cpu_s"])
        put("deliveries/s", fnum(r["delivered_per_s"]))
        put("deliveries per server CPU-s", per(server) if server is not None and server >= 0
            else None)
        put("deliveries per guest CPU-s", per(guest))
        put("deliveries per (guest - client) CPU-s",
            per(guest - client) if guest is not None and client is not None else None)
        put("server CPU share", server / guest if server and guest else None)
        put("client CPU share", client / guest if client is not None and guest else None)
        put("p50 us", fnum(r["p50_us"]))
        put("p99 us", fnum(r["p99_us"]))
        put("p99.9 us", fnum(r["p999_us"]))
        rss = fnum(r["rss_kb"])
        put("server RSS kB", rss if rss is not None and rss >= 0 else None)
        q = fnum(r["queued_bytes"])
        put("queued_bytes", q if q is not None and q >= 0 else None)
        put("slab delta kB", fnum(r["slab_delta_kb"]))
        put("guest used delta kB", fnum(r["used_delta_kb"]))
    return m


def chat_ratio(m, room, metric):
    """kecho-chat / user-chat-relay per repetition: (median, min, max, n,
    95% interval of the median) or None."""
    return group_ratio(m, room, metric, CHAT_KECHO, CHAT_USER)


def chat_split_section(m, rooms):
    """kecho at its defaults against kecho-chat-nosplit (chat_split=0, a
    message's fan-out on one worker), when the run had both."""
    if not any(k[0] == CHAT_NOSPLIT for k in m):
        return []
    L = ["", f"## Split fan-out: kecho-chat / {CHAT_NOSPLIT} (chat_split=0), paired", "",
         "| room | deliveries per server CPU-second | p50 | p99 |", "|---|---|---|---|"]
    for room in rooms:
        L.append(f"| {room} | " + " | ".join(
            ratio_cell(group_ratio(m, room, metric, CHAT_KECHO, CHAT_NOSPLIT))
            for metric in ("deliveries per server CPU-s", "p50 us", "p99 us")) + " |")
    return L


def chat_report(rows, a):
    """chat.md and chat-summary.csv from chat.csv's rows."""
    m = chat_metrics(rows)
    rooms = sorted({k[1] for k in m}, key=lambda x: [int(v) for v in x.split("x")])
    servers = [s for s in (CHAT_KECHO, CHAT_USER) if any(k[0] == s for k in m)]
    servers += sorted({k[0] for k in m} - set(servers))  # e.g. user-chat-relay-1t
    order = ["deliveries/s", "deliveries per server CPU-s", "deliveries per guest CPU-s",
             "deliveries per (guest - client) CPU-s", "server CPU share", "client CPU share",
             "p50 us", "p99 us", "p99.9 us", "server RSS kB", "queued_bytes", "slab delta kB",
             "guest used delta kB", "failures+errors"]
    write_group_summary(f"{a.out}/chat-summary.csv", "room", "ratio_kecho_to_relay", m, rooms,
                        order, servers, CHAT_KECHO, CHAT_USER)
    rates = {r["room"]: r["rate"] for r in rows}
    L = ["# kecho chat benchmark: kecho mode=chat against the userspace relay", ""]
    if a.quick:
        L += ["**Quick run: for trying the suite, not for quoting.**", ""]
    L += ["Written by `tests/bench/run --workloads chat` (cases/chat.sh). Raw rows: chat.csv; "
          "medians and ratios: chat-summary.csv.", "",
          "## How", "",
          guest_line(a),
          "- Servers, one after another in the same VM, the order swapped every repetition: "
          "kecho `mode=chat` (defaults: chat_queue 1 MiB, chat_echo 0, chat_split 128) and "
          "`user-echo-server --mode chat` (one epoll thread per vCPU, batches handed between "
          "threads, writev)" + (f"; and `{CHAT_NOSPLIT}`, kecho with chat_split=0 (every "
          "message's fan-out on one worker)" if CHAT_NOSPLIT in servers else "") + ".",
          "- Load: `kecho-bench --mode fanout` in the same guest, open loop: the same offered "
          "rate for both servers (" + ", ".join(f"{k}: {v} msg/s" for k, v in rates.items()) +
          "), 64-byte bodies. A room SxR is S senders and R receivers; every message reaches "
          "the R receivers and the S−1 other senders, so a message is S−1+R deliveries.",
          "- Server CPU: for the relay its process's utime+stime (/proc/PID/stat); for kecho "
          "every kworker thread's (where its chat work items run). Work done in softirq is "
          "charged to whichever task it interrupted: the receive path of a client's send runs "
          "in the client, for both servers alike; kecho's message framing (strparser) runs "
          "there too, so its server CPU misses that part. Guest CPU (all busy time, client "
          "included) is listed too.",
          "- Ratios are kecho / relay per repetition (same rep, same room), median [min–max]; "
          "with 6 or more pairs, a 95% interval of the median.", ""]
    L += ["## Target from the issue", "",
          "| room | kecho ≥ 2× the relay's deliveries per server CPU-second | per guest CPU-second "
          "(client included) | p99 lower than the relay's |",
          "|---|---|---|---|"]
    for room in rooms:
        L.append(f"| {room} | {ratio_cell(chat_ratio(m, room, 'deliveries per server CPU-s'), CHAT_CPU_TARGET)} "
                 f"| {ratio_cell(chat_ratio(m, room, 'deliveries per guest CPU-s'))} "
                 f"| {ratio_cell(chat_ratio(m, room, 'p99 us'), 1.0, higher=False)} |")
    L += chat_split_section(m, rooms)
    L += ["", "## All measurements", "",
          "Median [min–max over repetitions]; for kecho, the ratio to the relay (paired).", ""]
    L += group_tables(m, rooms, lambda room: f"Room {room}", order, servers, CHAT_KECHO,
                      CHAT_USER, {"failures+errors"})
    try:
        perf = load(f"{a.out}/chat-perf.csv")
    except OSError:
        perf = []
    for room in sorted({p["workload"] for p in perf}):
        L += perf_section(perf, servers, room, title=f"room {room} (perf)",
                          tasks_meaning="`bench` the client, `kworker` kecho's work items, "
                          "`user-echo-serve` the relay",
                          run=f"a 15 s fanout run of room {room}, 6 s in")
    with open(f"{a.out}/chat.md", "w") as f:
        f.write("\n".join(L))


# khttpd against nginx (cases/khttpd.sh, khttpd.csv): wrk's runs, paired
# by repetition and workload.
KHTTPD, NGINX = "khttpd", "nginx"
KHTTPD_WORKLOADS = {
    "1k-keepalive": "1 KiB file, keep-alive",
    "64k-keepalive": "64 KiB file, keep-alive",
    "1k-close": "1 KiB file, a connection per request (`Connection: close`)",
}
# The targets: khttpd's req/s at least this times nginx's.
KHTTPD_RATE_TARGETS = {"1k-keepalive": 1.5, "64k-keepalive": 1.0}


def khttpd_metrics(rows):
    """{(server, workload, metric): {rep: value}} from khttpd.csv rows. As
    for chat, a run with socket errors or non-2xx responses (or none served)
    keeps only that count: its numbers are not those of a working server."""
    m = defaultdict(dict)
    for r in rows:
        key = (r["server"], r["workload"])
        rep = r["rep"]
        bad = (fnum(r["errors"]) or 0) + (fnum(r["non2xx"]) or 0)
        m[key + ("errors+non-2xx",)][rep] = bad
        req = fnum(r["requests"]) or 0
        if bad or not req:
            continue
        for name, col in (("req/s", "req_per_s"), ("p50 us", "p50_us"), ("p75 us", "p75_us"),
                          ("p90 us", "p90_us"), ("p99 us", "p99_us")):
            v = fnum(r[col])
            if v is not None:
                m[key + (name,)][rep] = v
        t = fnum(r["transfer_bytes_per_s"])
        if t is not None:
            m[key + ("transfer MB/s",)][rep] = t / 1e6
        cpu = fnum(r["guest_cpu_s"])
        if cpu is not None:
            m[key + ("guest CPU us/req",)][rep] = cpu * 1e6 / req
    return m


def write_khttpd_plot_data(path, m, workloads, servers):
    """khttpd.dat for plot-khttpd.gp: a line per workload, and per server
    the median, min and max of req/s, then of p99 in ms ("NaN" if none)."""
    def cells(s, w, name, scale=1.0):
        vals = m.get((s, w, name))
        if not vals:
            return ["NaN"] * 3
        return [f"{v * scale:.6g}" for v in stats(vals.values())[:3]]

    with open(path, "w") as f:
        f.write("workload " + " ".join(f"{s}_rps {s}_rps_min {s}_rps_max" for s in servers) + " "
                + " ".join(f"{s}_p99_ms {s}_p99_min {s}_p99_max" for s in servers) + "\n")
        for w in workloads:
            row = [w]
            for s in servers:
                row += cells(s, w, "req/s")
            for s in servers:
                row += cells(s, w, "p99 us", 1e-3)
            f.write(" ".join(row) + "\n")


def khttpd_report(rows, a):
    """khttpd.md and khttpd-summary.csv from khttpd.csv's rows."""
    m = khttpd_metrics(rows)
    found = {k[1] for k in m}
    workloads = [w for w in KHTTPD_WORKLOADS if w in found] + sorted(found - set(KHTTPD_WORKLOADS))
    servers = [s for s in (KHTTPD, NGINX) if any(k[0] == s for k in m)]
    servers += sorted({k[0] for k in m} - set(servers))
    order = ["req/s", "transfer MB/s", "p50 us", "p75 us", "p90 us", "p99 us",
             "guest CPU us/req", "errors+non-2xx"]
    write_group_summary(f"{a.out}/khttpd-summary.csv", "workload", "ratio_khttpd_to_nginx", m,
                        workloads, order, servers, KHTTPD, NGINX)
    info = info_of(a)
    conns = sorted({r["conns"] for r in rows})
    threads = sorted({r["threads"] for r in rows})
    secs = sorted({r["seconds"].split(".")[0] for r in rows if r["seconds"]})
    nreps = len({r["rep"] for r in rows})

    def med(s, w, name):
        vals = m.get((s, w, name))
        return stats(vals.values())[0] if vals else None

    L = ["# khttpd against nginx: static files over HTTP/1.1", ""]
    if a.quick:
        L += ["**Quick run: for trying the suite, not for quoting.**", ""]
    L += ["Written by `tests/bench/run --workloads khttpd` (cases/khttpd.sh). Raw rows: "
          "khttpd.csv; medians and ratios: khttpd-summary.csv.", "",
          "## How", "",
          guest_line(a),
          f"- Servers, one after another in the same VM on the same vCPUs, the order swapped "
          f"every repetition ({nreps} repetition{'s' if nreps != 1 else ''}): khttpd.ko (`modprobe khttpd "
          f"root=/tmp/www port=8080`, unloaded after) and Debian's nginx"
          f"{' ' + info['nginx'] if info.get('nginx') else ''} (tests/vm/lib/nginx-khttpd.conf: worker_processes auto, "
          "sendfile on, access_log off, keep-alive), serving the same tree in the guest's RAM.",
          f"- Load: Debian's wrk{' ' + info['wrk'] if info.get('wrk') else ''} in the same guest, `wrk --latency -t "
          f"{'/'.join(threads) or '?'} -c {'/'.join(conns) or '?'} -d {'/'.join(secs) or '?'}s` "
          "after an unrecorded warm-up run, over loopback, for each workload: "
          + "; ".join(f"{w}: {KHTTPD_WORKLOADS.get(w, w)}" for w in workloads) + ". The "
          "files are random bytes. Latencies are wrk's distribution (`--latency`: 50, 75, 90 "
          "and 99%).",
          "- Guest CPU per request: busy time of the whole guest (/proc/stat, wrk included) "
          "over the run, divided by the requests wrk completed.",
          "- A run with socket errors (connect, read, write, timeout) or non-2xx responses "
          "counts only in errors+non-2xx; its rate and latencies are left out.",
          "- Ratios are khttpd / nginx per repetition (same rep, same workload), median "
          "(min–max); with 6 or more pairs, a 95% interval of the median.", "",
          "## Results (medians over repetitions)", "",
          "| workload | khttpd req/s | nginx req/s | khttpd / nginx req/s | khttpd p99 | "
          "nginx p99 | khttpd / nginx p99 |",
          "|---|---|---|---|---|---|---|"]
    for w in workloads:
        p99k, p99n = med(KHTTPD, w, "p99 us"), med(NGINX, w, "p99 us")
        L.append(f"| {w} | {fmt(med(KHTTPD, w, 'req/s'))} | {fmt(med(NGINX, w, 'req/s'))} | "
                 f"{ratio_cell(group_ratio(m, w, 'req/s', KHTTPD, NGINX))} | "
                 f"{fmt(p99k)} µs | {fmt(p99n)} µs | "
                 f"{ratio_cell(group_ratio(m, w, 'p99 us', KHTTPD, NGINX))} |")
    L += ["", "## Targets from the issue (measured side by side in this run)", "",
          "\"yes\" needs the median ratio at or over a floor; \"within noise\" means its 95% "
          "interval reaches below it. For p99 \"yes\" needs every pair at or under nginx's.",
          "", "| target | khttpd / nginx — met? |", "|---|---|"]
    for w, target in KHTTPD_RATE_TARGETS.items():
        L.append(f"| {w}: req/s ≥ {target:g}× nginx's | "
                 f"{ratio_cell(group_ratio(m, w, 'req/s', KHTTPD, NGINX), target)} |")
    for w in [w for w in KHTTPD_WORKLOADS if w in found]:
        L.append(f"| {w}: p99 no worse than nginx's | "
                 f"{ratio_cell(group_ratio(m, w, 'p99 us', KHTTPD, NGINX), 1.0, higher=False, equal_ok=True)} |")
    L += ["", "## All measurements", "",
          "Median [min–max over repetitions]; for khttpd, the ratio to nginx (paired).", ""]
    L += group_tables(m, workloads, lambda w: f"{w}: {KHTTPD_WORKLOADS.get(w, w)}", order,
                      servers, KHTTPD, NGINX, {"errors+non-2xx"})
    L += ["## What the ratios mean", "",
          "The same VM, the same vCPUs, one server after the other, interleaved: slow drifts "
          "of the host hit both alike, but the client (wrk) shares the vCPUs with the server, "
          "so a server that needs less CPU also leaves more to the client. Under QEMU TCG "
          "system calls and context switches are disproportionately expensive, which favours "
          "the in-kernel server; on loopback there is no NIC and no wire. Compare medians and "
          "look at the spread, not at absolute rates.", ""]
    L += ["![khttpd and nginx: req/s and p99 per workload](khttpd.png)", ""]
    write_khttpd_plot_data(f"{a.out}/khttpd.dat", m, workloads, servers)
    try:
        perf = load(f"{a.out}/khttpd-perf.csv")
    except OSError:
        perf = []
    for w in [w for w in KHTTPD_WORKLOADS if w.endswith("-keepalive")]:
        L += perf_section(perf, servers, w, title=f"{w} ({KHTTPD_WORKLOADS[w]}, perf)",
                          tasks_meaning="`wrk` the client, `kworker` khttpd's work items, "
                          "`nginx` nginx's workers",
                          run=f"a 12 s wrk run of {w}")
    with open(f"{a.out}/khttpd.md", "w") as f:
        f.write("\n".join(L))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw")
    ap.add_argument("--chat", help="chat.csv: write chat.md and chat-summary.csv instead")
    ap.add_argument("--khttpd",
                    help="khttpd.csv: write khttpd.md and khttpd-summary.csv instead")
    ap.add_argument("--out", required=True)
    ap.add_argument("--info", default="")
    ap.add_argument("--host-cpu", default="")
    ap.add_argument("--host-cpus", default="")
    ap.add_argument("--qemu", default="")
    ap.add_argument("--elapsed", default="")
    ap.add_argument("--reps", default="")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--load", default="")
    a = ap.parse_args()
    if a.chat:
        chat_report(load(a.chat), a)
        return
    if a.khttpd:
        khttpd_report(load(a.khttpd), a)
        return
    if not a.raw:
        ap.error("--raw, --chat or --khttpd is needed")

    rows = load(a.raw)
    info = info_of(a)
    m, levels, rr_levels = metrics(rows, fnum(info.get("cpus")))
    servers = [s for s in SERVERS if any(k[0] == s for k in m)]
    servers += sorted({k[0] for k in m} - set(servers))
    names = []
    for k in m:
        if k[1] not in names:
            names.append(k[1])
    def split(w, unit="req", rate="req/s"):
        return [f"{w} client CPU us/{unit}", f"{w} server CPU us/{unit}",
                f"{w} client ceiling {rate}"]

    order = (["crr req/s", "crr p99 us", "crr CPU us/req"] + split("crr") +
             ["crr context switches/req", "crr failures+errors", "crr blocking client req/s",
              "crr blocking client p99 us", "crr blocking client CPU us/req"] +
             split("crr blocking client") +
             ["crr blocking client failures+errors",
              "rr64 req/s", "rr64 p50 us", "rr64 p99 us", "rr64 CPU us/req"] + split("rr64") +
             ["rr64 context switches/req", "rr64 failures+errors", "rr64 blocking client req/s",
              "rr64 blocking client p99 us", "rr64 blocking client CPU us/req"] +
             split("rr64 blocking client") +
             ["rr64 blocking client failures+errors", "stream MB/s",
              "stream CPU us/MiB"] + split("stream", "MiB", "MB/s") + ["stream failures+errors"])
    for n in rr_levels:
        order += [f"rr{n} req/s", f"rr{n} p99 us"]
    for n in levels:
        order += [f"sweep{n} p50 us", f"sweep{n} p99 us", f"sweep{n} failures+errors"]
    order += ["idle conns", "idle held", "idle failures", "idle errors", "idle bytes/conn (guest used)",
              "idle bytes/conn (slab)", "idle bytes/conn (server RSS)"]
    names = [n for n in order if n in names] + [n for n in names if n not in order]

    # summary.csv
    with open(f"{a.out}/summary.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["metric", "server", "n", "median", "min", "max",
                    "ratio_to_user_median", "ratio_min", "ratio_max",
                    "ratio_median_ci95_low", "ratio_median_ci95_high"])
        for name in names:
            for s in servers:
                vals = m.get((s, name))
                if not vals:
                    continue
                med, lo, hi, n = stats(vals.values())
                r = ratios(m, s, name)
                ci = r[4] if r and s != BASE else None
                w.writerow([name, s, n, f"{med:.3f}", f"{lo:.3f}", f"{hi:.3f}"] +
                           ([f"{r[0]:.3f}", f"{r[1]:.3f}", f"{r[2]:.3f}"] if r else ["", "", ""]) +
                           ([f"{ci[0]:.3f}", f"{ci[1]:.3f}"] if ci else ["", ""]))

    def med(s, name):
        vals = m.get((s, name))
        return stats(vals.values())[0] if vals else None

    # Plot data: sweep.dat (conns, then p50 and p99 per server) and rates.dat.
    with open(f"{a.out}/sweep.dat", "w") as f:
        f.write("# conns " + " ".join(f"{s}_p50 {s}_p99" for s in servers) + "\n")
        for n in levels:
            cells = []
            for s in servers:
                for p in ("p50", "p99"):
                    v = med(s, f"sweep{n} {p} us")
                    cells.append(f"{v / 1000:.3f}" if v else "NaN")  # ms
            f.write(f"{n} " + " ".join(cells) + "\n")
    with open(f"{a.out}/conns.dat", "w") as f:
        f.write("# conns " + " ".join(f"{s}_med {s}_min {s}_max" for s in servers) + "\n")
        for n in sorted(set(rr_levels) | ({RR_CONNS} if rr_levels else set())):
            cells = []
            for s in servers:
                vals = m.get((s, f"rr{n} req/s"))
                cells += [f"{x:.1f}" for x in stats(vals.values())[:3]] if vals else ["NaN"] * 3
            f.write(f"{n} " + " ".join(cells) + "\n")
    with open(f"{a.out}/rates.dat", "w") as f:
        f.write("# server crr_med crr_min crr_max rr64_med rr64_min rr64_max "
                "crr_cpu rr64_cpu\n")
        for s in servers:
            cells = []
            for name in ("crr req/s", "rr64 req/s"):
                vals = m.get((s, name))
                cells += [f"{x:.1f}" for x in stats(vals.values())[:3]] if vals else ["NaN"] * 3
            for name in ("crr CPU us/req", "rr64 CPU us/req"):
                v = med(s, name)
                cells.append(f"{v:.1f}" if v is not None else "NaN")
            f.write(f"{s} " + " ".join(cells) + "\n")

    # results.md
    L = []
    L.append("# kecho benchmark results")
    L.append("")
    if a.quick:
        L.append("**Quick run (one short repetition): for trying the suite, not for quoting.**")
        L.append("")
    L.append("Written by `make bench` (tests/bench/run); plots: `make plot`. "
             "Raw rows: raw.csv; medians and ratios: summary.csv.")
    L.append("")
    L.append("## How these numbers were obtained")
    L.append("")
    vcpus = info.get("cpus", "?")
    L.append(f"- Host: {a.host_cpu or 'unknown CPU'}, {a.host_cpus or '?'} cores"
             + (f" (host load average at start -> end: {a.load}; the VM's own "
                f"{vcpus} vCPUs account for about {vcpus})." if a.load else "."))
    L.append(f"- Guest: Debian kernel {info.get('kernel', '?')}, {vcpus} vCPUs, "
             f"booted by tests/vm's harness under **QEMU TCG** ({a.qemu or 'qemu'}; "
             "`-accel tcg -cpu max`, no KVM): every guest instruction is translated "
             "and emulated in software. Slab debugging: "
             f"{info.get('slub_debug', 'not recorded')} (the tests boot with slub_debug=FZPU; "
             "the benchmark does not, since its checks and poisoning tax every allocation). "
             f"Clocksource: {info.get('clocksource', 'not recorded')} (booted with "
             f"tsc={info.get('cmdline_tsc') or 'default'}; on the emulated HPET every "
             "clock read of the client is an MMIO exit)." + icount_note(info))
    what = {
        "kecho-bench0": "kecho bench=0", "kecho-bench1": "kecho bench=1",
        "kecho-message": "kecho mode=message (framed requests)",
        "kecho-kcm": "a KCM client against kecho mode=message",
        "user-echo-server": "user-echo-server (epoll, one thread per CPU, SO_REUSEPORT)",
        "uring-echo-server": "uring-echo-server (io_uring, multishot accept/recv with "
                             "provided buffers)",
    }
    L.append(f"- One VM; inside it the servers ran one after another on the same {vcpus} vCPUs: "
             + ", ".join(what.get(s, s) for s in servers) + ". "
             f"{a.reps or '?'} repetitions, the order rotated each time, so slow "
             "drifts of the host hit every server alike. The client (`bench`) runs in the same "
             "guest on the same vCPUs, over loopback; all servers used backlog 4096.")
    idle_n = int(max([fnum(r["conns"]) or 0 for r in rows if r["mode"] == "idle"] or [10000]))
    described = {
        "crr": "crr (32 concurrent connection-per-request loops, 64 B), from the epoll "
               "client and again from a blocking thread per connection",
        "rr": "rr (64 persistent connections ping-ponging 64 B), from the epoll client and "
              "again from a blocking thread per connection (`--client blocking`)",
        "stream": "stream (16 connections each echoing 1 MiB writes, at most 2 MiB in "
                  "flight; one read in 8 is checked byte for byte, the others discarded in "
                  "the kernel with MSG_TRUNC, so the client's copies weigh less)",
        "conns": "conns (rr at " + ", ".join(f"{n:,}" for n in rr_levels) + " connections)",
        "sweep": "sweep (N connections released together by a barrier, latency from the "
                 "release to each echo)",
        "idle": f"idle ({idle_n:,} connections held open, then each checked to still echo)",
    }
    modes = {r["mode"] for r in rows} | ({"conns"} if rr_levels else set())
    duration = sorted({r["seconds"].split(".")[0] for r in rows if r["mode"] == "rr"})
    L.append("- Workloads: " + ", ".join(d for w, d in described.items() if w in modes) + "."
             + (f" crr and rr are measured for about {duration[0]} s per run, after a "
                "warm-up." if len(duration) == 1 else ""))
    L.append("- CPU per request: guest CPU time (busy jiffies of /proc/stat over the whole "
             "run, client included) divided by the requests completed, warm-up included. "
             "The client's share is the same for every server, so differences are the "
             "server's.")
    if "idle" in modes:
        L.append("- Memory per idle connection: change of the guest's MemTotal−MemFree between "
                 f"before connecting and while all {idle_n:,} are held, divided by {idle_n:,}. "
                 "It includes both ends of each loopback connection (client sockets cost the "
                 "same for every server) and, for the userspace servers, their heap; slab and "
                 "server RSS are listed apart.")
    if a.elapsed:
        L.append(f"- The whole suite (boot included) took {int(a.elapsed) // 60} min "
                 f"{int(a.elapsed) % 60} s.")
    L.append("")
    L.append("## What the ratios mean, and what they don't")
    L.append("")
    L.append("Absolute numbers here mean little: TCG runs the guest one to two orders of "
             "magnitude slower than hardware, and the host's two cores are shared. Ratios "
             "between servers measured back to back in the same VM are what matter, and even "
             "they are distorted by TCG:")
    L.append("")
    L.append("- TCG makes every instruction expensive but makes *system calls, page-table "
             "switches and interrupts* disproportionately so (each is a TLB flush and a "
             "jump into QEMU's slow paths). Userspace servers pay a syscall and two "
             "user/kernel crossings per message; kecho pays none, so TCG **inflates "
             "kecho's advantage** over the epoll server, and somewhat less over io_uring "
             "(which batches crossings).")
    L.append("- Both vCPUs are host threads competing with other host work; latency "
             "percentiles (especially p99/p99.9) include host scheduling noise. Compare "
             "medians across repetitions and look at the spread before believing a "
             "difference smaller than the spread.")
    L.append("- Client and server share the two vCPUs, so a server that uses less CPU also "
             "leaves more to the client: throughput ratios mix server efficiency with that "
             "effect (as they would on a real two-core box).")
    L.append("- Loopback has no NIC, no interrupts and no wire latency; on real hardware "
             "the network stack's fixed cost shrinks every ratio toward 1.")
    L.append("")

    # Targets
    L.append("## Targets from the issue (measured side by side in this run)")
    L.append("")
    L.append("For the ratio targets: the median of the per-repetition ratios, their range, "
             "and a 95% interval of that median (distribution-free, from order statistics). \"yes\" needs the median at or "
             "over the target; \"within noise\" means the interval reaches below it.")
    L.append("")
    L.append("| target | server | measured (median, range over reps; 95% interval of the median) "
             "| interval against the median (within ±10%?) | met? |")
    L.append("|---|---|---|---|---|")
    kechos = [s for s in servers if s.startswith("kecho")]
    for name, base, target in (("crr req/s", BASE, 2.0), ("crr blocking client req/s", BASE, 2.0),
                               ("rr64 req/s", BASE, 4.0),
                               ("rr64 req/s", URING, 4.0),
                               ("rr64 blocking client req/s", BASE, 4.0),
                               ("rr64 blocking client req/s", URING, 4.0),
                               ("stream MB/s", BASE, 1.5)):
        label = (f"{name.split()[0].replace('rr64', 'rr (64 conns)')} ≥ {target:g}× {base}"
                 + (" in bytes/s" if name.startswith("stream") else "")
                 + (", blocking client" if "blocking" in name else ""))
        if base not in servers:
            continue
        for s in kechos:
            if s == MESSAGE and name.startswith("stream"):
                continue
            r = ratios(m, s, name, base)
            if r:
                ci = r[4]
                civ = f"; {ci[0]:.2f}–{ci[1]:.2f}" if ci else ""
                met = ratio_verdict(r[0], ci, target)
                spread, tight = interval_spread(r[0], ci)
                L.append(f"| {label} | {s} | {r[0]:.2f}× ({r[1]:.2f}–{r[2]:.2f}{civ}) | "
                         f"{spread} ({'yes' if tight else 'no'}) | {met} |")
            elif s != MESSAGE and (s, name) in m:
                L.append(f"| {label} | {s} | not measured | – | – |")
    for name, label in (("rr64 req/s", "message mode rr (64 conns) ≥ 0.9× stream mode"),
                        ("crr req/s", "message mode crr, against stream mode")):
        r = ratios(m, MESSAGE, name, STREAM) if MESSAGE in servers else None
        if r:
            ci = r[4]
            civ = f"; {ci[0]:.2f}–{ci[1]:.2f}" if ci else ""
            met = ratio_verdict(r[0], ci, 0.9) if name.startswith("rr") else "(no target)"
            spread, tight = interval_spread(r[0], ci)
            L.append(f"| {label} | {MESSAGE} / {STREAM} | {r[0]:.2f}× ({r[1]:.2f}–{r[2]:.2f}{civ}) "
                     f"| {spread} ({'yes' if tight else 'no'}) | {met} |")
        elif MESSAGE in servers:
            L.append(f"| {label} | {MESSAGE} / {STREAM} | not measured | – | – |")
    r = ratios(m, KCM, "rr64 req/s", MESSAGE) if KCM in servers else None
    if r:
        L.append(f"| a KCM client's rr (64 multiplexors, report only) | {KCM} / {MESSAGE} | "
                 f"{r[0]:.2f}× ({r[1]:.2f}–{r[2]:.2f}); median {fmt(med(KCM, 'rr64 req/s'))} "
                 f"req/s | – | (no target) |")
    top = max(levels) if levels else None
    if top:
        name = f"sweep{top} p99 us"
        best_user = [med(s, name) for s in servers if not s.startswith("kecho") and med(s, name)]
        best = min(best_user) if best_user else None
        for s in kechos:
            v = med(s, name)
            if v is not None and best:
                L.append(f"| p99 at {top} concurrent ≤ best userspace ({fmt(best / 1000)} ms) | "
                         f"{s} | {fmt(v / 1000)} ms | – | {'yes' if v <= best else 'no'} |")
            else:
                L.append(f"| p99 at {top} concurrent | {s} | not measured | – | – |")
    for s in servers:
        held = m.get((s, "idle held"), {})
        fails = m.get((s, "idle failures"), {})
        errs = m.get((s, "idle errors"), {})
        if held:
            bad = sum(fails.values()) + sum(errs.values())
            mem = med(s, "idle bytes/conn (guest used)")
            want = int(max(m.get((s, "idle conns"), {0: 0}).values()))
            L.append(f"| {want:,} idle connections, 0 failures | {s} | held {int(min(held.values()))}"
                     f"–{int(max(held.values()))} over {len(held)} reps, {int(bad)} failures+errors, "
                     f"{fmt(mem)} B/conn | – | {'yes' if bad == 0 and min(held.values()) >= want else 'no'} |")
    try:
        rmmods = load(f"{a.out}/rmmod.csv")
    except OSError:
        rmmods = []
    for r in rmmods:
        secs = fnum(r["seconds"])
        L.append(f"| rmmod kecho with {int(fnum(r['open']) or 0):,} open, under 10 s | kecho-bench0 | "
                 f"{fmt(secs)} s (rep {r['rep']}) | – | {'yes' if secs is not None and secs < 10 else 'no'} |")
    L.append("")

    L += ceiling_section(m, servers)

    # Full table
    L.append("## All measurements")
    L.append("")
    L.append("Median [min–max over repetitions]; ratio to user-echo-server paired by "
             "repetition, median [min–max]. For req/s higher is better; for latencies, "
             "CPU and memory lower is better.")
    L.append("")
    L.append("| metric | " + " | ".join(servers) + " |")
    L.append("|---|" + "---|" * len(servers))
    for name in names:
        cells = []
        for s in servers:
            vals = m.get((s, name))
            if not vals:
                cells.append("–")
                continue
            md, lo, hi, n = stats(vals.values())
            c = f"{fmt(md)} [{fmt(lo)}–{fmt(hi)}]"
            r = ratios(m, s, name)
            if r and s != BASE and not any(w in name for w in ("failures", "errors", "held", "RSS")):
                c += f" ({r[0]:.2f}× [{r[1]:.2f}–{r[2]:.2f}])"
            cells.append(c)
        L.append(f"| {name} | " + " | ".join(cells) + " |")
    L.append("")
    try:
        prof = load(f"{a.out}/profile.csv")
    except OSError:
        prof = []
    if prof:
        L.append("## Profile: kecho's work items under rr (64 connections) and crr "
                 "(32 connection-per-request loops), 2 s each, traced")
        L.append("")
        L.append("From the workqueue tracepoints: each `queue_work()` on the kecho workqueue "
                 "(from a socket callback in softirq) to the moment that work item starts "
                 "running. Tracing slows the guest, so compare the two modes, not the "
                 "absolute values.")
        L.append("")
        L.append("In crr every request is a connection, so per request is per connection.")
        L.append("")
        L.append("| workload | server | requests | work items run | per request | io_work queued | "
                 "accept_work queued | queue→run mean | p50 | p90 | p99 | context switches/req |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for p in prof:
            req = fnum(p["requests"]) or 0
            works = fnum(p["works_run"]) or 0
            L.append(f"| {p.get('workload', 'rr')} | {p['server']} | {int(req)} | {int(works)} | "
                     f"{works / req if req else 0:.2f} | {p['io_work_queued']} | "
                     f"{p['accept_work_queued']} | {p['queue_to_run_mean_us']} us | "
                     f"{p['queue_to_run_p50_us']} us | {p['queue_to_run_p90_us']} us | "
                     f"{p['queue_to_run_p99_us']} us | {p['ctxt_per_req']} |")
        L.append("")
    try:
        perf = load(f"{a.out}/perf.csv")
    except OSError:
        perf = []
    if perf:
        for workload in ("rr", "crr", "stream"):
            L += perf_section(perf, servers, workload)
    L.append("Plots: " + ("[latency against concurrency](latency-vs-concurrency.png), "
                          if levels else "")
             + ("[requests per second against connections](rate-vs-connections.png), "
                if rr_levels else "") + "[req/s and CPU per request](rates.png).")
    L.append("")
    with open(f"{a.out}/results.md", "w") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main()
