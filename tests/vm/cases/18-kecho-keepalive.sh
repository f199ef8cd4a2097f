#!/bin/sh
# kecho turns TCP keepalive on for every connection it accepts (keepalive=
# seconds of silence before the first probe; 0: off), so a peer that
# vanished without its FIN or RST reaching kecho cannot hold a slot for
# good. Checked: the timer is armed, probes really go out (TcpExt
# TCPKeepAlive), none with keepalive=0, and bad values are refused.
. /tests/lib.sh
require_module kecho
# ss reads sockets through sock_diag.
check "modprobe tcp_diag" modprobe tcp_diag

# Keepalive probes sent so far by this network namespace.
probes() {
	awk '$1 == "TcpExt:" { if (!n) { split($0, name); n = 1 } else {
		split($0, val); for (i in name) if (name[i] == "TCPKeepAlive") print val[i] } }' \
		/proc/net/netstat
}

# ss's timer column for kecho's end of the connection ("" if none).
kecho_end() { ss -tno | awk '$1 == "ESTAB" && $4 ~ /:12345$/'; }
kecho_timer() { kecho_end | grep -o 'timer:([a-z]*' | head -n 1; }

# One idle client connection for SECS seconds, in the background. Not run
# under check: check captures output, and the client must not hold its pipe.
idle_client() {
	(sleep "$1" | nc 127.0.0.1 12345) </dev/null >/dev/null 2>&1 &
}
connected() { wait_for '[ "$(kecho_counter active)" = 1 ]' 10; }
closed() { wait_for '[ "$(kecho_counter active)" = 0 ]' 15; }

check "load kecho keepalive=2" kecho_load keepalive=2 || exit 1
check_eq "keepalive reads back" "$(kecho_param keepalive)" 2
before=$(probes)
idle_client 8
check "an idle client connects" connected
diag "$(kecho_end)"
check_eq "kecho's end has a keepalive timer" "$(kecho_timer)" "timer:(keepalive"
check "kecho probed the idle connection" wait_for '[ "$(probes)" -gt '"$before"' ]' 10
diag "TCPKeepAlive probes: $before -> $(probes)"
check "the client leaves" closed

check_errno "keepalive=40000 is refused" EINVAL kecho_param keepalive 40000
check_eq "and the old value stays" "$(kecho_param keepalive)" 2
check "keepalive=0 is accepted live" kecho_param keepalive 0
before=$(probes)
idle_client 8
check "another idle client connects" connected
check_eq "kecho's end still has its socket" \
	"$(kecho_end | wc -l)" 1
check_eq "but no keepalive timer with keepalive=0" "$(kecho_timer)" ""
# The window is the client's whole idle life (8 s, four times what
# keepalive=2 needed above): wait until it is over, then count.
check "the client leaves" closed
check_eq "no probes with keepalive=0 while it idled" "$(probes)" "$before"
check "unload kecho" kecho_unload

check_errno "modprobe kecho keepalive=40000 fails" EINVAL modprobe kecho keepalive=40000
check_fails "and leaves nothing loaded" kecho_loaded
