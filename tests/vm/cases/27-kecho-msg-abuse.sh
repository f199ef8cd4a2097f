#!/bin/sh
# mode=message against clients that misbehave, and live changes (issue 18):
# - mode is switched live both ways: an established connection keeps the
#   mode it started with, a new one gets the new mode (told apart by effect:
#   a header announcing 4 GiB is echoed as data in stream mode, reset in
#   message mode);
# - clients that send part of a message and vanish (RST): active returns to
#   0 and the kecho_conn slab to its baseline;
# - clients holding partial messages while max_msg, msg_order, msg_timeout
#   and mode change live keep their connections; then kecho is unloaded
#   under them: promptly, every client sees its connection end, and
#   sockets and memory come back.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline
check "load kecho mode=message" kecho_load mode=message || exit 1
check_fails "mode accepts only stream or message" kecho_param mode bogus
check_eq "and stays message" "$(kecho_param mode)" message

# --- live mode switch, both ways --------------------------------------------
# switch_mode OLD NEW: a connection made under OLD, kept across the switch.
switch_mode() {
	rm -f /tmp/ready.$1 /tmp/go.$1
	tc msgmode --expect "$1" --ready /tmp/ready.$1 --go /tmp/go.$1 >/tmp/mode.$1 2>&1 &
	_pid=$!
	check "a $1 connection is established" wait_for "[ -f /tmp/ready.$1 ]" 10
	check "mode=$2 live" kecho_param mode "$2"
	check "a new connection gets $2" tc msgmode --expect "$2"
	touch /tmp/go.$1
	wait $_pid
	_rc=$?
	diag "$(cat /tmp/mode.$1)"
	check_eq "the established one is still $1" "$_rc" 0
}
switch_mode message stream
switch_mode stream message

# --- vanishing mid-message --------------------------------------------------
conn0=$(slab_active kecho_conn)
check "kecho_conn is in /proc/slabinfo ($conn0 objects)" [ -n "$conn0" ]
vanish() {
	_i=0
	while [ $_i -lt 50 ]; do
		_i=$((_i + 1))
		tc msgpart --len 65536 --send $((_i * 1000)) --rst 1 >/dev/null || return 1
	done
}
to0=$(kecho_counter msg_timeouts)
check "50 clients send part of a 64 KiB message, then reset" vanish
check "active returns to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 20
check "kecho_conn slab back to its baseline" \
	wait_for '[ "$(slab_active kecho_conn)" = "$conn0" ]' 20
check_eq "none of them was left to time out" "$(kecho_counter msg_timeouts)" "$to0"
check "a good client is served" tc msg --count 20 --max-size 65536

# --- partial messages across live changes, then rmmod under them -------------
i=0
pids=""
while [ $i -lt 20 ]; do
	i=$((i + 1))
	rm -f /tmp/part.$i
	tc msgpart --len 65536 --send $((i * 1500)) --ready /tmp/part.$i --hold 60 --any-close 1 \
		>/tmp/part.$i.out 2>&1 &
	pids="$pids $!"
done
check "20 clients hold partial messages" \
	wait_for '[ "$(ls /tmp/part.[0-9]* 2>/dev/null | grep -vc out)" = 20 ]' 20
check "max_msg 1000 live" kecho_param max_msg 1000
check "msg_order le live" kecho_param msg_order le
check "msg_timeout 5 live" kecho_param msg_timeout 5
check "mode stream live" kecho_param mode stream
check_eq "all 20 are still connected (the changes apply to new ones)" \
	"$(kecho_counter active)" 20
kecho_counters
dmesg_mark
t0=$(now_ms)
check "unload kecho under them" kecho_unload
took=$(($(now_ms) - t0))
check_le "promptly (ms)" "$took" 10000
ended=0
for p in $pids; do
	wait "$p" && ended=$((ended + 1))
done
diag "$(cat /tmp/part.1.out)"
check_eq "every client saw its connection end" "$ended" 20
check_mem_baseline
