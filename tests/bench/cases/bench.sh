#!/bin/sh
# The benchmark suite, inside one VM: kecho (bench=0 and bench=1),
# user-echo-server and uring-echo-server, one after another on the same
# CPUs, repeated with the order rotated each time. Every measurement is a
# "# bench-row: ..." line (see tests/bench/run for the columns); test points
# only say whether each server could be run at all, never judge a number.
# vmtest-timeout: 1500
. /tests/lib.sh

# Defaults; tests/bench/run installs /tests/bench.conf to override them.
REPS=3
DURATION=4
WARMUP=1
CRR_CONNS=32
RR_CONNS=64
SWEEP_STEPS=1,10,100,250,500,1000
SWEEP_ROUNDS=10
IDLE_CONNS=10000
IDLE_HOLD=3
SERVERS="kecho-bench0 kecho-bench1 user-echo-server uring-echo-server"
[ -f /tests/bench.conf ] && . /tests/bench.conf

PORT=12345
BACKLOG=4096
BENCH=$(command -v bench || command -v kecho-bench)
[ -n "$BENCH" ] || { fail "bench program in the initramfs"; exit 1; }

diag "kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
echo "# bench-info: kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)" \
	"cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1 | tr ' ,' '__')"

# Busy jiffies (USER_HZ) of the whole guest: user nice system irq softirq steal.
cpu_busy() {
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat
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
	kecho-bench*) kecho_unload || echo "rmmod kecho failed" ;;
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
	c0=$(cpu_busy)
	"$BENCH" --mode "$mode" --port $PORT --label "$server" --format csv --no-header "$@" \
		>/tmp/bench.out 2>/tmp/bench.err
	rc=$?
	c1=$(cpu_busy)
	[ $rc -eq 0 ] || diag "bench $mode against $server exited $rc: $(tail -n 3 /tmp/bench.err)"
	total=$(awk -F, '{s += $7} END {print s + 0}' /tmp/bench.out)
	while IFS= read -r line; do
		echo "# bench-row: $rep,$line,$((c1 - c0)),$total,,,,"
	done </tmp/bench.out
}

# idle REP SERVER: hold IDLE_CONNS connections, measure memory while held.
idle() {
	rep=$1 server=$2
	sleep 1
	m0=$(mem_used_kb) s0=$(slab_kb) r0=$(rss_kb) c0=$(cpu_busy)
	"$BENCH" --mode idle --port $PORT --label "$server" --format csv --no-header \
		--conns "$IDLE_CONNS" --duration "$IDLE_HOLD" >/tmp/bench.out 2>/tmp/bench.err &
	bpid=$!
	if wait_for "grep -q '^idle:' /tmp/bench.err" 300; then
		sleep 1
		m1=$(mem_used_kb) s1=$(slab_kb) r1=$(rss_kb)
	else
		m1=$m0 s1=$s0 r1=$r0
	fi
	diag "$server: $(grep '^idle:' /tmp/bench.err)"
	wait $bpid
	c1=$(cpu_busy)
	while IFS= read -r line; do
		echo "# bench-row: $rep,$line,$((c1 - c0)),0,$((m1 - m0)),$((s1 - s0)),$((r1 - r0)),$(sockstat_line)"
	done </tmp/bench.out
}
sockstat_line() {
	awk '/^TCP:/ {print "inuse=" $3 " tw=" $7 " mem=" $11}' /proc/net/sockstat
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
		run $rep "$server" crr --conns "$CRR_CONNS" --duration "$DURATION" --warmup "$WARMUP"
		run $rep "$server" rr --conns "$RR_CONNS" --duration "$DURATION" --warmup "$WARMUP"
		run $rep "$server" sweep --steps "$SWEEP_STEPS" --rounds "$SWEEP_ROUNDS"
		idle $rep "$server"
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
