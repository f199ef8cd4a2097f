#!/bin/sh
# Fifty load/unload cycles under traffic: every cycle serves traffic, every
# unload succeeds, and afterwards no TCP socket is left allocated (no leak;
# slab checks and warnings are the harness's dmesg check).
# vmtest-timeout: 900
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

sock_alloc() {
	awk '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == "alloc") print $(i + 1) }' /proc/net/sockstat
}
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }

base_alloc=$(sock_alloc)
base_slab=$(slab_kb)
: >/tmp/traffic.log
# Background traffic: large payloads and bursts of connections, forever.
(while :; do tc payload --size 256k --timeout 5 >>/tmp/traffic.log 2>&1; done) &
t1=$!
(while :; do tc concurrent --conns 20 --size 2k --timeout 5 >>/tmp/traffic.log 2>&1; done) &
t2=$!

bad=0
for i in $(seq 1 50); do
	served=$(grep -c 'echoed exactly' /tmp/traffic.log)
	if ! kecho_load >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $i: load failed: $(cat /tmp/cycle.out)"
		continue
	fi
	# Unload only once this cycle has served traffic.
	if ! wait_for '[ "$(grep -c "echoed exactly" /tmp/traffic.log)" -gt '$served' ]' 60; then
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
diag "traffic: $(grep -c 'echoed exactly' /tmp/traffic.log) client runs served, $(grep -c FAIL /tmp/traffic.log) cut short by unloads"
check "kecho is not loaded" test ! -d /sys/module/kecho
check "TCP sockets back to the baseline ($base_alloc)" \
	wait_for '[ "$(sock_alloc)" -le '"$base_alloc"' ]' 30
diag "sockstat TCP alloc before $base_alloc after $(sock_alloc); Slab before ${base_slab} kB after $(slab_kb) kB"
