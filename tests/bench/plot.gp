# gnuplot script for the suite's plots; run from the results directory by
# tests/bench/plot (make plot). Reads sweep.dat and rates.dat written by
# tests/bench/summarize.py (and conns.dat: connections, then median, min
# and max req/s per server). Columns of sweep.dat: conns, then p50 and p99
# (ms) per server in the order of its header; rates.dat: one server a line.
set terminal pngcairo size 1000,620 font "sans,11" noenhanced
set datafile missing "NaN"
set key top left box opaque
set grid xtics ytics mxtics mytics lc rgb "#dddddd"

# Servers in the files' order, with a fixed colour each.
servers = system("awk 'NR > 1 {print $1}' rates.dat")
nserv = words(servers)
color(i) = word("#d62728 #ff7f0e #1f77b4 #2ca02c #9467bd #8c564b", i)

# 1. Latency against concurrency (the sweep): p99 solid, p50 dashed. Only
# if the sweep ran (tests/bench/run --workloads may leave it out).
sweep_levels = int(system("awk 'NR > 1' sweep.dat | wc -l"))
if (sweep_levels > 0) {
    set output "latency-vs-concurrency.png"
    set title "Echo latency when N connections send at once (sweep; QEMU TCG guest, loopback)"
    set xlabel "concurrent connections released together"
    set ylabel "latency from release to echo (ms)"
    set logscale xy
    set format y "%g"
    plot for [i=1:nserv] "sweep.dat" using 1:(column(2*i+1)) with linespoints lw 2 pt 7 \
             lc rgb color(i) title word(servers, i)." p99", \
         for [i=1:nserv] "sweep.dat" using 1:(column(2*i)) with linespoints lw 1 dt 2 pt 6 \
             lc rgb color(i) title word(servers, i)." p50"
}

# 2. rr's requests per second against connections (the conns workload),
# median with min..max bars. Only if it ran.
rr_levels = int(system("test -f conns.dat && awk 'NR > 1' conns.dat | wc -l || echo 0"))
if (rr_levels > 0) {
    set output "rate-vs-connections.png"
    set title "rr: requests per second against connections (median, bars min..max; QEMU TCG guest)"
    set xlabel "connections, each with one 64-byte request in flight"
    set ylabel "req/s"
    unset logscale
    set logscale x
    set format y "%g"
    set yrange [0:*]
    plot for [i=1:nserv] "conns.dat" using 1:(column(3*i-1)):(column(3*i)):(column(3*i+1)) \
             with yerrorlines lw 2 pt 7 lc rgb color(i) title word(servers, i)
    unset logscale
    set yrange [*:*]
}

# 3. Requests per second per server and workload, with the spread over
# repetitions, and guest CPU time per request.
set output "rates.png"
unset logscale
set format y "%g"
set multiplot layout 1,2 title "Per server and workload (median; bars: min..max over repetitions; QEMU TCG guest)"
set title "requests per second (higher is better)"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics ("crr" 0, "rr, 64 conns" 1)
set xlabel ""
set ylabel "req/s"
set yrange [0:*]
set offsets 0, 0, graph 0.35, 0
set key top left
plot for [i=1:nserv] "< awk 'NR > 1 {print $2, $3, $4; } NR > 1 {}' rates.dat | sed -n '".i."p'; awk 'NR > 1 {print $5, $6, $7}' rates.dat | sed -n '".i."p'" \
        using 1:2:3 lc rgb color(i) title word(servers, i)
set title "guest CPU time per request (lower is better)"
set ylabel "microseconds of CPU per request"
set style histogram clustered gap 2
plot for [i=1:nserv] "< awk 'NR > 1 {print $8}' rates.dat | sed -n '".i."p'; awk 'NR > 1 {print $9}' rates.dat | sed -n '".i."p'" \
        using 1 lc rgb color(i) title word(servers, i)
unset multiplot
