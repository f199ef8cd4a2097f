#!/bin/sh
# khttpd against Debian's nginx, inside one VM: both serve the same tree in
# /tmp/www, one after the other on the same vCPUs, REPS repetitions with the
# order swapped each time; Debian's wrk in the same guest drives each
# workload for DURATION seconds after an unrecorded warm-up of WARMUP
# seconds (rounded up; 0: none):
#   1k-keepalive   a 1 KiB file, keep-alive, KHTTPD_CONNS connections
#   64k-keepalive  a 64 KiB file, the same
#   1k-close       the 1 KiB file, a connection per request
#                  (wrk -H 'Connection: close')
# and then (PROFILE=1) a perf profile of each server under each keep-alive
# workload: where the guest's CPU goes, by task and by symbol.
# with `wrk --latency -t <guest CPUs> -c KHTTPD_CONNS -d DURATION`. Every
# measurement is a "# khttpd-row: ..." line (columns: tests/bench/run); test
# points only say whether each server ran and served without errors or
# non-2xx responses, never judge a number.
# vmtest-timeout: 1500
. /tests/lib.sh
. /tests/khttpd-lib.sh
. /tests/nginx-lib.sh
. /tests/perf-lib.sh

# Defaults; tests/bench/run installs /tests/bench.conf to override them.
REPS=3
DURATION=8
WARMUP=1
KHTTPD_CONNS=64
KHTTPD_WORKLOADS="1k-keepalive 64k-keepalive 1k-close"
KHTTPD_SERVERS="khttpd nginx"
# wrk's threads; empty: one per guest CPU
WRK_THREADS=""
# 1: after the repetitions, a perf profile of each server under each
# keep-alive workload ("# khttpd-perf: ..." rows)
PROFILE=1
[ -f /tests/bench.conf ] && . /tests/bench.conf

WWW=/tmp/www
require_module khttpd
require_nginx

cpus=$(grep -c ^processor /proc/cpuinfo)
[ "${cpus:-0}" -gt 0 ] 2>/dev/null || cpus=2
threads=${WRK_THREADS:-$cpus}
# wrk takes whole seconds
secs() { awk -v s="$1" 'BEGIN { n = int(s); if (n < s) n++; print n }'; }
duration=$(secs "$DURATION")
[ "$duration" -gt 0 ] || duration=1
warmup=$(secs "$WARMUP")

nginx_version=$(nginx -v 2>&1 | sed -n 's|.*nginx/\([^ ]*\).*|\1|p')
wrk_version=$(wrk -v 2>&1 | awk '$1 == "wrk" { print $2; exit }')
bench_info "nginx=${nginx_version:-?}" "wrk=${wrk_version:-?}"
diag "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)," \
	"nginx $nginx_version, wrk $wrk_version, $threads wrk threads, cmdline: $(cat /proc/cmdline)"

# The tree: random bytes, world-readable (nginx's workers run as nobody).
rm -rf $WWW
mkdir -p $WWW
head -c 1024 /dev/urandom >$WWW/1k.bin
head -c 65536 /dev/urandom >$WWW/64k.bin
chmod 755 $WWW
chmod 644 $WWW/1k.bin $WWW/64k.bin

# Busy jiffies (USER_HZ) of the whole guest: user nice system irq softirq steal.
busy_jiffies() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

start_server() {
	case $1 in
	khttpd) khttpd_load root=$WWW port=$KHTTPD_PORT ;;
	nginx) nginx_start $WWW ;;
	*) return 1 ;;
	esac
}
stop_server() {
	case $1 in
	khttpd) khttpd_unload ;;
	nginx) nginx_stop ;;
	esac
}
port_of() {
	case $1 in
	khttpd) echo $KHTTPD_PORT ;;
	*) echo $NGINX_PORT ;;
	esac
}

# wrk_run SECONDS WORKLOAD PORT: wrk's report on stdout, its errors in
# /tmp/wrk.err
wrk_run() {
	case $2 in
	1k-keepalive) wrk --latency -t "$threads" -c "$KHTTPD_CONNS" -d "$1s" "http://127.0.0.1:$3/1k.bin" ;;
	64k-keepalive) wrk --latency -t "$threads" -c "$KHTTPD_CONNS" -d "$1s" "http://127.0.0.1:$3/64k.bin" ;;
	1k-close) wrk --latency -t "$threads" -c "$KHTTPD_CONNS" -d "$1s" -H 'Connection: close' \
		"http://127.0.0.1:$3/1k.bin" ;;
	*) echo "unknown workload $2" >&2 && return 1 ;;
	esac 2>/tmp/wrk.err
}

# wrk_fields: from wrk's report on stdin, "seconds requests req_per_s
# transfer_bytes_per_s p50_us p75_us p90_us p99_us errors non2xx" (times in
# us, wrk's binary K/M/G in bytes); "-" for anything missing.
wrk_fields() {
	awk '
	function us(v, n) {
		n = v + 0
		if (v ~ /us$/) return n
		if (v ~ /ms$/) return n * 1000
		if (v ~ /s$/) return n * 1000000
		if (v ~ /m$/) return n * 60000000
		if (v ~ /h$/) return n * 3600000000
		return n
	}
	function bytes(v, n, u) {
		n = v + 0
		u = v
		sub(/^[0-9.]+/, "", u)
		sub(/B$/, "", u)
		if (u == "K") return n * 1024
		if (u == "M") return n * 1048576
		if (u == "G") return n * 1073741824
		if (u == "T") return n * 1099511627776
		return n
	}
	function f(v) { return v == "" ? "-" : v }
	BEGIN { errors = 0; non2xx = 0 }
	$1 == "50%" { p50 = sprintf("%.0f", us($2)) }
	$1 == "75%" { p75 = sprintf("%.0f", us($2)) }
	$1 == "90%" { p90 = sprintf("%.0f", us($2)) }
	$1 == "99%" { p99 = sprintf("%.0f", us($2)) }
	$2 == "requests" && $3 == "in" {
		req = $1
		t = $4
		sub(/,$/, "", t)
		secs = sprintf("%.2f", us(t) / 1000000)
	}
	/Socket errors:/ { for (i = 3; i < NF; i += 2) { v = $(i + 1); sub(/,$/, "", v); errors += v } }
	/Non-2xx or 3xx responses:/ { non2xx = $NF }
	$1 == "Requests/sec:" { rps = $2 }
	$1 == "Transfer/sec:" { tps = sprintf("%.0f", bytes($2)) }
	END {
		print f(secs), f(req), f(rps), f(tps), f(p50), f(p75), f(p90), f(p99), errors, non2xx
		if (rps == "" || req == "") exit 1
	}'
}

# measure REP SERVER WORKLOAD: a warm-up, then the measured run; its row
# goes out as a khttpd-row.
measure() {
	rep=$1 server=$2 workload=$3
	port=$(port_of "$server")
	if [ "$warmup" -gt 0 ]; then
		wrk_run "$warmup" "$workload" "$port" >/tmp/wrk.warm ||
			diag "warm-up of $workload against $server exited $?: $(tail -n 3 /tmp/wrk.err)"
	fi
	c0=$(busy_jiffies)
	wrk_run "$duration" "$workload" "$port" >/tmp/wrk.out
	rc=$?
	c1=$(busy_jiffies)
	if ! fields=$(wrk_fields </tmp/wrk.out) || [ $rc -ne 0 ]; then
		fail "rep $rep: $server served $workload" \
			"wrk exited $rc: $(tail -n 3 /tmp/wrk.err) $(tail -n 5 /tmp/wrk.out)"
		return
	fi
	# shellcheck disable=SC2086
	set -- $fields
	cpu=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", (b - a) / 100 }')
	echo "# khttpd-row: $rep,$workload,$server,$KHTTPD_CONNS,$threads,$1,$2,$3,$4,$5,$6,$7,$8,$9,${10},$cpu"
	if [ "$2" -gt 0 ] && [ "$9" -eq 0 ] && [ "${10}" -eq 0 ]; then
		ok "rep $rep: $server served $workload ($2 requests, no errors, no non-2xx)"
	else
		fail "rep $rep: $server served $workload without errors or non-2xx" \
			"$2 requests, $9 socket errors, ${10} non-2xx: $(grep -E 'Socket errors|Non-2xx' /tmp/wrk.out)"
	fi
}

rep=1
while [ $rep -le "$REPS" ]; do
	# Swap the order every repetition (AB BA AB ...).
	if [ $((rep % 2)) -eq 1 ]; then
		order=$KHTTPD_SERVERS
	else
		order=$(echo $KHTTPD_SERVERS | awk '{ for (i = NF; i > 0; i--) printf "%s ", $i }')
	fi
	for server in $order; do
		if ! start_server "$server"; then
			fail "rep $rep: start $server"
			[ "$server" = nginx ] && nginx_log
			stop_server "$server" >/dev/null 2>&1
			continue
		fi
		diag "rep $rep: $server"
		for workload in $KHTTPD_WORKLOADS; do
			measure $rep "$server" "$workload"
			sleep 1
		done
		case $server in
		khttpd) khttpd_counters ;;
		nginx) nginx_log ;;
		esac
		check "rep $rep: stop $server" stop_server "$server"
	done
	rep=$((rep + 1))
done

[ "$PROFILE" = 1 ] || exit 0
# Without perf, no load to run for it (perf_sample would only say so).
command -v perf >/dev/null || { diag "no perf in the guest: perf profile skipped"; exit 0; }
# The server's own tasks: khttpd runs in kworkers (its socket callbacks in
# softirq, which perf counts to whatever task was interrupted), nginx in its
# workers.
for server in $KHTTPD_SERVERS; do
	case $server in khttpd) task=kworker ;; *) task=nginx ;; esac
	start_server "$server" || continue
	for workload in $KHTTPD_WORKLOADS; do
		case $workload in *-keepalive) ;; *) continue ;; esac
		# perf takes seconds to start under TCG: the load outlasts it.
		wrk_run 12 "$workload" "$(port_of "$server")" >/dev/null &
		wp=$!
		sleep 3
		perf_sample khttpd-perf "$workload" "$server" "$task"
		wait $wp
	done
	stop_server "$server" >/dev/null 2>&1
done
