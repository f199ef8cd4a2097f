#!/bin/sh
# Parameters are honoured: non-default port and backlog, bench=1, bind,
# max_conns, live port/backlog changes (established connections survive,
# the old port refuses), bad values refused with the old listener still
# serving, and a load that fails because the port is taken leaves nothing.
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

# --- non-default port and backlog
check "load kecho port=23456 backlog=16" kecho_load port=23456 backlog=16
check_eq "port reads back" "$(kecho_param port)" 23456
check_eq "backlog reads back" "$(kecho_param backlog)" 16
check_eq "/proc/net/kecho shows the port" "$(kecho_counter port)" 23456
check "echo on port 23456" tc payload --size 64k --port 23456
check_fails "nothing on the default port" tc payload --size 1 --port 12345 --timeout 5
check "unload" kecho_unload

# --- bench=1: bound per-CPU workers
dmesg_mark
check "load kecho bench=1" kecho_load bench=1
check_eq "bench reads back 1" "$(kecho_param bench)" 1
check "dmesg says per-CPU workers" dmesg_has "per-cpu"
check "echo with bench=1" tc payload --size 1M
check "concurrency with bench=1" tc concurrent --conns 300 --size 1k
check "unload" kecho_unload
dmesg_mark
check "load kecho bench=0" kecho_load bench=0
check "dmesg says unbound" dmesg_has "unbound"
check "unload" kecho_unload

# --- bind: one address only
check "load kecho bind=127.0.0.1" kecho_load bind=127.0.0.1
check "IPv4 loopback served" tc payload --size 1k
check_fails "IPv6 loopback not served" tc payload --size 1k --family 6 --timeout 5
check "unload" kecho_unload
check_fails "a bad bind address is refused" modprobe kecho bind=not-an-address
check "no kecho left after the refused load" test ! -d /sys/module/kecho

# --- max_conns: more are refused and counted
check "load kecho max_conns=5" kecho_load max_conns=5
tc hold --conns 5 --seconds 60 >/tmp/hold5.out 2>&1 &
hold=$!
check "5 connections held" wait_for 'grep -q "5/5 established" /tmp/hold5.out' 60
check_fails "a 6th connection is refused" tc payload --size 1k --timeout 10
check "refused counter counts it" test "$(kecho_counter refused)" -ge 1
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
check_eq "port reads back 23457" "$(kecho_param port)" 23457
check_eq "/proc/net/kecho shows 23457" "$(kecho_counter port)" 23457
check "new port serves" tc payload --size 64k --port 23457
check_fails "old port refuses" tc payload --size 1 --port 12345 --timeout 5
wait $linger
rc=$?
diag "$(cat /tmp/linger.out)"
check_eq "connection established before the change kept echoing" $rc 0

check "write backlog=64" kecho_param backlog 64
check_eq "backlog reads back 64" "$(kecho_param backlog)" 64
check "still serving after the backlog change" tc payload --size 64k --port 23457

for bad in 0 65536 -1 abc ""; do
	check_fails "port='$bad' is refused" kecho_param port "$bad"
done
check_fails "backlog=0 is refused" kecho_param backlog 0
check_eq "port unchanged after bad values" "$(kecho_param port)" 23457
check "old listener still serving after bad values" tc payload --size 64k --port 23457

nc -l -p 23458 >/dev/null 2>&1 &
squatter=$!
check "another listener takes port 23458" wait_for "port_listening 23458" 10
check_fails "port=23458 (in use) is refused" kecho_param port 23458
check_eq "port unchanged after the refused change" "$(kecho_param port)" 23457
check "old listener still serving after the refused change" tc payload --size 64k --port 23457
check "unload" kecho_unload

# --- a load that fails because the port is taken leaves nothing behind
nc -l -p 12345 >/dev/null 2>&1 &
squatter2=$!
check "another listener takes port 12345" wait_for "port_listening 12345" 10
dmesg_mark
check_fails "modprobe kecho fails: port 12345 taken" kecho_load
check "the failure is explained in dmesg" dmesg_has "kecho.*12345"
check "no kecho module left" test ! -d /sys/module/kecho
check "no /proc/net/kecho left" test ! -e /proc/net/kecho
kill $squatter $squatter2 2>/dev/null
wait $squatter $squatter2 2>/dev/null
check "load works again once the port is free" kecho_load
check "and serves" tc payload --size 64k
check "unload" kecho_unload
