#!/bin/sh
# KCM interop (issue 18; docs/KCM.md): kecho in message mode is the peer of
# the kernel's own message multiplexor (AF_KCM, SOCK_DGRAM), with TCP
# connections attached through a BPF length parser (4 + the big-endian u32
# at offset 0, byte-swapped for msg_order=le). Several multiplexors in
# parallel, each with one message in flight (see the doc for why one), send
# thousands of seeded messages and get each back as one datagram, whole and
# exact. kecho resets one attached connection (an oversize header): KCM
# reports the error on that TCP socket, the client unattaches it, and the
# others carry on. Then the documented limitation is reproduced and
# reported (not asserted: a kernel that fixes it passes too).
# vmtest-skip-ok: the kernel may be built without KCM (CONFIG_AF_KCM) or ship no kcm.ko
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_module kcm
require_prog kecho-testclient

check "modprobe kcm" modprobe kcm || exit 1
mem_baseline
check "load kecho mode=message" kecho_load mode=message || exit 1
in0=$(kecho_counter messages_in)
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"

check "8 multiplexors x 3 connections, 500 messages each (0..16 KiB), one datagram each" \
	tc kcm --muxes 8 --conns 3 --count 500 --max-size 16384 --seed "$seed"
check "4 multiplexors x 2 connections, 100 messages each up to max_msg (64 KiB)" \
	tc kcm --muxes 4 --conns 2 --count 100 --max-size 65536 --seed "$((seed + 1))"
check "over IPv6: 4 multiplexors x 2 connections, 250 messages each" \
	tc kcm --muxes 4 --conns 2 --count 250 --max-size 4096 --family 6 --seed "$((seed + 2))"
check "msg_order=le live" kecho_param msg_order le
check "little-endian lengths (the parser swaps them): 2 multiplexors x 2, 200 each" \
	tc kcm --muxes 2 --conns 2 --count 200 --max-size 16384 --order le --seed "$((seed + 5))"
check "msg_order=be again" kecho_param msg_order be
sent=$((8 * 500 + 4 * 100 + 4 * 250 + 2 * 200))
check "kecho counted the $sent messages" \
	wait_for '[ "$(kecho_counter messages_in)" = '"$((in0 + sent))"' ]' 10

over0=$(kecho_counter oversize)
check "an attached connection reset by kecho is unattached; the other 3 carry on" \
	tc kcmreset --conns 4 --count 200 --max-size 8192 --oversize 65537 --seed "$((seed + 3))"
check_eq "kecho counted that header as oversize" "$(($(kecho_counter oversize) - over0))" 1

# The limitation: several messages in flight on one multiplexor.
out=$(tc kcmtrap --inflight 8 --count 2000 --max-size 200 --seed "$((seed + 4))" 2>&1)
rc=$?
diag "$out"
check_eq "the several-in-flight reproducer ran to its end" "$rc" 0

check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 20
kecho_counters
check "unload kecho" kecho_unload
check "rmmod kcm (once its sockets are freed)" wait_for "rmmod kcm 2>/dev/null" 10
check_mem_baseline
