#!/bin/sh
# mode=chat, oversize and stalled messages (issue 14) behave as in message
# mode: a header announcing more than max_msg resets that client
# (ECONNRESET) and counts as oversize; a partial message followed by
# silence is reset after msg_timeout (not before) and counted in
# msg_timeouts. Meanwhile the rest of the room is unaffected: a busy room
# of 10 clients gets every message exactly. Nothing of a partial message
# reaches the room. The room empties and no chat object is left.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient


mem_baseline
check "load kecho mode=chat msg_timeout=2" kecho_load mode=chat msg_timeout=2 || exit 1
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"
over0=$(kecho_counter oversize)
to0=$(kecho_counter msg_timeouts)

# The room: 10 clients x 800 messages, 10 ms between rounds (8 s or more:
# longer than the abusers below take, which is checked).
rm -f /tmp/room.ready
tc chat --clients 10 --messages 800 --max-size 4096 --pause-ms 10 --ready /tmp/room.ready \
	--seed "$seed" --timeout 60 >/tmp/room.out 2>&1 &
room=$!
check "the room passed its barrier" wait_for '[ -f /tmp/room.ready ]' 60

dmesg_mark
check_errno "a header announcing max_msg+1 (65537) is reset" \
	ECONNRESET tc chatbad --len 65537 --hold 10
check_errno "... also with part of its body sent" \
	ECONNRESET tc chatbad --len 65537 --send 3000 --hold 10
check_errno "... and a header announcing 4 GiB - 1 (IPv6)" \
	ECONNRESET tc chatbad --len 4294967295 --hold 10 --family 6
check "the reset is logged" wait_for 'dmesg_has "message of 65537 bytes is over max_msg"' 5
# Reset (not closed sooner than 1 s: msg_timeout is 2) within 20 s.
stall_reset() {
	_o=$(tc chatbad --len 1000 --send "$1" --hold 20 --any-close 1 --min-close 1 2>&1)
	_r=$?
	echo "$_o"
	[ $_r -eq 0 ] && contains "$_o" "Connection reset by peer"
}
check "a header and 10 of 1000 body bytes, then silence: reset after msg_timeout" stall_reset 10
check "a bare header, then silence: reset too" stall_reset 0
busy=0
[ ! -s /tmp/room.out ] && kill -0 $room 2>/dev/null && busy=1
check_eq "the room was still busy when the last abuser was done" "$busy" 1
wait $room
rc=$?
diag "$(cat /tmp/room.out)"
check_eq "the room got every message exactly meanwhile" \
	"$rc $(grep -v FAIL /tmp/room.out | grep -c 'delivered exactly')" "0 1"
check_eq "oversize counted each of the three" "$(($(kecho_counter oversize) - over0))" 3
check_eq "msg_timeouts counted each of the two" "$(($(kecho_counter msg_timeouts) - to0))" 2
check_eq "none of them was dropped as slow" "$(kecho_counter slow_dropped)" 0

check "the room empties (chat_clients, queued_bytes, chat_body_bytes 0)" \
	wait_for '[ "$(kecho_counter chat_clients) $(kecho_counter queued_bytes) $(kecho_counter chat_body_bytes)" = "0 0 0" ]' 20
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
check_eq "no connection or buffer object left" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed" kecho_caches_gone
check "... the chat caches too" sh -c '! grep -qE "^kecho_chat(_item)? " /proc/slabinfo'
check_mem_baseline
