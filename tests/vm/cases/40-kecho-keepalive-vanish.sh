#!/bin/sh
# keepalive frees the slot of a peer that vanished: the client talks to
# kecho over an address of lo that is then deleted, and is killed, so
# neither its FIN nor any answer to kecho's probes can arrive (no route,
# no iptables). With keepalive=2 kecho's probes go unanswered and its end
# times out: the slot is freed (active 0) on an error. With keepalive=0
# the same vanished peer keeps its slot (the control).
# user_timeout=0: a TCP_USER_TIMEOUT replaces the keepalive probe count
# (the kernel then ends an idle connection only once user_timeout seconds
# have passed, 120 by default), so keepalive alone is shown without it.
. /tests/lib.sh
require_module kecho

# connect_via ADDR: a client (nc, kept open by fd 5 on a fifo) connects to
# kecho over ADDR, an address added to lo for it.
# vanish ADDR: ADDR is deleted, then the client is killed.
connect_via() {
	ip addr add "$1/32" dev lo
	rm -f /tmp/in
	mkfifo /tmp/in
	nc "$1" $KECHO_PORT </tmp/in >/dev/null 2>&1 &
	NC=$!
	exec 5>/tmp/in
}
vanish() {
	ip addr del "$1/32" dev lo
	kill -9 $NC
	wait $NC 2>/dev/null
	exec 5>&-
}
active_is() { [ "$(kecho_counter active)" = "$1" ]; }

check "load kecho keepalive=2 user_timeout=0" kecho_load keepalive=2 user_timeout=0 || exit 1
connect_via 10.200.0.1
check "a client connected over 10.200.0.1" wait_for 'active_is 1' 10
errors0=$(kecho_counter errors)
probes0=$(snmp_counter TcpExt TCPKeepAlive)
vanish 10.200.0.1
check "its address is gone" sh -c '! ip addr show dev lo | grep -q 10.200.0.1'
check "kecho did not hear of it (the client's FIN has no route)" active_is 1
check "kecho sent keepalive probes" \
	wait_for '[ "$(snmp_counter TcpExt TCPKeepAlive)" -gt '"$probes0"' ]' 15
check "kecho freed the vanished peer's slot" wait_for 'active_is 0' 40
check "on an error (the probes timed out)" test "$(kecho_counter errors)" -gt "$errors0"
diag "TCPKeepAlive probes: $probes0 -> $(snmp_counter TcpExt TCPKeepAlive)"
kecho_counters

# The control: without keepalive nothing finds the vanished peer. The
# window is twice what keepalive=2 needed at most (40 s above would fail).
check "keepalive=0 live (applies to new connections)" kecho_param keepalive 0
connect_via 10.200.0.2
check "another client connected over 10.200.0.2" wait_for 'active_is 1' 10
vanish 10.200.0.2
check_fails "keepalive=0: its slot stays taken (20 s)" wait_for 'active_is 0' 20
check "unload kecho (which aborts it)" kecho_unload
