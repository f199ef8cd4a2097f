#!/bin/sh
# Parameters are honoured, each shown by what it does, not only by its
# value reading back: non-default port and backlog (the listen socket's
# backlog as ss shows it), bench=1 (kecho's work runs on per-CPU kworkers),
# bind (IPv4 or IPv6 only), max_conns (more are reset, also after a live
# change), live port/backlog changes (established connections survive, the
# old port refuses), bad values refused with the errno the docs promise
# and the old listener still serving, and a load that fails because the
# port is taken leaves nothing.
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient
check "modprobe tcp_diag (for ss)" modprobe tcp_diag

# listen_backlog PORT: the backlog of the socket listening on PORT, as
# the kernel applied it (ss: Send-Q of a listener is its max backlog).
listen_backlog() {
	ss -Hltn "sport = :$1" | awk '{ print $3; exit }'
}

# Which kworkers run kecho's work: a kworker's comm ends in "+WQ" while
# it runs an item of workqueue WQ (wq_worker_comm). Bound, per-CPU workers
# are kworker/CPU:N, unbound ones kworker/uPOOL:N. ("-WQ", the last item
# run, is no evidence: per-CPU pools run other work right after.)
# sample_workers FILE: until /tmp/wq.stop exists, append the comm of every
# kworker running kecho's work to FILE.
sample_workers() {
	while [ ! -e /tmp/wq.stop ]; do
		cat /proc/[0-9]*/comm 2>/dev/null | grep -E '^kworker/.*\+kecho$' >>"$1"
	done
}
# traffic_until_seen REGEX FILE: echo 4 MiB at a time (through io_work)
# until FILE has a line matching REGEX; 60 s at most.
traffic_until_seen() {
	_end=$(($(now_ms) + 60000))
	while ! grep -qE "$1" "$2"; do
		[ "$(now_ms)" -lt $_end ] || return 1
		tc payload --size 4M >/dev/null || return 1
	done
}
BOUND='^kworker/[0-9]+:[0-9]+\+kecho$'
UNBOUND='^kworker/u[0-9]+:[0-9]+\+kecho$'
# workers_seen BENCH: sample while traffic runs until kecho's work is seen
# on the kind of kworker BENCH promises; report what was seen.
workers_seen() {
	: >/tmp/wq.seen
	rm -f /tmp/wq.stop
	sample_workers /tmp/wq.seen &
	_s=$!
	if [ "$1" = 1 ]; then _want=$BOUND _other=$UNBOUND; else _want=$UNBOUND _other=$BOUND; fi
	check "bench=$1: kecho's work runs on $2 kworkers" traffic_until_seen "$_want" /tmp/wq.seen
	touch /tmp/wq.stop
	wait $_s
	diag "kworkers seen running kecho's work: $(sort /tmp/wq.seen | uniq -c | tr -s ' \n' ' ')"
	check_eq "bench=$1: never on the other kind" "$(grep -cE "$_other" /tmp/wq.seen)" 0
}

# --- non-default port and backlog
check "load kecho port=23456 backlog=16" kecho_load port=23456 backlog=16
check_eq "port reads back" "$(kecho_param port)" 23456
check_eq "backlog reads back" "$(kecho_param backlog)" 16
check_eq "/proc/net/kecho shows the port" "$(kecho_counter port)" 23456
check_eq "the listen socket's backlog is 16" "$(listen_backlog 23456)" 16
check "echo on port 23456" tc payload --size 64k --port 23456
check_errno "nothing on the default port" ECONNREFUSED tc payload --size 1 --port 12345 --timeout 5
check "unload" kecho_unload

# --- bench=1: bound per-CPU workers (1 MiB echoes go through io_work)
dmesg_mark
check "load kecho bench=1" kecho_load bench=1
check_eq "bench reads back 1" "$(kecho_param bench)" 1
check "dmesg says per-CPU workers" dmesg_has "per-cpu"
check "echo with bench=1" tc payload --size 1M
check "concurrency with bench=1" tc concurrent --conns 300 --size 1k
workers_seen 1 "per-CPU (bound)"
check "unload" kecho_unload
dmesg_mark
check "load kecho bench=0" kecho_load bench=0
check "dmesg says unbound" dmesg_has "unbound"
workers_seen 0 unbound
check "unload" kecho_unload

# --- bind: one address only
check "load kecho bind=127.0.0.1" kecho_load bind=127.0.0.1
check "IPv4 loopback served" tc payload --size 1k
check_errno "IPv6 loopback not served" ECONNREFUSED tc payload --size 1k --family 6 --timeout 5
check_eq "one listener, on 127.0.0.1" "$(ss -Hltn 'sport = :12345' | awk '{ print $4 }')" 127.0.0.1:12345
check "unload" kecho_unload
check "load kecho bind=::1" kecho_load bind=::1
check "IPv6 loopback served" tc payload --size 1k --family 6
check_errno "IPv4 loopback not served" ECONNREFUSED tc payload --size 1k --timeout 5
check_errno "nor IPv4-mapped ::ffff:127.0.0.1" ECONNREFUSED \
	tc payload --size 1k --host ::ffff:127.0.0.1 --timeout 5
check_eq "one listener, on [::1]" "$(ss -Hltn 'sport = :12345' | awk '{ print $4 }')" '[::1]:12345'
check "unload" kecho_unload
check_errno "a bad bind address is refused" EINVAL modprobe kecho bind=not-an-address
check "no kecho left after the refused load" test ! -d /sys/module/kecho

# --- max_conns: more are reset at once and counted, also after a live change
check "load kecho max_conns=5" kecho_load max_conns=5
tc hold --conns 5 --seconds 60 >/tmp/hold5.out 2>&1 &
hold=$!
check "5 connections held" wait_for 'grep -q "5/5 established" /tmp/hold5.out' 60
check "kecho counts 5 active" wait_for '[ "$(kecho_counter active)" = 5 ]' 10
check_errno "a 6th connection is reset" ECONNRESET tc payload --size 1k --timeout 10
check_eq "refused counter counts it" "$(kecho_counter refused)" 1
check "write max_conns=7 live" kecho_param max_conns 7
check "now a 6th connection is served" tc payload --size 1k
check "write max_conns=3 live (below the 5 held)" kecho_param max_conns 3
check_errno "a new connection is reset again" ECONNRESET tc payload --size 1k --timeout 10
check_eq "refused counter counts it" "$(kecho_counter refused)" 2
check_eq "the 5 held connections were not touched" "$(kecho_counter active)" 5
kecho_counters
kill $hold 2>/dev/null
wait $hold 2>/dev/null
check "unload" kecho_unload

# --- live changes
check "load kecho" kecho_load
rm -f /tmp/linger.ready
tc linger --seconds 4 --size 64k --ready /tmp/linger.ready >/tmp/linger.out 2>&1 &
linger=$!
check "established connection ready" wait_for '[ -f /tmp/linger.ready ]' 30
check "write port=23457" kecho_param port 23457
check "23457 listens and 12345 no longer does" wait_listener 23457 12345
check_eq "port reads back 23457" "$(kecho_param port)" 23457
check_eq "/proc/net/kecho shows 23457" "$(kecho_counter port)" 23457
check "new port serves" tc payload --size 64k --port 23457
check_errno "old port refuses" ECONNREFUSED tc payload --size 1 --port 12345 --timeout 5
wait $linger
rc=$?
diag "$(cat /tmp/linger.out)"
check_eq "connection established before the change kept echoing" $rc 0

check_eq "the listen socket's backlog is the default 128" "$(listen_backlog 23457)" 128
check "write backlog=64" kecho_param backlog 64
check_eq "backlog reads back 64" "$(kecho_param backlog)" 64
check "the listen socket's backlog becomes 64" wait_for '[ "$(listen_backlog 23457)" = 64 ]' 10
check "still serving after the backlog change" tc payload --size 64k --port 23457

for bad in 0 65536 -1 abc ""; do
	check_errno "port='$bad' is refused" EINVAL kecho_param port "$bad"
done
check_errno "backlog=0 is refused" EINVAL kecho_param backlog 0
check_eq "the listen socket's backlog is still 64" "$(listen_backlog 23457)" 64
check_eq "port unchanged after bad values" "$(kecho_param port)" 23457
check "old listener still serving after bad values" tc payload --size 64k --port 23457

nc -l -p 23458 >/dev/null 2>&1 &
squatter=$!
check "another listener takes port 23458" wait_for "port_listening 23458" 10
check_errno "port=23458 (in use) is refused" EADDRINUSE kecho_param port 23458
check_eq "port unchanged after the refused change" "$(kecho_param port)" 23457
check "old listener still serving after the refused change" tc payload --size 64k --port 23457
check "unload" kecho_unload

# --- a load that fails because the port is taken leaves nothing behind
nc -l -p 12345 >/dev/null 2>&1 &
squatter2=$!
check "another listener takes port 12345" wait_for "port_listening 12345" 10
dmesg_mark
check_errno "modprobe kecho fails: port 12345 taken" EADDRINUSE kecho_load
check "the failure is explained in dmesg" dmesg_has "kecho.*12345"
check "no kecho module left" test ! -d /sys/module/kecho
check "no /proc/net/kecho left" test ! -e /proc/net/kecho
kill $squatter $squatter2 2>/dev/null
wait $squatter $squatter2 2>/dev/null
check "load works again once the port is free" kecho_load
check "and serves" tc payload --size 64k
check "unload" kecho_unload
