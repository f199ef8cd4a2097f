# gnuplot script for the khttpd report's plot; run from the results
# directory by tests/bench/plot. Reads khttpd.dat written by
# tests/bench/summarize.py --khttpd: a line per workload, then per server
# the median, min and max req/s, then per server the same of p99 in ms.
set terminal pngcairo size 1200,560 font "sans,11" noenhanced
set datafile missing "NaN"
set output "khttpd.png"
color(i) = word("#d62728 #1f77b4 #2ca02c #9467bd", i)
nserv = int(system("awk 'NR == 1 { print (NF - 1) / 6 }' khttpd.dat"))
server(i) = system(sprintf("awk 'NR == 1 { n = $%d; sub(/_rps$/, \"\", n); print n }' khttpd.dat", 3 * i - 1))

set multiplot layout 1,2 title "khttpd against nginx, wrk with 64 connections (median; bars: min..max over repetitions; QEMU TCG guest)"
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set grid ytics lc rgb "#dddddd"
set key top right box opaque
set yrange [0:*]
set offsets 0, 0, graph 0.2, 0
set title "requests per second (higher is better)"
set ylabel "req/s"
plot for [i=1:nserv] "khttpd.dat" every ::1 using (column(3*i-1)):(column(3*i)):(column(3*i+1)):xtic(1) \
        lc rgb color(i) title server(i)
set title "p99 latency (lower is better)"
set ylabel "ms"
plot for [i=1:nserv] "khttpd.dat" every ::1 using (column(3*nserv+3*i-1)):(column(3*nserv+3*i)):(column(3*nserv+3*i+1)):xtic(1) \
        lc rgb color(i) title server(i)
unset multiplot
