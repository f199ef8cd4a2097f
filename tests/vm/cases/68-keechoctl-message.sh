#!/bin/sh
# keechoctl and message mode: reconfigure --mode/--max-msg/--msg-order/
# --msg-timeout apply live and land in modprobe.d; status shows the mode and
# the message counters, human and --json; health speaks the mode: one framed
# message, its length in kecho's msg_order, the same bytes back.
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
check "status: stream mode by default" has_line "$out" "mode: stream"
check "status: message counters at 0" \
	has_line "$out" "messages: in 0, out 0, oversize 0, timeouts 0"
out=$(keechoctl health)
check "health in stream mode: an echo round trip" contains "$out" "^healthy: echo round trip"

out=$(keechoctl reconfigure --mode message --max-msg 4096 --msg-timeout 10 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --mode message --max-msg 4096 --msg-timeout 10" $rc 0
check_eq "mode changed live" "$(kecho_param mode)" message
check_eq "max_msg changed live" "$(kecho_param max_msg)" 4096
check_eq "msg_timeout changed live" "$(kecho_param msg_timeout)" 10
check "modprobe.d has the mode" grep -q "mode=message" $CONF

out=$(keechoctl health)
rc=$?
diag "$out"
check_eq "health in message mode exits 0" $rc 0
check "health: a framed round trip, big-endian length" \
	contains "$out" "^healthy: message round trip (64-byte body, be length) on port 12345"
check_eq "kecho counted the message in" "$(kecho_counter messages_in)" 1
check_eq "and out" "$(kecho_counter messages_out)" 1

check "reconfigure --msg-order le" keechoctl reconfigure --msg-order le
check_eq "msg_order changed live" "$(kecho_param msg_order)" le
out=$(keechoctl health --json)
diag "$out"
check "health --json in message mode, little-endian length" \
	contains "$out" '"healthy":true.*"mode":"message"'
check_eq "the little-endian message echoed too" "$(kecho_counter messages_out)" 2

out=$(keechoctl status)
diag "$out"
check "status: message mode with its settings" \
	has_line "$out" "mode: message (length header le, max_msg 4096 bytes, msg_timeout 10 s)"
check "status: the message counters" \
	has_line "$out" "messages: in 2, out 2, oversize 0, timeouts 0"
check "status: healthy in message mode" contains "$out" "^health: healthy: message round trip"
# status's own health check sent a third message.
json=$(keechoctl status --json)
diag "$json"
check "status --json: mode" contains "$json" '"mode":"message"'
check "status --json: messages" \
	contains "$json" '"messages":{"in":3,"out":3,"oversize":0,"timeouts":0}'

keechoctl reconfigure --mode datagram >/dev/null 2>&1
check_eq "an unknown mode is a usage error" $? 1
check_eq "and changes nothing" "$(kecho_param mode)" message

check "back to stream mode" keechoctl reconfigure --mode stream --msg-order be
check "health in stream mode again" sh -c 'keechoctl health | grep -q "^healthy: echo round trip"'
check "keechoctl unload" keechoctl unload
rm -f $CONF
