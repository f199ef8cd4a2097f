#!/bin/sh
# mode=chat delivers without a work item per delivery: a publisher sends a
# message itself to every receiver with nothing queued (kecho_chat.c,
# kecho_chat_deliver()), so receivers that keep up run no io_work for
# what they receive. 1 sender and 20 readers, 50 paced messages: every
# client's checker proves it got exactly what it must, and io_work
# (workqueue_execute_start tracepoint) ran far fewer times than there were
# deliveries. Queueing every delivery, as kecho did before, runs about one
# io_work per delivery here.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho mode=chat" kecho_load mode=chat || exit 1
io_work_trace_on

del0=$(kecho_counter chat_delivered)
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"
out=$(tc chat --clients 21 --senders 1 --messages 50 --max-size 256 --pause-ms 20 \
	--seed "$seed" --timeout 120 2>&1)
rc=$?
diag "$out"
check_eq "21 clients: every message exact at every other client" "$rc" 0
dels=$(($(kecho_counter chat_delivered) - del0))
runs=$(io_works)
diag "io_work ran $runs times for $dels deliveries"
# 21 hellos and 50 messages to 20 others each: 1,420 deliveries. The
# io_work runs left are each client's start, each message its sender
# relays, and each FIN: about 160.
check_eq "chat_delivered counted the 1420 deliveries the clients checked" \
	"$dels $(printf '%s\n' "$out" | sed -n 's/.* \([0-9][0-9]*\) deliveries (.*/\1/p')" "1420 1420"
few_runs() { [ "$runs" -gt 0 ] && [ $((runs * 4)) -lt "$dels" ]; }
check "io_work ran fewer than one time per 4 deliveries ($runs for $dels)" few_runs
io_work_trace_off
check "the room empties (chat_clients, queued_bytes, chat_body_bytes 0)" room_empty
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
check_eq "nobody was dropped, no errors" \
	"$(kecho_counter slow_dropped) $(kecho_counter errors)" "0 0"
check "unload kecho" kecho_unload
