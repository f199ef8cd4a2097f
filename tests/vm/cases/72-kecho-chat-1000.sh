#!/bin/sh
# mode=chat with 1,000 clients in one room (issue 14): all join (kecho
# counts chat_clients 1000), pass the hello barrier (each hears every other:
# about a million deliveries), then 100 of them send 2 messages each to the
# 999 others; every client's checker proves it got each message once,
# whole, exact and in order. chat_delivered and messages_in are exact; the
# room empties, no chat object is left, and after unloading sockets and
# memory are back at the baseline.
# vmtest-timeout: 900
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient


# 1,000 clients closing at once (the guest's /init allows 1048576 open
# files): give loopback room for the burst of FINs as 80-robust-10k does
# (restored at the end).
sysctl_set() { old="$old $1=$(cat "/proc/sys/$1")"; echo "$2" >"/proc/sys/$1"; }
old=
sysctl_set net/core/netdev_max_backlog 65536

mem_baseline
# A backlog that takes the whole burst of connects (no SYN cookies).
check "load kecho mode=chat backlog=4096" kecho_load mode=chat backlog=4096 || exit 1
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"
del0=$(kecho_counter chat_delivered)
in0=$(kecho_counter messages_in)
tc chat --clients 1000 --senders 100 --messages 2 --max-size 64 --seed "$seed" --timeout 300 \
	>/tmp/chat1000.out 2>&1
rc=$?
out=$(cat /tmp/chat1000.out)
diag "$out"
check_eq "1000 clients: every message exact at every one of the 999 others" "$rc" 0
dels=$(printf '%s\n' "$out" | sed -n 's/.* \([0-9][0-9]*\) deliveries (.*/\1/p')
sent=$(printf '%s\n' "$out" | sed -n 's/.*; \([0-9][0-9]*\) messages sent.*/\1/p')
check "chat_delivered grew by the $dels deliveries the clients checked" \
	wait_for '[ "$(kecho_counter chat_delivered)" = '"$((del0 + ${dels:-0}))"' ]' 10
check "messages_in grew by the $sent messages sent" \
	wait_for '[ "$(kecho_counter messages_in)" = '"$((in0 + ${sent:-0}))"' ]' 10
check "the room empties (chat_clients, queued_bytes, chat_body_bytes 0)" \
	wait_for '[ "$(kecho_counter chat_clients) $(kecho_counter queued_bytes) $(kecho_counter chat_body_bytes)" = "0 0 0" ]' 60
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 60
check_eq "nobody dropped" "$(kecho_counter slow_dropped)" 0
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
check_eq "no connection or buffer object left" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed" kecho_caches_gone
check "... the chat caches too" sh -c '! grep -qE "^kecho_chat(_item)? " /proc/slabinfo'
check_mem_baseline
for kv in $old; do echo "${kv#*=}" >"/proc/sys/${kv%%=*}"; done
