#!/usr/bin/env python3
"""Tests of summarize.py's statistics and of the targets it reports.
Run by ctest (make unit) or: python3 -m unittest tests/bench/summarize_test.py"""

import csv
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import summarize  # noqa: E402


class MedianInterval(unittest.TestCase):
    def test_textbook_ranks(self):
        # 95% ranks of the median from binomial tables: n=15 -> 4th and
        # 12th, n=14 -> 3rd and 12th, n=64 -> 24th and 41st.
        self.assertEqual(summarize.median_ci(list(range(1, 16))), (4, 12))
        self.assertEqual(summarize.median_ci(list(range(1, 15))), (3, 12))
        self.assertEqual(summarize.median_ci(list(range(1, 65))), (24, 41))

    def test_order_of_input_does_not_matter(self):
        self.assertEqual(summarize.median_ci([9, 1, 15, 3, 7, 2, 11, 5, 13, 4, 8, 6, 10, 12, 14]),
                         (4, 12))

    def test_small_samples(self):
        # Fewer than 6 samples cannot reach 95%: the whole range.
        self.assertEqual(summarize.median_ci([3.0, 1.0, 2.0, 5.0, 4.0]), (1.0, 5.0))
        self.assertIsNone(summarize.median_ci([1.0, 2.0]))


class Verdict(unittest.TestCase):
    def test_verdicts(self):
        self.assertEqual(summarize.ratio_verdict(1.49, (1.2, 1.8), 1.5), "no")
        self.assertEqual(summarize.ratio_verdict(1.55, (1.4, 1.7), 1.5), "yes, within noise")
        self.assertEqual(summarize.ratio_verdict(1.60, (1.5, 1.7), 1.5), "yes")
        self.assertEqual(summarize.ratio_verdict(1.60, None, 1.5), "yes")


def raw_rows(kecho_rates, user_rates, message_rates=()):
    """rr rows: kecho-bench0, user-echo-server and, given, kecho-message
    rates, one per repetition."""
    cols = ("rep,mode,server,conns,threads,size,seconds,requests,req_per_s,bytes,p50_us,"
            "p90_us,p99_us,p999_us,max_us,mean_us,failures,errors,guest_cpu_s,client_cpu_s,"
            "server_cpu_s,cpu_jiffies,run_requests,"
            "ctxt,mem_used_kb,slab_kb,rss_kb,sockstat").split(",")
    rows = []
    for rep, (k, u) in enumerate(zip(kecho_rates, user_rates), start=1):
        servers = [("kecho-bench0", k), ("user-echo-server", u)]
        if message_rates:
            servers.append(("kecho-message", message_rates[rep - 1]))
        for server, rate in servers:
            r = dict.fromkeys(cols, "")
            r.update(rep=rep, mode="rr", server=server, conns=64, threads=2, size=64,
                     seconds=8.0, requests=int(rate * 8), req_per_s=rate, failures=0, errors=0,
                     cpu_jiffies=1600, run_requests=int(rate * 9), ctxt=100)
            rows.append(r)
    return cols, rows


def run_summarize(kind, cols, rows, report, summary, extra=(), inputs=None, outputs=()):
    """summarize.py --KIND (raw, chat or khttpd) on these rows: the text of the
    report it writes and the rows of its summary CSV. inputs: more files to
    put beside the rows ({name: text}); outputs: more files it writes, whose
    texts follow, in that order."""
    with tempfile.TemporaryDirectory() as out:
        path = os.path.join(out, f"{kind}.csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=cols)
            w.writeheader()
            w.writerows(rows)
        for name, text in (inputs or {}).items():
            with open(os.path.join(out, name), "w") as f:
                f.write(text)
        subprocess.run([sys.executable, os.path.join(HERE, "summarize.py"), f"--{kind}", path,
                        "--out", out, *extra], check=True)
        with open(os.path.join(out, report)) as f:
            text = f.read()
        with open(os.path.join(out, summary), newline="") as f:
            result = (text, list(csv.DictReader(f)))
        for name in outputs:
            with open(os.path.join(out, name)) as f:
                result += (f.read(),)
        return result


class Report(unittest.TestCase):
    def summarize(self, kecho_rates, user_rates, message_rates=(), prefix="| rr (64 conns)"):
        cols, rows = raw_rows(kecho_rates, user_rates, message_rates)
        report, summary = run_summarize("raw", cols, rows, "results.md", "summary.csv",
                                        ["--reps", str(len(rows))])
        line = next(x for x in report.splitlines() if x.startswith(prefix))
        row = next(r for r in summary if r["metric"] == "rr64 req/s" and r["server"] == "kecho-bench0")
        return line, row

    def test_paired_ratios_and_verdict(self):
        # Ratios 3.2, 3.6, ..., 4.8 by repetition: median 4.0, range 3.2-4.8
        # (the target is 4x).
        user = [1000.0, 2000.0, 1000.0, 2000.0, 1000.0]
        kecho = [3200.0, 7200.0, 4000.0, 8800.0, 4800.0]
        line, row = self.summarize(kecho, user)
        self.assertIn("4.00× (3.20–4.80; 3.20–4.80)", line)
        self.assertIn("| −20%/+20% (no) |", line)
        self.assertTrue(line.endswith("| yes, within noise |"), line)
        self.assertEqual((row["ratio_to_user_median"], row["ratio_median_ci95_low"]),
                         ("4.000", "3.200"))

    def test_client_ceiling(self):
        # 8,000 requests in 8 s each. Against kecho the client spent 4 s
        # (500 us/req) and the kworkers 1 s; against user-echo-server the
        # client 1 s (125 us/req), the server 6 s. On 2 vCPUs the client's
        # ceiling is 2 / 500 us = 4,000 req/s against kecho (the rate: 25%
        # of it) and 16,000 against user-echo-server (6%: server-bound).
        cols, rows = raw_rows([1000.0] * 5, [1000.0] * 5)
        for r in rows:
            kecho = r["server"] == "kecho-bench0"
            r.update(guest_cpu_s=16.0, client_cpu_s=4.0 if kecho else 1.0,
                     server_cpu_s=1.0 if kecho else 6.0)
        report, summary = run_summarize("raw", cols, rows, "results.md", "summary.csv",
                                        ["--reps", "5", "--info", "kernel=6.1 cpus=2"])
        section = report.split("## The client's ceiling", 1)[1].split("\n## ", 1)[0]
        self.assertIn("| rr64 | kecho-bench0 | 1,000 | 500 | 125 | 4,000 | 25% |", section)
        self.assertIn("| rr64 | user-echo-server | 1,000 | 125 | 750 | 16,000 | 6% |", section)
        row = next(r for r in summary
                   if r["metric"] == "rr64 client ceiling req/s" and r["server"] == "user-echo-server")
        self.assertEqual(row["median"], "16000.000")
        # Without the guest's CPU count there is no ceiling, only the split.
        report, _ = run_summarize("raw", cols, rows, "results.md", "summary.csv", ["--reps", "5"])
        self.assertNotIn("## The client's ceiling", report)
        self.assertIn("rr64 server CPU us/req", report)

    def test_icount_is_stated(self):
        # A run on QEMU's instruction counter says so, with its ns per
        # instruction; a real-time run says nothing of it.
        cols, rows = raw_rows([1000.0] * 5, [1000.0] * 5)
        report, _ = run_summarize("raw", cols, rows, "results.md", "summary.csv",
                                  ["--reps", "5", "--info", "kernel=6.1 cpus=1 icount=3"])
        self.assertIn("`-icount shift=3,sleep=off`, 8 ns per instruction", report)
        for info in ("kernel=6.1 cpus=2 icount=off", "kernel=6.1 cpus=2"):
            report, _ = run_summarize("raw", cols, rows, "results.md", "summary.csv",
                                      ["--reps", "5", "--info", info])
            self.assertNotIn("-icount", report)

    def test_interval_within_ten_percent(self):
        # 15 repetitions, ratios 3.65 to 4.35: the median's 95% interval is
        # the 4th to the 12th (3.80-4.20), -5%/+5% of 4.00, though single
        # repetitions stray 9% either way.
        user = [1000.0] * 15
        kecho = [1000.0 * (3.65 + 0.05 * i) for i in range(15)]
        line, _ = self.summarize(kecho, user)
        self.assertIn("4.00× (3.65–4.35; 3.80–4.20) | −5%/+5% (yes) |", line)

    def test_below_target(self):
        line, _ = self.summarize([3900.0] * 6, [1000.0] * 6)
        self.assertTrue(line.endswith("| no |"), line)

    def test_clear_of_noise(self):
        line, _ = self.summarize([4100.0, 4200.0, 4300.0, 4100.0, 4200.0, 4300.0], [1000.0] * 6)
        self.assertTrue(line.endswith("| yes |"), line)

    def test_stream_bytes_per_second(self):
        # stream rows: kecho moves 1.4-2.5x user-echo-server's bytes in the
        # same seconds; the target is 1.5x.
        cols, rows = raw_rows([4000.0] * 5, [1000.0] * 5)
        for rep, factor in enumerate([1.4, 2.0, 2.5, 2.0, 2.0], start=1):
            for server, mb in (("kecho-bench0", 100 * factor), ("user-echo-server", 100)):
                r = dict.fromkeys(cols, "")
                r.update(rep=rep, mode="stream", server=server, conns=16, threads=2,
                         size=1048576, seconds=8.0, requests=1, req_per_s=1,
                         bytes=int(mb * 8e6), failures=0, errors=0, cpu_jiffies=1600,
                         run_requests=800, ctxt=100)
                rows.append(r)
        report, _ = run_summarize("raw", cols, rows, "results.md", "summary.csv",
                                  ["--reps", "5"])
        line = next(x for x in report.splitlines() if x.startswith("| stream ≥ 1.5×"))
        self.assertIn("2.00× (1.40–2.50", line)
        self.assertTrue(line.endswith("| yes, within noise |"), line)
        self.assertIn("| stream MB/s | 200 [140–250] (2.00×", report)


class MessageMode(unittest.TestCase):
    """kecho-message's rr against kecho-bench0 (stream mode), target 0.9x."""

    def line(self, message, stream):
        line, _ = Report.summarize(Report(), stream, [1000.0] * len(stream), message,
                                   prefix="| message mode rr")
        return line

    def test_ratio_to_stream_mode(self):
        line = self.line([850.0, 1900.0, 950.0, 1900.0, 1000.0, 1900.0],
                         [1000.0, 2000.0, 1000.0, 2000.0, 1000.0, 2000.0])
        self.assertIn("kecho-message / kecho-bench0 | 0.95×", line)
        self.assertTrue(line.endswith("| yes, within noise |"), line)

    def test_below_target(self):
        line = self.line([800.0] * 6, [1000.0] * 6)
        self.assertIn("0.80×", line)
        self.assertTrue(line.endswith("| no |"), line)


CHAT_COLS = ("rep,room,mode,server,senders,receivers,threads,size,rate,window,seconds,sent,"
             "delivered,delivered_per_s,p50_us,p90_us,p99_us,p999_us,max_us,mean_us,failures,"
             "errors,barrier_s,guest_cpu_s,client_cpu_s,server_cpu_s,softirq_s,rss_kb,"
             "queued_bytes,slab_delta_kb,used_delta_kb").split(",")


class Chat(unittest.TestCase):
    """chat.csv: kecho-chat against user-chat-relay, paired by rep and room."""

    @staticmethod
    def row(rep, server, cpu, p99, p50=0, errors=0):
        """One chat.csv row: 100,000 deliveries on room 1x1000 in cpu server seconds."""
        r = dict.fromkeys(CHAT_COLS, "0")
        r.update(rep=rep, room="1x1000", mode="fanout", server=server, senders=1,
                 receivers=1000, rate=25, delivered=100000, delivered_per_s=25000,
                 p50_us=p50, p99_us=p99, server_cpu_s=cpu, guest_cpu_s=cpu * 2,
                 client_cpu_s=0.5, errors=errors, rss_kb=-1)
        return r

    def report(self, pairs, errors=(), inputs=None, full=False):
        """pairs: per rep, ((kecho server CPU s, kecho p99), (relay CPU s, relay p99)),
        each run 100,000 deliveries on room 1x1000. full: the whole chat.md
        instead of the room's target line."""
        rows = [self.row(rep, server, cpu, p99, errors=1 if (rep, server) in errors else 0)
                for rep, ((kc, kp), (uc, up)) in enumerate(pairs, start=1)
                for server, cpu, p99 in (("kecho-chat", kc, kp), ("user-chat-relay", uc, up))]
        md, summary = run_summarize("chat", CHAT_COLS, rows, "chat.md", "chat-summary.csv",
                                    inputs=inputs)
        if full:
            return md, summary
        line = next(x for x in md.splitlines() if x.startswith("| 1x1000 |"))
        return line, summary

    def test_profile(self):
        # chat-perf.csv beside chat.csv: a profile section for the room, with
        # each server's task shares and its own tasks' hottest symbols.
        perf = ("workload,server,kind,name,percent\n"
                "1x1000,kecho-chat,task,kworker,39.1\n"
                "1x1000,kecho-chat,task-symbol,tcp_sendmsg_locked,1.1\n"
                "1x1000,user-chat-relay,task,user-echo-serve,46.0\n"
                "1x1000,user-chat-relay,task-symbol,vfs_writev,0.8\n")
        md, _ = self.report([((1.0, 500.0), (3.0, 1000.0))] * 2,
                            inputs={"chat-perf.csv": perf}, full=True)
        self.assertIn("## Profile: where the CPU goes under room 1x1000 (perf)", md)
        self.assertIn("| kworker | 39.1% | – |", md)
        self.assertIn("- kecho-chat: `tcp_sendmsg_locked` 1.1%", md)
        self.assertIn("- user-chat-relay: `vfs_writev` 0.8%", md)
        md, _ = self.report([((1.0, 500.0), (3.0, 1000.0))] * 2, full=True)
        self.assertNotIn("## Profile", md)

    def test_under_table(self):
        # perf_under's rows: each function's inclusive share, also as a part
        # of the task's; a function a server never ran under is a dash.
        perf = ("workload,server,kind,name,percent\n"
                "1x1000,kecho-chat,copy-task-total,kworker,45.0\n"
                "1x1000,kecho-chat,under,tcp_sendmsg_locked,40.5\n"
                "1x1000,user-chat-relay,copy-task-total,user-echo-serve,50.0\n"
                "1x1000,user-chat-relay,under,tcp_sendmsg_locked,40.0\n"
                "1x1000,user-chat-relay,under,do_syscall_64,48.0\n")
        md, _ = self.report([((1.0, 500.0), (3.0, 1000.0))] * 2,
                            inputs={"chat-perf.csv": perf}, full=True)
        self.assertIn("| `tcp_sendmsg_locked` | 40.5% (90% of the task) | "
                      "40.0% (80% of the task) |", md)
        self.assertIn("| `do_syscall_64` | – | 48.0% (96% of the task) |", md)

    def test_split_against_nosplit(self):
        # With kecho-chat-nosplit in the run: its own paired table; without, none.
        rows = [self.row(rep, server, cpu, p50 * 2, p50=p50) for rep in (1, 2)
                for server, cpu, p50 in (("kecho-chat", 1.0, 10.0),
                                         ("kecho-chat-nosplit", 1.5, 40.0),
                                         ("user-chat-relay", 3.0, 30.0))]
        md, _ = run_summarize("chat", CHAT_COLS, rows, "chat.md", "chat-summary.csv")
        self.assertIn("## Split fan-out: kecho-chat / kecho-chat-nosplit (chat_split=0), paired", md)
        self.assertIn("| 1x1000 | 1.50× (1.50–1.50, 2 pairs) | 0.25× (0.25–0.25, 2 pairs) "
                      "| 0.25× (0.25–0.25, 2 pairs) |", md)
        md, _ = self.report([((1.0, 500.0), (3.0, 1000.0))] * 2, full=True)
        self.assertNotIn("Split fan-out", md)

    def test_target_met(self):
        # Relay CPU 3x kecho's for the same deliveries: 3.00x; p99 lower in every pair.
        line, summary = self.report([((1.0, 500.0), (3.0, 1000.0))] * 6)
        self.assertIn("3.00× (3.00–3.00; 95% 3.00–3.00, 6 pairs) — yes |", line)
        self.assertIn("0.50× (0.50–0.50; 95% 0.50–0.50, 6 pairs) — yes |", line)
        row = next(r for r in summary if r["metric"] == "deliveries per server CPU-s"
                   and r["server"] == "kecho-chat")
        self.assertEqual((row["median"], row["ratio_kecho_to_relay_median"]),
                         ("100000.000", "3.000"))

    def test_target_missed(self):
        # 1.5x the relay's deliveries per CPU-second, and a higher p99.
        line, _ = self.report([((2.0, 1200.0), (3.0, 1000.0))] * 3)
        self.assertIn("1.50× (1.50–1.50, 3 pairs) — no |", line)
        self.assertIn("1.20× (1.20–1.20, 3 pairs) — no |", line)

    def test_runs_with_errors_do_not_count(self):
        # Rep 2's kecho run had an error: only reps 1 and 3 pair up.
        line, summary = self.report([((1.0, 500.0), (3.0, 1000.0)), ((0.1, 1.0), (3.0, 1000.0)),
                                     ((1.5, 500.0), (3.0, 1000.0))],
                                    errors={(2, "kecho-chat")})
        self.assertIn("2 pairs", line)
        bad = next(r for r in summary if r["metric"] == "failures+errors"
                   and r["server"] == "kecho-chat")
        self.assertEqual(bad["max"], "1.000")


KHTTPD_COLS = ("rep,workload,server,conns,threads,seconds,requests,req_per_s,"
               "transfer_bytes_per_s,p50_us,p75_us,p90_us,p99_us,errors,non2xx,"
               "guest_cpu_s").split(",")


class Khttpd(unittest.TestCase):
    """khttpd.csv: khttpd against nginx, paired by rep and workload."""

    def rows(self, reps, rates, p99s, bad=()):
        """reps repetitions of the three workloads; rates and p99s: per
        workload, (khttpd's, nginx's), the same every rep or a function of
        the rep; bad: (rep, server, workload) runs with 3 non-2xx responses."""
        rows = []
        for rep in range(1, reps + 1):
            for w in ("1k-keepalive", "64k-keepalive", "1k-close"):
                for i, server in enumerate(("khttpd", "nginx")):
                    rate, p99 = rates[w][i], p99s[w][i]
                    rate = rate(rep) if callable(rate) else rate
                    r = dict.fromkeys(KHTTPD_COLS, "0")
                    r.update(rep=rep, workload=w, server=server, conns=64, threads=2,
                             seconds=8.0, requests=int(rate * 8), req_per_s=rate,
                             transfer_bytes_per_s=rate * 1100, p50_us=p99 / 4, p99_us=p99,
                             non2xx=3 if (rep, server, w) in bad else 0, guest_cpu_s=16)
                    rows.append(r)
        return rows

    def report(self, reps, rates, p99s, bad=()):
        md, summary = run_summarize("khttpd", KHTTPD_COLS, self.rows(reps, rates, p99s, bad),
                                    "khttpd.md", "khttpd-summary.csv", ["--reps", str(reps)])

        def line(prefix):
            return next(x for x in md.splitlines() if x.startswith(prefix))
        return line, summary

    def test_targets_met(self):
        # 1 KiB keep-alive 1.6x nginx's rate, 64 KiB 1.0x; p99 lower or equal.
        line, summary = self.report(
            6, {"1k-keepalive": (1600, 1000), "64k-keepalive": (500, 500), "1k-close": (900, 1000)},
            {"1k-keepalive": (800, 1000), "64k-keepalive": (2000, 2000), "1k-close": (900, 1000)})
        self.assertEqual(line("| 1k-keepalive: req/s"),
                         "| 1k-keepalive: req/s ≥ 1.5× nginx's | "
                         "1.60× (1.60–1.60; 95% 1.60–1.60, 6 pairs) — yes |")
        self.assertTrue(line("| 64k-keepalive: req/s ≥ 1×").endswith(
            "1.00× (1.00–1.00; 95% 1.00–1.00, 6 pairs) — yes |"))
        self.assertTrue(line("| 1k-keepalive: p99").endswith("0.80× (0.80–0.80; 95% 0.80–0.80, "
                                                             "6 pairs) — yes |"))
        # "no worse than": equal is met
        self.assertTrue(line("| 64k-keepalive: p99").endswith("6 pairs) — yes |"))
        # no rate target for a connection per request: the ratio only
        self.assertEqual(line("| 1k-close |"),
                         "| 1k-close | 900 | 1,000 | 0.90× (0.90–0.90; 95% 0.90–0.90, 6 pairs) | "
                         "900 µs | 1,000 µs | 0.90× (0.90–0.90; 95% 0.90–0.90, 6 pairs) |")
        row = next(r for r in summary if r["workload"] == "1k-keepalive"
                   and r["metric"] == "req/s" and r["server"] == "khttpd")
        self.assertEqual((row["median"], row["ratio_khttpd_to_nginx_median"]),
                         ("1600.000", "1.600"))
        cpu = next(r for r in summary if r["workload"] == "1k-keepalive"
                   and r["metric"] == "guest CPU us/req" and r["server"] == "nginx")
        self.assertEqual(cpu["median"], "2000.000")  # 16 s over 8,000 requests

    def test_targets_missed(self):
        line, _ = self.report(
            3, {"1k-keepalive": (1400, 1000), "64k-keepalive": (450, 500), "1k-close": (1000, 1000)},
            {"1k-keepalive": (1200, 1000), "64k-keepalive": (2000, 2000), "1k-close": (1000, 1000)})
        self.assertTrue(line("| 1k-keepalive: req/s").endswith("1.40× (1.40–1.40, 3 pairs) — no |"))
        self.assertTrue(line("| 64k-keepalive: req/s").endswith("0.90× (0.90–0.90, 3 pairs) — no |"))
        self.assertTrue(line("| 1k-keepalive: p99").endswith("1.20× (1.20–1.20, 3 pairs) — no |"))

    def test_runs_with_non2xx_do_not_count(self):
        # rep 2's nginx run on 1 KiB keep-alive had non-2xx responses: reps 1
        # and 3 pair up there, and its count is kept.
        line, summary = self.report(
            3, {"1k-keepalive": (1600, 1000), "64k-keepalive": (500, 500), "1k-close": (900, 1000)},
            {"1k-keepalive": (800, 1000), "64k-keepalive": (2000, 2000), "1k-close": (900, 1000)},
            bad={(2, "nginx", "1k-keepalive")})
        self.assertIn("1.60× (1.60–1.60, 2 pairs) — yes |", line("| 1k-keepalive: req/s"))
        self.assertIn("3 pairs", line("| 64k-keepalive: req/s"))
        bad = next(r for r in summary if r["workload"] == "1k-keepalive"
                   and r["metric"] == "errors+non-2xx" and r["server"] == "nginx")
        self.assertEqual(bad["max"], "3.000")

    def test_plot_data_and_profile(self):
        # khttpd's 1 KiB rate 1000, 3000, 2000 over the reps: the plot's
        # line has the median and the range, then p99 in ms; the perf rows
        # become the profile's table.
        rows = self.rows(
            3, {"1k-keepalive": (lambda rep: (1000, 3000, 2000)[rep - 1], 500),
                "64k-keepalive": (500, 500), "1k-close": (900, 1000)},
            {"1k-keepalive": (800, 1500), "64k-keepalive": (2000, 2000), "1k-close": (900, 1000)})
        perf = ("workload,server,kind,name,percent\n"
                "1k-keepalive,khttpd,task,kworker,54.0\n"
                "1k-keepalive,nginx,task,nginx,65.0\n"
                "1k-keepalive,khttpd,symbol,memset_erms,12.1\n")
        md, _, dat = run_summarize("khttpd", KHTTPD_COLS, rows, "khttpd.md", "khttpd-summary.csv",
                                   ["--reps", "3"], inputs={"khttpd-perf.csv": perf},
                                   outputs=["khttpd.dat"])
        lines = dat.splitlines()
        self.assertEqual(lines[0].split()[:4], ["workload", "khttpd_rps", "khttpd_rps_min",
                                                "khttpd_rps_max"])
        self.assertEqual(lines[1], "1k-keepalive 2000 1000 3000 500 500 500 0.8 0.8 0.8 1.5 1.5 1.5")
        self.assertEqual([x.split()[0] for x in lines[1:]],
                         ["1k-keepalive", "64k-keepalive", "1k-close"])
        self.assertIn("## Profile: where the CPU goes under 1k-keepalive", md)
        self.assertIn("| kworker | 54.0% | – |", md)
        self.assertIn("- khttpd: `memset_erms` 12.1%", md)
        self.assertNotIn("under 64k-keepalive", md)  # no rows for it


if __name__ == "__main__":
    unittest.main()
