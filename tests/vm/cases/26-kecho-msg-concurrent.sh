#!/bin/sh
# mode=message under load (issue 18): 200 connections at once, each sending
# seeded messages of random sizes 0..max_msg (the edges and small sizes
# drawn often), two per write; every echoed message is checked whole,
# exact and in order, and messages_in/messages_out count each once. Then
# 300 more over IPv6 with small messages many per write. Afterwards active
# is 0 and, unloaded, sockets and kmalloc memory are back at the baseline.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline
check "load kecho mode=message" kecho_load mode=message || exit 1
in0=$(kecho_counter messages_in)
out0=$(kecho_counter messages_out)
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"

check "200 connections x 6 messages of 0..65536 bytes, all exact and in order" \
	tc msgconc --conns 200 --count 6 --max-size 65536 --batch 2 --seed "$seed" --timeout 60
check "300 connections over IPv6 x 20 messages of 0..2048 bytes, 10 per write" \
	tc msgconc --conns 300 --count 20 --max-size 2048 --batch 10 --seed "$((seed + 1))" \
	--family 6 --timeout 60
sent=$((200 * 6 + 300 * 20))
check "messages_in counted each of the $sent once" \
	wait_for '[ "$(kecho_counter messages_in)" = '"$((in0 + sent))"' ]' 10
check "messages_out too" \
	wait_for '[ "$(kecho_counter messages_out)" = '"$((out0 + sent))"' ]' 10
check_eq "nothing oversize, nothing timed out" \
	"$(kecho_counter oversize) $(kecho_counter msg_timeouts)" "0 0"
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
kecho_counters
check "unload kecho" kecho_unload
check_mem_baseline
