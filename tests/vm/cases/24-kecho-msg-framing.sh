#!/bin/sh
# mode=message framing (issue 18): kecho echoes each complete 4-byte
# length-prefixed message whole, exact and in order, however it arrives: a
# header (and body) split a byte per segment, hundreds of messages in one
# write, zero-length messages (a bare header back), exactly max_msg, 16 MiB
# (more than the send buffer) once max_msg allows it, over IPv4 and IPv6;
# with msg_order=le the length is read little-endian (a big-endian header
# then announces another length). messages_in and messages_out count each
# message once.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho mode=message" kecho_load mode=message || exit 1
check_eq "mode reads back" "$(kecho_param mode)" message
in0=$(kecho_counter messages_in)
out0=$(kecho_counter messages_out)
diag "messages_in=$in0 messages_out=$out0"

# msgs N ARGS...: N messages (tc msg --count N ARGS); the counts are
# summed in $sent, outside check's subshell, for the counters at the end.
sent=0
msgs() {
	tc msg --count "$@"
}
sent=$((sent + 30))
check "every header byte its own segment (TCP_NODELAY, 2 ms apart), small bodies too" \
	msgs 30 --max-size 40 --split 16 --pause-us 2000
sent=$((sent + 4))
check "a header split byte by byte before 64 KiB bodies" \
	msgs 4 --min-size 65536 --max-size 65536 --split 4 --pause-us 2000
sent=$((sent + 500))
check "500 small messages, 100 per write" \
	msgs 500 --max-size 200 --batch 100
sent=$((sent + 200))
check "a mix of sizes 0..max_msg, 8 per write" \
	msgs 200 --max-size 65536 --batch 8
sent=$((sent + 200))
check "zero-length messages come back as bare headers (50 per write)" \
	msgs 200 --size 0 --batch 50
sent=$((sent + 1))
check "a lone zero-length message" msgs 1 --size 0
sent=$((sent + 10))
check "exactly max_msg (65536), one by one" \
	msgs 10 --min-size 65536 --max-size 65536
sent=$((sent + 10))
check "exactly max_msg, 5 per write" \
	msgs 10 --min-size 65536 --max-size 65536 --batch 5
sent=$((sent + 200))
check "over IPv6 too" msgs 200 --max-size 65536 --batch 4 --family 6

check "max_msg raised to 16 MiB live" kecho_param max_msg 16777216
sent=$((sent + 2))
check "two 16 MiB messages (more than the send buffer) echo whole" \
	msgs 2 --size 16M --timeout 60
check "max_msg back to 65536" kecho_param max_msg 65536

check "messages_in counted each message once" \
	wait_for '[ "$(kecho_counter messages_in)" = '"$((in0 + sent))"' ]' 10
check "messages_out counted each message once" \
	wait_for '[ "$(kecho_counter messages_out)" = '"$((out0 + sent))"' ]' 10
diag "$sent messages sent"
kecho_counters

# Little-endian lengths (new connections read the new order).
check "msg_order=le live" kecho_param msg_order le
check "little-endian headers, mixed sizes, 8 per write" \
	tc msg --count 200 --max-size 65536 --batch 8 --order le
check "little-endian header split a byte per segment" \
	tc msg --count 10 --max-size 100 --split 8 --order le
# 00 00 00 01 (1, big-endian) reads as 16777216 little-endian: over max_msg.
check_errno "with msg_order=le a big-endian header for 1 byte is read as 16 MiB: reset" \
	ECONNRESET tc msgpart --len 1 --send 0 --order be --hold 10
check "msg_order=be again" kecho_param msg_order be

check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 20
check_eq "no message timed out" "$(kecho_counter msg_timeouts)" 0
check_eq "one oversize header (the big-endian one under le)" "$(kecho_counter oversize)" 1
kecho_counters
check "unload kecho" kecho_unload
