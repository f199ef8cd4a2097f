#!/bin/sh
# mode=chat (issue 14): N clients in one room, each sending seeded messages
# of random sizes; every client's checker proves it got exactly every
# other client's messages (each once, whole, byte-exact, in each sender's
# order, nothing else), then EOF after its half-close. Big- and
# little-endian lengths (msg_order), chat_echo=1 (a sender gets its own
# messages too, live), IPv6, bodies up to max_msg, one sender to many,
# rooms large enough (128 members) that a fan-out is split between CPUs.
# chat_delivered counts each copy a client received once, messages_in each
# message sent once; the room is empty (chat_clients, queued_bytes and
# chat_body_bytes 0) after every run, and memory is back after unloading.
# vmtest-timeout: 900
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient


mem_baseline
check "load kecho mode=chat" kecho_load mode=chat || exit 1
check_eq "mode reads back" "$(kecho_param mode)" chat
check_eq "chat_queue 1 MiB and chat_echo 0 by default" \
	"$(kecho_param chat_queue) $(kecho_param chat_echo)" "1048576 0"
check_eq "the room is empty" \
	"$(kecho_counter chat_clients) $(kecho_counter queued_bytes) $(kecho_counter chat_body_bytes)" "0 0 0"
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"

# chat_run DESC ARGS...: tc chat ARGS must pass; then chat_delivered and
# messages_in must have grown by exactly the deliveries the clients
# checked and the messages they sent, and the room must empty.
chat_run() {
	_d=$1
	shift
	_del0=$(kecho_counter chat_delivered)
	_in0=$(kecho_counter messages_in)
	_out=$(tc chat "$@" 2>&1)
	_rc=$?
	diag "$_out"
	if [ $_rc -ne 0 ]; then
		fail "$_d" "tc chat $* exited $_rc"
		return 1
	fi
	ok "$_d"
	_dels=$(printf '%s\n' "$_out" | sed -n 's/.* \([0-9][0-9]*\) deliveries (.*/\1/p')
	_sent=$(printf '%s\n' "$_out" | sed -n 's/.*; \([0-9][0-9]*\) messages sent.*/\1/p')
	check "chat_delivered grew by the $_dels deliveries the clients checked" \
		wait_for '[ "$(kecho_counter chat_delivered)" = '"$((_del0 + ${_dels:-0}))"' ]' 10
	check "messages_in grew by the $_sent messages sent" \
		wait_for '[ "$(kecho_counter messages_in)" = '"$((_in0 + ${_sent:-0}))"' ]' 10
	check "the room empties (chat_clients, queued_bytes, chat_body_bytes 0)" \
		wait_for '[ "$(kecho_counter chat_clients) $(kecho_counter queued_bytes) $(kecho_counter chat_body_bytes)" = "0 0 0" ]' 20
}

chat_run "20 clients x 200 messages of 12..4096 bytes, all exact and in order" \
	--clients 20 --messages 200 --max-size 4096 --seed "$seed" --timeout 120
chat_run "2 clients x 500 messages, 12..64 bytes" \
	--clients 2 --messages 500 --max-size 64 --seed "$((seed + 1))" --timeout 60
chat_run "1 sender to 30 receivers, 300 messages" \
	--clients 31 --senders 1 --messages 300 --max-size 2048 --seed "$((seed + 2))" --timeout 120
chat_run "5 clients x 20 messages up to max_msg (65536)" \
	--clients 5 --messages 20 --max-size 65536 --seed "$((seed + 3))" --timeout 120
chat_run "over IPv6: 10 clients x 100 messages" \
	--clients 10 --messages 100 --max-size 4096 --family 6 --seed "$((seed + 4))" --timeout 120
# From 128 members a message's fan-out is split between CPUs (the guest
# has two): a helper sends to one part of the room while the sender's
# work item sends to the other, and waits for it before the next message.
# One sender always splits; with several, a publisher splits only while
# no other one is fanning out.
chat_run "a split fan-out: 1 sender to 149 receivers, 200 messages of 12..2048 bytes" \
	--clients 150 --senders 1 --messages 200 --max-size 2048 --seed "$((seed + 7))" --timeout 180
chat_run "split or not: 150 clients, 6 senders x 60 messages of 12..2048 bytes" \
	--clients 150 --senders 6 --messages 60 --max-size 2048 --seed "$((seed + 9))" --timeout 180

check "msg_order=le live" kecho_param msg_order le
chat_run "little-endian lengths: 20 clients x 200 messages of 12..4096 bytes" \
	--clients 20 --messages 200 --max-size 4096 --order le --seed "$((seed + 5))" --timeout 120
check "msg_order=be again" kecho_param msg_order be

check "chat_echo=1 live" kecho_param chat_echo 1
chat_run "chat_echo=1: 10 clients x 100 messages, each gets its own too" \
	--clients 10 --messages 100 --max-size 4096 --echo 1 --seed "$((seed + 6))" --timeout 120
chat_run "chat_echo=1 in a split fan-out: 1 sender to 139 others and itself, 100 messages" \
	--clients 140 --senders 1 --messages 100 --max-size 1024 --echo 1 --seed "$((seed + 8))" --timeout 180
check "chat_echo=0 again" kecho_param chat_echo 0
# Without echo, a client expecting its own messages back must fail.
check_fails "... and without chat_echo a client expecting its own messages fails" \
	tc chat --clients 3 --messages 5 --echo 1 --timeout 3

check_eq "nothing oversize, nothing timed out, nobody dropped" \
	"$(kecho_counter oversize) $(kecho_counter msg_timeouts) $(kecho_counter slow_dropped)" "0 0 0"
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no connection or buffer object left in kecho's caches" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
check_eq "no chat client or queued copy left (kecho_chat, kecho_chat_item slabs)" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed: no object was left in them" kecho_caches_gone
check "... the chat caches too" sh -c '! grep -qE "^kecho_chat(_item)? " /proc/slabinfo'
check_mem_baseline
