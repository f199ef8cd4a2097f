#!/bin/sh
# The benchmark suite, inside one VM: kecho (bench=0 and bench=1, and
# mode=message with framed requests), user-echo-server and uring-echo-server, one after another on the same
# CPUs, repeated with the order rotated each time. Every measurement is a
# "# bench-row: ..." line (see tests/bench/run for the columns); test points
# only say whether each server could be run at all, never judge a number.
# vmtest-timeout: 1500
. /tests/lib.sh
. /tests/perf-lib.sh

# Defaults; tests/bench/run installs /tests/bench.conf to override them.
REPS=3
DURATION=8
WARMUP=1
CRR_CONNS=32
RR_CONNS=64
STREAM_CONNS=16
# conns: rr at each of these connection counts, LEVEL_DURATION s each
RR_LEVELS="1 10 100 1000"
LEVEL_DURATION=3
STREAM_SIZE=1048576
SWEEP_STEPS=1,10,100,250,500,1000
SWEEP_ROUNDS=10
IDLE_CONNS=10000
IDLE_HOLD=3
# idle from this many loopback source addresses (0: 127.0.0.1 only); one
# address has about 28,000 ephemeral ports (make bench-scale: 100,000
# connections from 8)
IDLE_SOURCES=0
# 1: also time rmmod kecho with IDLE_CONNS open (make bench-scale)
IDLE_RMMOD=0
SERVERS="kecho-bench0 kecho-bench1 kecho-message user-echo-server uring-echo-server"
WORKLOADS="crr rr stream conns sweep idle"
PROFILE=1
[ -f /tests/bench.conf ] && . /tests/bench.conf

PORT=12345
BACKLOG=4096
BENCH=$(command -v bench || command -v kecho-bench)
[ -n "$BENCH" ] || { fail "bench program in the initramfs"; exit 1; }

diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
bench_info "slub_debug=$(sed -n 's/.*slub_debug=\([^ ]*\).*/\1/p' /proc/cmdline | grep . || echo off)"
diag "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"

# Busy jiffies (USER_HZ) of the whole guest: user nice system irq softirq steal.
cpu_busy() {
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
}
ctxt() {
	awk '/^ctxt / {print $2}' /proc/stat
}
mem_used_kb() {
	awk '/^MemTotal:/ {t = $2} /^MemFree:/ {f = $2} END {print t - f}' /proc/meminfo
}
slab_kb() {
	awk '/^Slab:/ {print $2}' /proc/meminfo
}
rss_kb() {
	[ -n "$SERVER_PID" ] || { echo 0; return; }
	awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0
}

SERVER_PID=""
start_server() {
	case $1 in
	kecho-bench0) kecho_load port=$PORT backlog=$BACKLOG bench=0 max_conns=100000 ;;
	kecho-bench1) kecho_load port=$PORT backlog=$BACKLOG bench=1 max_conns=100000 ;;
	kecho-message) kecho_load port=$PORT backlog=$BACKLOG bench=0 max_conns=100000 mode=message ;;
	user-echo-server | uring-echo-server)
		command -v "$1" >/dev/null || return 1
		"$1" --port $PORT --backlog $BACKLOG 2>/tmp/server.err &
		SERVER_PID=$!
		wait_for "port_listening $PORT" 10 || return 1
		sed 's/^/# /' /tmp/server.err
		;;
	*) return 1 ;;
	esac
}
# Must run in this shell (not under check, whose subshell cannot wait for
# the server): prints why it failed, if it did.
stop_server() {
	case $1 in
	kecho-*) kecho_unload || echo "rmmod kecho failed" ;;
	*)
		[ -n "$SERVER_PID" ] || return 0
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID"
		rc=$?
		SERVER_PID=""
		[ $rc -eq 0 ] || echo "exit status $rc after SIGTERM: $(tail -n 2 /tmp/server.err)"
		;;
	esac
}

# run REP SERVER MODE BENCH-ARGS...: one bench run; prints its rows with the
# guest CPU time it took.
run() {
	rep=$1 server=$2 mode=$3
	shift 3
	# Message mode is measured with framed requests, crr and rr only.
	if [ "$server" = kecho-message ]; then
		case $mode in crr | rr) set -- --framed "$@" ;; *) return 0 ;; esac
	fi
	# The server's own CPU time, beside the client's (the client's ceiling).
	case $mode,$server in
	sweep,*) ;;
	*,kecho*) set -- "$@" --server-kworkers ;;
	*) set -- "$@" --server-pid "$SERVER_PID" ;;
	esac
	c0=$(cpu_busy) x0=$(ctxt)
	"$BENCH" --mode "$mode" --port $PORT --label "$server" --format csv --no-header "$@" \
		>/tmp/bench.out 2>/tmp/bench.err
	rc=$?
	c1=$(cpu_busy) x1=$(ctxt)
	[ $rc -eq 0 ] || diag "bench $mode against $server exited $rc: $(tail -n 3 /tmp/bench.err)"
	total=$(awk -F, '{s += $7} END {print s + 0}' /tmp/bench.out)
	while IFS= read -r line; do
		echo "# bench-row: $rep,$line,$((c1 - c0)),$total,$((x1 - x0)),,,,"
	done </tmp/bench.out
}

# kcm_rr REP: a KCM client's rr against kecho mode=message: RR_CONNS
# multiplexors (a thread each), one TCP connection and one 64-byte message
# in flight each (see docs/KCM.md for why one). No latencies: a row with
# the rate only, as server "kecho-kcm".
kcm_rr() {
	rep=$1
	client=$(command -v kecho-testclient) || { diag "no kecho-testclient: KCM rr skipped"; return 0; }
	modprobe kcm 2>/dev/null || { diag "no kcm.ko: KCM rr skipped"; return 0; }
	count=$((DURATION * 400))
	c0=$(cpu_busy) x0=$(ctxt)
	"$client" kcm --muxes "$RR_CONNS" --conns 1 --count "$count" --min-size 64 --max-size 64 \
		--port $PORT >/tmp/kcm.out 2>&1
	rc=$?
	c1=$(cpu_busy) x1=$(ctxt)
	sed 's/^/# /' /tmp/kcm.out
	[ $rc -eq 0 ] || return 0
	secs=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' /tmp/kcm.out)
	n=$((RR_CONNS * count))
	rate=$(awk -v n=$n -v s="$secs" 'BEGIN { if (s > 0) printf "%.1f", n / s }')
	echo "# bench-row: $rep,rr,kecho-kcm,$RR_CONNS,$RR_CONNS,64,$secs,$n,$rate,$((n * 68)),,,,,,,0,0,,,,$((c1 - c0)),$n,$((x1 - x0)),,,,"
}

# idle REP SERVER: hold IDLE_CONNS connections, measure memory while held.
idle() {
	rep=$1 server=$2
	set --
	[ "$IDLE_SOURCES" -gt 0 ] && set -- --sources "$IDLE_SOURCES"
	sleep 1
	m0=$(mem_used_kb) s0=$(slab_kb) r0=$(rss_kb) c0=$(cpu_busy) x0=$(ctxt)
	"$BENCH" --mode idle --port $PORT --label "$server" --format csv --no-header \
		--conns "$IDLE_CONNS" --duration "$IDLE_HOLD" "$@" >/tmp/bench.out 2>/tmp/bench.err &
	bpid=$!
	if wait_for "grep -q '^idle:' /tmp/bench.err" 300; then
		sleep 1
		m1=$(mem_used_kb) s1=$(slab_kb) r1=$(rss_kb)
	else
		m1=$m0 s1=$s0 r1=$r0
	fi
	diag "$server: $(grep '^idle:' /tmp/bench.err)"
	wait $bpid
	c1=$(cpu_busy) x1=$(ctxt)
	while IFS= read -r line; do
		echo "# bench-row: $rep,$line,$((c1 - c0)),0,$((x1 - x0)),$((m1 - m0)),$((s1 - s0)),$((r1 - r0)),$(sockstat_line)"
	done </tmp/bench.out
}
# rmmod_open REP: time rmmod kecho with IDLE_CONNS connections open, then
# load it again. Row: "# bench-rmmod: rep,open,seconds".
rmmod_open() {
	rep=$1
	set --
	[ "$IDLE_SOURCES" -gt 0 ] && set -- --sources "$IDLE_SOURCES"
	"$BENCH" --mode idle --port $PORT --format csv --no-header --conns "$IDLE_CONNS" \
		--duration 600 "$@" >/dev/null 2>/tmp/rmmod.err &
	bpid=$!
	if wait_for "grep -q '^idle:' /tmp/rmmod.err" 600; then
		open=$(kecho_counter active)
		t0=$(now_ms)
		rmmod kecho
		t1=$(now_ms)
		echo "# bench-rmmod: $rep,$open,$(((t1 - t0) / 1000)).$(printf %03d $(((t1 - t0) % 1000)))"
	fi
	kill "$bpid" 2>/dev/null
	wait "$bpid" 2>/dev/null
	kecho_loaded || start_server kecho-bench0
}
sockstat_line() {
	awk '/^TCP:/ {print "inuse=" $3 " tw=" $7 " mem=" $11}' /proc/net/sockstat
}

# profile SERVER WORKLOAD: kecho's callback-to-work latency under rr or crr
# load, from the workqueue tracepoints (queue_work on the kecho workqueue ->
# the work item starting to run), and how many work items run per request
# (crr: per connection).
TRACE=/sys/kernel/debug/tracing
profile() {
	server=$1 workload=$2
	[ -d $TRACE/events/workqueue ] || { diag "no tracefs: profile skipped"; return 0; }
	start_server "$server" || return 0
	echo 0 >$TRACE/tracing_on
	echo >$TRACE/trace
	echo 8192 >$TRACE/buffer_size_kb
	echo 'workqueue == "kecho"' >$TRACE/events/workqueue/workqueue_queue_work/filter
	echo 1 >$TRACE/events/workqueue/workqueue_queue_work/enable
	echo 1 >$TRACE/events/workqueue/workqueue_execute_start/enable
	x0=$(ctxt)
	echo 1 >$TRACE/tracing_on
	case $workload in
	crr) conns=$CRR_CONNS ;;
	*) conns=$RR_CONNS ;;
	esac
	"$BENCH" --mode "$workload" --port $PORT --conns "$conns" --duration 2 --warmup 0 \
		--format csv --no-header >/tmp/prof.out 2>/dev/null
	echo 0 >$TRACE/tracing_on
	x1=$(ctxt)
	echo 0 >$TRACE/events/workqueue/workqueue_queue_work/enable
	echo 0 >$TRACE/events/workqueue/workqueue_execute_start/enable
	echo 0 >$TRACE/events/workqueue/workqueue_queue_work/filter
	req=$(awk -F, '{print $7 + 0}' /tmp/prof.out)
	# Pair each queue_work with the start of that work item; latencies in us.
	awk '
		/workqueue_queue_work:/ {
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^struct=/) w = substr($i, 8)
				if ($i ~ /^function=/) f = substr($i, 10)
			}
			ts = $0; sub(/: workqueue_queue_work.*/, "", ts); n = split(ts, t, " ")
			q[w] = t[n]; print "Q " f >"/tmp/prof.queued"
		}
		/workqueue_execute_start:/ {
			w = $0; sub(/.*work struct /, "", w); sub(/:.*/, "", w)
			if (!(w in q)) next
			ts = $0; sub(/: workqueue_execute_start.*/, "", ts); n = split(ts, t, " ")
			printf "%.1f\n", (t[n] - q[w]) * 1e6
			delete q[w]
		}' $TRACE/trace | sort -n >/tmp/prof.lat
	nl=$(wc -l </tmp/prof.lat)
	pct() { sed -n "$(((nl * $1 + 99) / 100))p" /tmp/prof.lat; }
	if [ "$nl" -gt 0 ]; then
		mean=$(awk '{s += $1} END {printf "%.1f", s / NR}' /tmp/prof.lat)
		p50=$(pct 50) p90=$(pct 90) p99=$(pct 99)
	else
		mean=0 p50=0 p90=0 p99=0
	fi
	nio=$(grep -c 'kecho_conn_io_work' /tmp/prof.queued 2>/dev/null)
	nacc=$(grep -c 'accept_work' /tmp/prof.queued 2>/dev/null)
	nrel=$(grep -c 'release_work' /tmp/prof.queued 2>/dev/null)
	cps=$(awk -v c=$((x1 - x0)) -v r="${req:-0}" 'BEGIN {printf "%.2f", r ? c / r : 0}')
	echo "# bench-profile: $workload,$server,${req:-0},$nl,${nio:-0},${nacc:-0},${nrel:-0},$mean,$p50,$p90,$p99,$cps"
	rm -f /tmp/prof.queued /tmp/prof.lat
	echo >$TRACE/trace
	echo 1408 >$TRACE/buffer_size_kb
	stop_server "$server" >/dev/null 2>&1
}

# perf_profile SERVER WORKLOAD: where the guest's CPU goes under rr, crr or
# stream load (perf_sample, perf-lib.sh): "# bench-perf: ..." rows. The
# server's own tasks are the kworkers for kecho, the program for the
# userspace servers; the client's copies are not the server's.
perf_profile() {
	server=$1 workload=$2
	command -v perf >/dev/null || { diag "no perf in the guest: perf profile skipped"; return 0; }
	start_server "$server" || return 0
	case $workload in
	stream) set -- --conns "$STREAM_CONNS" --size "$STREAM_SIZE" ;;
	crr) set -- --conns "$CRR_CONNS" ;;
	*) set -- --conns "$RR_CONNS" ;;
	esac
	# perf takes seconds to start under TCG: the load outlasts it by far.
	"$BENCH" --mode "$workload" --port $PORT "$@" --duration 10 --warmup 1 \
		--format csv --no-header >/dev/null 2>&1 &
	bp=$!
	sleep 3
	case $server in kecho*) task=kworker ;; *) task=$(echo "$server" | cut -c1-15) ;; esac
	perf_sample bench-perf "$workload" "$server" "$task"
	wait $bp
	stop_server "$server" >/dev/null 2>&1
}

wants() { # is workload $1 in WORKLOADS?
	case " $WORKLOADS " in *" $1 "*) return 0 ;; esac
	return 1
}

rotate() { # print the list starting at position $1 (0-based)
	n=$1
	shift
	i=0
	for s in "$@"; do [ $i -ge "$n" ] && printf '%s ' "$s"; i=$((i + 1)); done
	i=0
	for s in "$@"; do [ $i -lt "$n" ] && printf '%s ' "$s"; i=$((i + 1)); done
}

nservers=$(echo $SERVERS | wc -w)
rep=1
while [ $rep -le "$REPS" ]; do
	for server in $(rotate $(((rep - 1) % nservers)) $SERVERS); do
		if ! start_server "$server"; then
			fail "rep $rep: start $server"
			stop_server "$server" >/dev/null 2>&1
			continue
		fi
		diag "rep $rep: $server"
		wants crr && run $rep "$server" crr --conns "$CRR_CONNS" --duration "$DURATION" --warmup "$WARMUP"
		wants crr && [ "$server" != kecho-message ] &&
			run $rep "$server" crr --client blocking --conns "$CRR_CONNS" \
				--duration "$DURATION" --warmup "$WARMUP"
		wants rr && run $rep "$server" rr --conns "$RR_CONNS" --duration "$DURATION" --warmup "$WARMUP"
		wants rr && [ "$server" = kecho-message ] && kcm_rr $rep
		# The same rr from a blocking thread per connection: a client
		# with less work per request than the epoll loop's.
		wants rr && [ "$server" != kecho-message ] &&
			run $rep "$server" rr --client blocking --conns "$RR_CONNS" \
				--duration "$DURATION" --warmup "$WARMUP"
		wants stream && [ "$server" != kecho-message ] &&
			run $rep "$server" stream --conns "$STREAM_CONNS" --size "$STREAM_SIZE" \
				--duration "$DURATION" --warmup "$WARMUP"
		if wants conns && [ "$server" != kecho-message ]; then
			for n in $RR_LEVELS; do
				run $rep "$server" rr --conns "$n" --duration "$LEVEL_DURATION" --warmup "$WARMUP"
			done
		fi
		wants sweep && run $rep "$server" sweep --steps "$SWEEP_STEPS" --rounds "$SWEEP_ROUNDS"
		wants idle && [ "$server" != kecho-message ] && idle $rep "$server"
		[ "$IDLE_RMMOD" = 1 ] && [ "$server" = kecho-bench0 ] && wants idle && rmmod_open $rep
		if [ "${server#kecho}" != "$server" ]; then
			kecho_counters
		fi
		stop_server "$server" >/tmp/stop.why 2>&1
		why=$(cat /tmp/stop.why)
		if [ -z "$why" ]; then
			ok "rep $rep: $server ran and stopped cleanly"
		else
			fail "rep $rep: $server ran and stopped cleanly" "$why"
		fi
	done
	rep=$((rep + 1))
done
[ "$PROFILE" = 1 ] || exit 0
for server in $SERVERS; do
	# The profiles drive plain rr, which message mode would not echo.
	[ "$server" = kecho-message ] && continue
	case $server in
	kecho*)
		if wants rr; then profile "$server" rr; fi
		if wants crr; then profile "$server" crr; fi
		;;
	esac
	if wants rr; then perf_profile "$server" rr; fi
	if wants crr; then perf_profile "$server" crr; fi
	if wants stream; then perf_profile "$server" stream; fi
done
