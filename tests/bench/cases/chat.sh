#!/bin/sh
# The chat benchmark, inside one VM: kecho mode=chat against the userspace
# relay (user-echo-server --mode chat), one after another on the same
# CPUs, REPS repetitions with the order swapped each time, for each room
# shape in CHAT_ROOMS (SxR: S senders, R receivers). The load is open-loop:
# the same offered rate for both servers (CHAT_RATE_<S>x<R>, messages per
# second over all senders), so both deliver the same messages and the
# comparison is CPU per delivery and latency at equal load. Every
# measurement is a "# chat-row: ..." line (columns: tests/bench/run); test
# points only say whether each server ran, never judge a number.
# vmtest-timeout: 1500
. /tests/lib.sh
. /tests/perf-lib.sh

REPS=3
CHAT_DURATION=5
CHAT_WARMUP=1
CHAT_SIZE=64
CHAT_WINDOW=64
CHAT_ROOMS="1x1000 100x100"
CHAT_RATE_1x1000=25
CHAT_RATE_100x100=125
# Also user-chat-relay-1t: the relay with one thread (--threads 1), and
# kecho-chat-nosplit: kecho with chat_split=0 (one worker per message's
# fan-out, however large the room).
CHAT_SERVERS="kecho-chat user-chat-relay"
# 1: a perf profile of each server in CHAT_PROFILE_ROOM after the reps.
PROFILE=1
# Rooms profiled, one after another.
CHAT_PROFILE_ROOM=1x1000
# Where the servers' time goes, callees included (perf_under): TCP's send,
# which runs loopback's receive and the reader's wake-up in its softirq
# (do_tcp_sendpages: kecho's sends by reference, on kernels that still
# have sendpage; newer ones send those through tcp_sendmsg_locked too);
# that receive and that wake-up alone; the relay's system calls; kecho's
# work items.
# shellcheck disable=SC2034 # read by perf_sample (perf-lib.sh)
PERF_UNDER="tcp_sendmsg_locked do_tcp_sendpages net_rx_action sock_def_readable do_syscall_64 process_one_work"
[ -f /tests/bench.conf ] && . /tests/bench.conf

PORT=12345
BACKLOG=4096
BENCH=$(command -v bench || command -v kecho-bench)
[ -n "$BENCH" ] || { fail "bench program in the initramfs"; exit 1; }

bench_info
diag "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)," \
	"cmdline: $(cat /proc/cmdline)"

SERVER_PID=""
start_server() {
	case $1 in
	kecho-chat | kecho-chat-nosplit)
		# -nosplit: every message's fan-out on one worker.
		split=""
		[ "$1" = kecho-chat-nosplit ] && split=chat_split=0
		# shellcheck disable=SC2086
		kecho_load port=$PORT backlog=$BACKLOG max_conns=100000 mode=chat $split ;;
	user-chat-relay | user-chat-relay-1t)
		command -v user-echo-server >/dev/null || return 1
		# -1t: one thread for the whole room, no hand-off between threads.
		threads=""
		[ "$1" = user-chat-relay-1t ] && threads="--threads 1"
		# shellcheck disable=SC2086
		user-echo-server --mode chat --port $PORT --backlog $BACKLOG $threads 2>/tmp/server.err &
		SERVER_PID=$!
		wait_for "port_listening $PORT" 10 || return 1
		;;
	*) return 1 ;;
	esac
}
stop_server() {
	case $1 in
	kecho-*) kecho_unload || echo "rmmod kecho failed" ;;
	*)
		[ -n "$SERVER_PID" ] || return 0
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID"
		rc=$?
		SERVER_PID=""
		sed 's/^/# /' /tmp/server.err
		[ $rc -eq 0 ] || echo "exit status $rc after SIGTERM: $(tail -n 2 /tmp/server.err)"
		;;
	esac
}

# fanout SxR ARGS...: the room's load (its offered rate, the case's message
# size and window) from kecho-bench, with ARGS added.
fanout() {
	eval _rate=\${CHAT_RATE_$1:-0}
	_shape=$1
	shift
	"$BENCH" --mode fanout --port $PORT --senders "${_shape%x*}" --receivers "${_shape#*x}" \
		--size "$CHAT_SIZE" --rate "$_rate" --window "$CHAT_WINDOW" "$@"
}

# room REP SERVER SxR: one fanout run; its CSV row goes out as a chat-row.
room() {
	rep=$1 server=$2 shape=$3
	case $server in
	kecho-*) who=--server-kworkers ;;
	*) who="--server-pid $SERVER_PID" ;;
	esac
	# shellcheck disable=SC2086
	fanout "$shape" --label "$server" --format csv --no-header \
		--duration "$CHAT_DURATION" --warmup "$CHAT_WARMUP" $who \
		>/tmp/bench.out 2>/tmp/bench.err
	rc=$?
	[ $rc -eq 0 ] || diag "fanout $shape against $server exited $rc: $(tail -n 3 /tmp/bench.err)"
	while IFS= read -r line; do
		echo "# chat-row: $rep,$shape,$line"
	done </tmp/bench.out
}

nservers=$(echo $CHAT_SERVERS | wc -w)
rep=1
while [ $rep -le "$REPS" ]; do
	# Rotate the order every repetition (two servers: AB BA AB ...).
	order=$(echo $CHAT_SERVERS | awk -v k=$(((rep - 1) % nservers)) \
		'{for (i = 0; i < NF; i++) printf "%s ", $((i + k) % NF + 1)}')
	for server in $order; do
		if ! start_server "$server"; then
			fail "rep $rep: start $server"
			stop_server "$server" >/dev/null 2>&1
			continue
		fi
		diag "rep $rep: $server"
		for shape in $CHAT_ROOMS; do
			room $rep "$server" "$shape"
			sleep 1
		done
		case $server in kecho*) kecho_counters ;; esac
		stop_server "$server" >/tmp/stop.why 2>&1
		why=$(grep -v '^#' /tmp/stop.why)
		grep '^#' /tmp/stop.why
		if [ -z "$why" ]; then
			ok "rep $rep: $server ran and stopped cleanly"
		else
			fail "rep $rep: $server ran and stopped cleanly" "$why"
		fi
	done
	rep=$((rep + 1))
done

# chat_profile SERVER ROOM: where the guest's CPU goes while SERVER relays
# ROOM (perf_sample): "# chat-perf: ..." rows. The
# server's own tasks are the kworkers for kecho, the relay's process else.
chat_profile() {
	server=$1 shape=$2
	start_server "$server" || return 0
	# perf takes seconds to start under TCG: the load outlasts it by far.
	fanout "$shape" --duration 14 --warmup 1 --format csv --no-header >/dev/null 2>&1 &
	bp=$!
	# Past the barrier (every receiver joined) and the warm-up.
	sleep 6
	case $server in kecho*) task=kworker ;; *) task=user-echo-serve ;; esac
	perf_sample chat-perf "$shape" "$server" "$task"
	wait $bp
	stop_server "$server" >/dev/null 2>&1
}
[ "$PROFILE" = 1 ] || exit 0
for shape in $CHAT_PROFILE_ROOM; do
	for server in $CHAT_SERVERS; do
		chat_profile "$server" "$shape"
	done
done
