#!/bin/sh
# mode=chat and rmmod (issue 14): kecho is unloaded under a busy room (50
# clients sending and checking all the time): rmmod returns promptly, every
# client sees its connection end (EOF or reset), and everything it got
# before was exact. Then 20 load/unload cycles with chat traffic: each
# cycle serves at least one complete chat run before it is unloaded. After
# each unload the caches are gone (no object left); afterwards sockets and
# memory are back at the baseline.
# vmtest-timeout: 900
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline
base_unreclaim=$(unreclaim_kb)
check "load kecho mode=chat" kecho_load mode=chat || exit 1
rm -f /tmp/room.ready
tc chat --clients 50 --until-end 1 --max-size 4096 --ready /tmp/room.ready --timeout 60 \
	>/tmp/room.out 2>&1 &
room=$!
check "50 clients passed the hello barrier" wait_for '[ -f /tmp/room.ready ]' 120
d0=$(kecho_counter chat_delivered)
check "messages flow" wait_for '[ "$(kecho_counter chat_delivered)" -gt '"$((d0 + 5000))"' ]' 60
kecho_counters
t0=$(now_ms)
check "unload kecho under the busy room" kecho_unload
took=$(($(now_ms) - t0))
check_le "promptly (ms)" "$took" 10000
wait $room
rc=$?
diag "$(cat /tmp/room.out)"
check_eq "every client saw its connection end, all it got before exact" \
	"$rc $(grep -c '^chat: .* 50/50 connections ended by the server' /tmp/room.out)" "0 1"
check "kecho's caches are destroyed" kecho_caches_gone
check "... the chat caches too" sh -c '! grep -qE "^kecho_chat(_item)? " /proc/slabinfo'
check "owned TCP sockets back to the baseline" \
	wait_for '[ "$(sock_alloc)" -le '"$_VMT_BASE_ALLOC"' ]' 60

# 20 cycles. Background traffic: chat runs, forever; a run cut by an unload
# fails (counted apart), a run that completes is served.
: >/tmp/traffic.log
(while :; do
	tc chat --clients 8 --messages 30 --max-size 2048 --timeout 5 >>/tmp/traffic.log 2>&1 ||
		sleep 0.2
done) &
t1=$!
served() { grep -v FAIL /tmp/traffic.log | grep -c 'delivered exactly'; }
bad=0
for i in $(seq 1 20); do
	s=$(served)
	if ! kecho_load mode=chat >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $i: load failed: $(cat /tmp/cycle.out)"
		continue
	fi
	if ! wait_for '[ "$(served)" -gt '"$s"' ]' 60; then
		bad=$((bad + 1))
		diag "cycle $i: no chat run served"
	fi
	if ! kecho_unload >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $i: unload failed: $(cat /tmp/cycle.out)"
	fi
	if grep -qE '^kecho_(conn|buf|chat|chat_item|msg) ' /proc/slabinfo; then
		bad=$((bad + 1))
		diag "cycle $i: a kecho cache survived the unload: $(grep -E '^kecho_' /proc/slabinfo)"
	fi
done
kill $t1 2>/dev/null
wait $t1 2>/dev/null
check_eq "20 cycles loaded, served chat and unloaded, caches gone each time" $bad 0
diag "traffic: $(served) chat runs served, $(grep -c FAIL /tmp/traffic.log) cut short by unloads"
check "corruption never: no run failed on a checked message" \
	sh -c '! grep FAIL /tmp/traffic.log | grep -qE "differs|lost or out of order|again or out of order|must not get|not of this run|truncated|announces"'
check "kecho is not loaded" test ! -d /sys/module/kecho
check_mem_baseline
after_unreclaim=$(unreclaim_kb)
check_le "unreclaimable slab grew by at most 8 MiB (kB)" $((after_unreclaim - base_unreclaim)) 8192
