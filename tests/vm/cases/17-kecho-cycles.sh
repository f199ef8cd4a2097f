#!/bin/sh
# Fifty load/unload cycles under traffic: every cycle serves traffic, every
# unload succeeds, and afterwards no TCP socket is left allocated (no leak;
# slab checks and warnings are the harness's dmesg check).
# vmtest-timeout: 900
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

# Gauges from /tests/lib.sh: owned TCP sockets (sock_alloc: allocated minus
# orphans), unreclaimable slab (unreclaim_kb) and the kmalloc caches
# (kmalloc_bytes), where each connection's state comes from. A socket kecho
# leaked would never be released, so never orphaned: it stays owned.
# Orphans are the stack's own, closed ends finishing their handshake (a
# client's FIN_WAIT2 end may wait tcp_fin_timeout, 60 s). A connection's
# buffer comes from kecho's own kecho_buf cache, destroyed at every unload:
# a leaked buffer makes that a slab error in dmesg, which fails the run.

base_alloc=$(sock_alloc)
base_unreclaim=$(unreclaim_kb)
base_kmalloc=$(kmalloc_bytes)
: >/tmp/traffic.log
# Background traffic: large payloads and bursts of connections, forever.
(while :; do tc payload --size 256k --timeout 5 >>/tmp/traffic.log 2>&1; done) &
t1=$!
(while :; do tc concurrent --conns 20 --size 2k --timeout 5 >>/tmp/traffic.log 2>&1; done) &
t2=$!

bad=0
for i in $(seq 1 50); do
	# tc_served: success lines only ("concurrent: FAIL: 0/20 connections
	# echoed exactly" is a failure, not traffic served)
	served=$(tc_served /tmp/traffic.log)
	if ! kecho_load >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $i: load failed: $(cat /tmp/cycle.out)"
		continue
	fi
	# Unload only once this cycle has served traffic.
	if ! wait_for '[ "$(tc_served /tmp/traffic.log)" -gt '$served' ]' 60; then
		bad=$((bad + 1))
		diag "cycle $i: no traffic served"
	fi
	if ! kecho_unload >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $i: unload failed: $(cat /tmp/cycle.out)"
	fi
done
kill $t1 $t2 2>/dev/null
wait $t1 $t2 2>/dev/null
check_eq "50 cycles loaded, served and unloaded" $bad 0
diag "traffic: $(tc_served /tmp/traffic.log) client runs served, $(grep -c FAIL /tmp/traffic.log) cut short by unloads"
check "kecho is not loaded" test ! -d /sys/module/kecho
check "owned TCP sockets back to the baseline ($base_alloc)" \
	wait_for '[ "$(sock_alloc)" -le '"$base_alloc"' ]' 60
# Bounds: slack for unrelated kernel activity (1 MiB of kmalloc objects,
# 8 MiB of unreclaimable slab); the thousand-odd connections of 50 cycles
# leaking their state or 16 KiB buffers would be far more.
after_kmalloc=$(kmalloc_bytes)
after_unreclaim=$(unreclaim_kb)
check_le "kmalloc cache bytes grew by at most 1 MiB" $((after_kmalloc - base_kmalloc)) 1048576
check_le "unreclaimable slab grew by at most 8 MiB (kB)" $((after_unreclaim - base_unreclaim)) 8192
diag "owned TCP sockets before $base_alloc after $(sock_alloc) (orphans $(tcp_stat orphan)); SUnreclaim before ${base_unreclaim} kB after ${after_unreclaim} kB"
