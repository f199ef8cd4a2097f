#!/bin/sh
# drop-tcp-socket checks CAP_NET_ADMIN of the process that OPENED the file
# (docs/drop-tcp-socket.md, EPERM), not of the writer: a file root opened
# works when a process without the capability writes to it, after fork and
# setuid or from a child user namespace; a file opened without it gives
# EPERM even when root writes to it (the descriptor handed over with
# pidfd_getfd), and the connection is untouched.
. /tests/lib.sh
require_module kecho
require_module drop_tcp_socket
require_prog kecho-testclient

DTS=/proc/net/drop_tcp_sock
KP=941	# below 1024: no ephemeral port, no earlier case's socket
KPX=$(printf '%04X' $KP)
KECHO_PORT=$KP

# client_ports: local ports of ESTABLISHED clients of 127.0.0.1:KP
client_ports() {
	awk -v r="0100007F:$KPX" '$3 == r && $4 == "01" {
		n = split($2, a, ":"); print a[n] }' /proc/net/tcp |
		while read -r h; do printf '%d\n' "0x$h"; done | sort
}
# connect N: client N to kecho, held open by nc on a fifo (fd 6+N of this
# shell); sets P to its local port
connect() {
	(client_ports; echo none) >/tmp/ports.old # never empty: grep -f
	rm -f /tmp/in$1
	mkfifo /tmp/in$1
	nc 127.0.0.1 $KP </tmp/in$1 >/dev/null 2>&1 &
	eval "exec $((6 + $1))>/tmp/in$1"
	wait_for '[ -n "$(client_ports | grep -vxF -f /tmp/ports.old)" ]' 10
	P=$(client_ports | grep -vxF -f /tmp/ports.old | head -n 1)
}
# established PORT: the client's connection from PORT still exists
established() { client_ports | grep -qx "$1"; }

check "load kecho on port $KP" kecho_load port=$KP || exit 1
check "load drop_tcp_socket" modprobe drop_tcp_socket

# 1. Root opens, an unprivileged process (uid 65534 after su, no
# capabilities) writes through the inherited descriptor.
connect 1
check "client 1 connected from port $P" test -n "$P" || exit 1
exec 3>$DTS
out=$(su -s /bin/sh nobody -c "id -u; grep CapEff /proc/self/status; echo '127.0.0.1:$P 127.0.0.1:$KP' >&3" 2>&1)
diag "$out"
check "the writer is uid 65534" contains "$out" '^65534$'
check "and has no capabilities" contains "$out" 'CapEff:.*0000000000000000'
check_eq "its write succeeded" "$(printf '%s\n' "$out" | grep -ci error)" 0
check "client 1's connection was dropped" wait_for "! established $P" 10
exec 3>&-

# 2. Root opens, root of a child user namespace (no CAP_NET_ADMIN over
# init_net) writes through the inherited descriptor.
connect 2
check "client 2 connected from port $P" test -n "$P" || exit 1
exec 3>$DTS
out=$(unshare -U -r sh -c "echo '127.0.0.1:$P 127.0.0.1:$KP' >&3" 2>&1)
diag "$out"
check_eq "a child user namespace's write succeeded" "$out" ""
check "client 2's connection was dropped" wait_for "! established $P" 10
exec 3>&-

# 3. Root of a child user namespace opens and keeps the file open; root
# takes that very descriptor and writes: EPERM, nothing dropped.
connect 3
check "client 3 connected from port $P" test -n "$P" || exit 1
rm -f /tmp/opened
unshare -U -r sh -c "exec 3>$DTS; touch /tmp/opened; exec sleep 120" &
OPENER=$!
check "a child user namespace opened the file" wait_for '[ -f /tmp/opened ]' 10
check_errno "root writing through its descriptor gets EPERM" EPERM \
	tc fdwrite --pid $OPENER --fd 3 --text "127.0.0.1:$P 127.0.0.1:$KP"
check "client 3's connection is untouched" established $P
kill $OPENER
wait $OPENER 2>/dev/null

# The control for 3: the same hand-over of a descriptor root opened works.
rm -f /tmp/opened
sh -c "exec 3>$DTS; touch /tmp/opened; exec sleep 120" &
OPENER=$!
check "root opened the file in another process" wait_for '[ -f /tmp/opened ]' 10
check "root writing through that descriptor works" \
	tc fdwrite --pid $OPENER --fd 3 --text "127.0.0.1:$P 127.0.0.1:$KP"
check "client 3's connection was dropped" wait_for "! established $P" 10
kill $OPENER
wait $OPENER 2>/dev/null

exec 7>&- 8>&- 9>&-
check "rmmod drop_tcp_socket" rmmod drop_tcp_socket
check "rmmod kecho" kecho_unload
