#!/bin/sh
# drop-tcp-socket: a connection in SYN_SENT (a full socket in the
# established hash, not yet established) is dropped too, and its connect()
# fails with ECONNABORTED, for an AF_INET and for an AF_INET6 socket with
# an IPv4-mapped peer. In a private network namespace, 192.0.2.0/24 (a
# documentation prefix) is routed to loopback, where packets to it are
# dropped silently, so the SYNs never leave the namespace.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

require_module drop_tcp_socket
check "load drop_tcp_socket" modprobe drop_tcp_socket
unshare -n sh -c 'exec sleep 600' &
NSPID=$!
wait_for '[ "$(readlink /proc/$NSPID/ns/net)" != "$(readlink /proc/self/ns/net)" ]' 10
in_ns() { nsenter -t "$NSPID" -n "$@"; }
in_ns ip link set lo up
in_ns ip route add 192.0.2.0/24 dev lo

n=0
for dst in 192.0.2.1 ::ffff:192.0.2.1; do
	n=$((n + 1))
	case $dst in
	*:*) table=tcp6 rhex=0000000000000000FFFF0000010200C0:0050 fam=IPv4-mapped ;;
	*) table=tcp rhex=010200C0:0050 fam=IPv4 ;;
	esac
	in_ns nc $dst 80 </dev/null >/dev/null 2>/tmp/err$n &
	CPID=$!
	if ! wait_for "[ -n \"\$(in_ns sh -c '. /tests/dts-lib.sh; ports $table $rhex 02')\" ]" 10; then
		fail "$fam: a connection in SYN_SENT" "$(in_ns cat /proc/net/$table)"
		kill $CPID
		continue
	fi
	P=$(in_ns sh -c ". /tests/dts-lib.sh; ports $table $rhex 02" | head -n 1)
	ok "$fam: a connection in SYN_SENT from port $P"
	laddr=$(in_ns netstat -tn | awk -v p=":$P" 'substr($4, length($4) - length(p) + 1) == p { print $4; exit }')
	diag "netstat: $(in_ns netstat -tn | grep ":$P ")"
	line="$laddr $dst:80"
	check_eq "$fam: write '$line'" \
		"$(in_ns sh -c ". /tests/dts-lib.sh; dts_write '$line
'")" OK
	if wait_for "! kill -0 $CPID 2>/dev/null" 10; then
		ok "$fam: connect() ended at once"
	else
		fail "$fam: connect() ended at once" "nc $CPID still runs"
		kill $CPID
	fi
	check "$fam: connect() failed with ECONNABORTED" \
		grep -q "Software caused connection abort" /tmp/err$n
	check_eq "$fam: no socket left" \
		"$(in_ns sh -c ". /tests/dts-lib.sh; sock_state $table $P 80")" ""
done
kill $NSPID
wait $NSPID 2>/dev/null
check "unload drop_tcp_socket" rmmod drop_tcp_socket
