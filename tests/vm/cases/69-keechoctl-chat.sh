#!/bin/sh
# keechoctl and chat mode: reconfigure --mode chat/--chat-queue/--chat-echo/--chat-split
# apply live and land in modprobe.d; status shows the room (chat_clients,
# chat_delivered, slow_dropped, queued_bytes), human and --json; health
# passes in chat mode (a probe from one connection of its own to another,
# which the room's other members see too) and fails clearly when kecho
# refuses its connections; back to stream mode.
. /tests/lib.sh

require_module kecho
require_prog keechoctl

CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
cat >$CONF <<'CONF'
options kecho port=12345
CONF

check "keechoctl load" keechoctl load
check "listening on 12345" wait_for "port_listening 12345" 10

out=$(keechoctl status)
diag "$out"
check "status: stream mode" has_line "$out" "mode: stream"
check "status: an empty room" \
	has_line "$out" "chat: clients 0, delivered 0, slow_dropped 0, queued_bytes 0"

out=$(keechoctl reconfigure --mode chat --chat-queue 65536 --chat-echo 1 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --mode chat --chat-queue 65536 --chat-echo 1" $rc 0
check_eq "mode changed live" "$(kecho_param mode)" chat
check_eq "chat_queue changed live" "$(kecho_param chat_queue)" 65536
check_eq "chat_echo changed live" "$(kecho_param chat_echo)" 1
check "modprobe.d has them" \
	grep -qx "options kecho port=12345 chat_echo=1 chat_queue=65536 mode=chat" $CONF

# health alone: its receiver gets the probe (with chat_echo=1 its sender
# too, unless it has left by then).
out=$(keechoctl health)
rc=$?
diag "$out"
check_eq "health in chat mode exits 0" $rc 0
check "health: a chat relay, big-endian length" \
	contains "$out" "^healthy: chat relay (64-byte body, be length) on port 12345 in"
kecho_counters
check "kecho counted the probe in" test "$(kecho_counter messages_in)" -ge 1
check "and delivered it" test "$(kecho_counter chat_delivered)" -ge 1
check "health's connections left the room" wait_for '[ "$(kecho_counter chat_clients)" = 0 ]' 10
check "nothing queued after" wait_for '[ "$(kecho_counter queued_bytes)" = 0 ]' 10

# Three members: busybox nc, each one's input a fifo this shell holds open
# on fd 3, 4 or 5 (an end of input would be a FIN: leaving the room).
for m in 1 2 3; do
	rm -f /tmp/m$m.in /tmp/m$m.out
	mkfifo /tmp/m$m.in
	nc 127.0.0.1 12345 </tmp/m$m.in >/tmp/m$m.out 2>&1 &
	eval "member$m=\$!"
	eval "exec $((m + 2))>/tmp/m$m.in"
done
# shellcheck disable=SC2154 # set by eval above
members="$member1 $member2 $member3"
check "three members in the room" wait_for '[ "$(kecho_counter chat_clients)" = 3 ]' 10
delivered=$(kecho_counter chat_delivered)
# Member 1 says hello (a 17-byte body): with chat_echo=1 it comes back to
# member 1 too.
printf '\000\000\000\021hello from member' >&3
for m in 1 2 3; do
	check "member $m got the hello" wait_for "grep -q 'hello from member' /tmp/m$m.out" 10
done
check "3 copies delivered" \
	wait_for "[ \"\$(kecho_counter chat_delivered)\" = $((delivered + 3)) ]" 10

out=$(keechoctl status)
diag "$out"
check "status: chat mode with its settings" has_line "$out" \
	"mode: chat (length header be, max_msg 65536 bytes, msg_timeout 30 s, chat_queue 65536 bytes, chat_echo 1, chat_split 128)"
check "status: the room's three members" contains "$out" "^chat: clients 3, delivered [0-9]*, slow_dropped 0, queued_bytes [0-9]*$"
check "status: healthy in chat mode" contains "$out" "^health: healthy: chat relay"
json=$(keechoctl status --json)
diag "$json"
check "status --json: mode" contains "$json" '"mode":"chat"'
check "status --json: the room" \
	contains "$json" '"chat":{"clients":3,"delivered":[0-9]*,"queued_bytes":[0-9]*,"slow_dropped":0}'

out=$(keechoctl health --json)
rc=$?
diag "$out"
check_eq "health --json with members present exits 0" $rc 0
check "health --json: healthy, chat" contains "$out" '"healthy":true.*"mode":"chat"'
check "the members saw the probes" grep -q "keechoctl-health " /tmp/m2.out

# Fails clearly: kecho resets connections past max_conns. Three members and
# health's receiver fill 4; its sender is reset.
check "only the three members are connected" wait_for '[ "$(kecho_counter active)" = 3 ]' 10
check "reconfigure --max-conns 4" keechoctl reconfigure --max-conns 4
refused=$(kecho_counter refused)
out=$(keechoctl health 2>&1)
rc=$?
diag "$out"
check_eq "health with its sender refused exits 2" $rc 2
check "one line naming the chat relay and the sender" \
	contains "$out" "^chat relay (64-byte body, be length) on port 12345 failed: sender: "
check_eq "one line" "$(printf '%s\n' "$out" | wc -l)" 1
check "kecho counted the refusal" test "$(kecho_counter refused)" -gt "$refused"
check "reconfigure --max-conns 10000" keechoctl reconfigure --max-conns 10000

exec 3>&- 4>&- 5>&-
# shellcheck disable=SC2086 # three pids
kill $members 2>/dev/null
# shellcheck disable=SC2086
wait $members 2>/dev/null
rm -f /tmp/m[123].in /tmp/m[123].out
check "the members left the room" wait_for '[ "$(kecho_counter chat_clients)" = 0 ]' 10
check "their queues are freed" wait_for '[ "$(kecho_counter queued_bytes)" = 0 ]' 10
check_eq "no one was too slow" "$(kecho_counter slow_dropped)" 0

check "reconfigure --msg-order le --max-msg 16 --chat-echo 0" \
	keechoctl reconfigure --msg-order le --max-msg 16 --chat-echo 0
out=$(keechoctl health)
diag "$out"
check "health: a 16-byte probe, little-endian length, no echo" \
	contains "$out" "^healthy: chat relay (16-byte body, le length) on port 12345"

# chat_split=2: even health's room of two shares a fan-out between CPUs.
check "reconfigure --chat-split 2" keechoctl reconfigure --chat-split 2
check_eq "chat_split changed live" "$(kecho_param chat_split)" 2
out=$(keechoctl health)
diag "$out"
check "health through a split fan-out" \
	contains "$out" "^healthy: chat relay (16-byte body, le length) on port 12345"
keechoctl reconfigure --chat-split 1000001 >/dev/null 2>&1
check_eq "chat_split over 1000000 is a usage error" $? 1
check_eq "and changes nothing" "$(kecho_param chat_split)" 2
check "reconfigure --chat-split 128" keechoctl reconfigure --chat-split 128

keechoctl reconfigure --chat-queue 4095 >/dev/null 2>&1
check_eq "chat_queue under 4096 is a usage error" $? 1
keechoctl reconfigure --chat-echo 2 >/dev/null 2>&1
check_eq "chat_echo 2 is a usage error" $? 1
check_eq "and changes nothing" "$(kecho_param chat_queue)" 65536

check "back to stream mode" \
	keechoctl reconfigure --mode stream --msg-order be --max-msg 65536 --chat-queue 1048576
check "health in stream mode again" sh -c 'keechoctl health | grep -q "^healthy: echo round trip"'
check "keechoctl unload" keechoctl unload
out=$(keechoctl health 2>&1)
check_eq "health after unload exits 2" $? 2
check_eq "saying why" "$out" "kecho module is not loaded"
rm -f $CONF
