#!/bin/sh
# mode=message limits (issue 18): a header announcing more than max_msg
# resets that connection (ECONNRESET at the client), is counted as oversize
# and logged with the peer's address, while other clients are served
# meanwhile; exactly max_msg is echoed; a live max_msg applies to the next
# message. A partial message followed by silence is reset after msg_timeout
# (not before) and counted in msg_timeouts. A client that stops reading
# stops being read (its writer blocks) and gets every message exact once it
# reads again, while others are served.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline
check "load kecho mode=message msg_timeout=2" kecho_load mode=message msg_timeout=2 || exit 1
check_eq "max_msg defaults to 65536" "$(kecho_param max_msg)" 65536

# --- oversize, while good clients are served --------------------------------
dmesg_mark
over0=$(kecho_counter oversize)
tc msgconc --conns 20 --count 20 --max-size 65536 --batch 2 >/tmp/good.out 2>&1 &
good=$!
check_errno "a header announcing max_msg+1 (65537) is reset" \
	ECONNRESET tc msgpart --len 65537 --send 0 --hold 10
check_errno "... also with part of its body already sent" \
	ECONNRESET tc msgpart --len 65537 --send 3000 --hold 10
check_errno "... and a header announcing 4 GiB - 1" \
	ECONNRESET tc msgpart --len 4294967295 --send 0 --hold 10 --family 6
wait $good
rc=$?
diag "$(cat /tmp/good.out)"
check_eq "20 clients sending meanwhile were all served exactly" "$rc $(tc_served /tmp/good.out)" "0 1"
check_eq "oversize counted each of the three" "$(($(kecho_counter oversize) - over0))" 3
# kecho listens on IPv6 too, so an IPv4 peer may be named [::ffff:127.0.0.1]:PORT.
check "the reset is logged with the peer's address and port" \
	wait_for 'dmesg_has "127\.0\.0\.1\]?:[0-9]+: message of 65537 bytes is over max_msg"' 5
diag "$(dmesg_since | grep -i max_msg | head -n 3)"
check "exactly max_msg is echoed" tc msgpart --len 65536 --hold 10

# --- a live max_msg ---------------------------------------------------------
check "max_msg 1000 live" kecho_param max_msg 1000
check_errno "1001 is now oversize" ECONNRESET tc msgpart --len 1001 --send 0 --hold 10
check "1000 is fine" tc msgpart --len 1000 --hold 10
check_eq "oversize +4" "$(($(kecho_counter oversize) - over0))" 4
check "max_msg 65536 again" kecho_param max_msg 65536
check_fails "max_msg above 16 MiB is refused" kecho_param max_msg 16777217
check_eq "and leaves max_msg as it was" "$(kecho_param max_msg)" 65536

# --- a partial message, then silence ----------------------------------------
to0=$(kecho_counter msg_timeouts)
# Reset (not closed sooner than 1 s: msg_timeout is 2) within 20 s.
stall_reset() {
	_o=$(tc msgpart --len 1000 --send "$1" --hold 20 --any-close 1 --min-close 1 2>&1)
	_r=$?
	echo "$_o"
	[ $_r -eq 0 ] && contains "$_o" "Connection reset by peer"
}
check "a header and 10 of 1000 body bytes, then silence: reset after msg_timeout" stall_reset 10
check "a bare header, then silence: reset too" stall_reset 0
check_eq "msg_timeouts +2" "$(($(kecho_counter msg_timeouts) - to0))" 2
check "a complete message is not affected by the timeout" \
	tc msg --count 3 --max-size 1000

# --- a client that stops reading --------------------------------------------
# 4000 x 16 KiB (64 MiB) written while the client reads nothing for 8 s:
# far more than the socket buffers hold, so its writer must block.
rm -f /tmp/stalled
tc msg --count 4000 --min-size 16384 --max-size 16384 --batch 4 --stall 8 --ready /tmp/stalled \
	--timeout 60 >/tmp/stall.out 2>&1 &
stalled=$!
check "the stalling client connected" wait_for '[ -f /tmp/stalled ]' 10
check "others are served while it does not read" tc msgconc --conns 10 --count 10 --max-size 65536
diag "while stalled: $(mem_line)"
check_le "kecho buffers at most 1 MiB for it (buffered)" "$(kecho_counter buffered)" 1048576
wait $stalled
rc=$?
diag "$(cat /tmp/stall.out)"
check_eq "the stalled client was held back, then got every message exact" \
	"$rc $(grep -c 'echoed exactly' /tmp/stall.out)" "0 1"

check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 20
kecho_counters
check "unload kecho" kecho_unload
check_mem_baseline
