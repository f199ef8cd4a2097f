#!/bin/sh
# drop-tcp-socket, issue test 7: network namespaces. A second namespace
# runs its own server and TIME_WAIT connections beside kecho's in
# init_net. Each namespace's file acts only on that namespace: a tuple of
# the other one gives ENOENT, a drop in one leaves the other untouched, and
# an open file keeps acting on its own namespace whoever writes to it.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

# in_ns CMD...: run CMD in the second namespace
in_ns() { nsenter -t "$NSPID" -n "$@"; }

dts_setup 956
V4=0100007F:$KPX
unshare -n sh -c 'ip link set lo up; exec sleep 600' &
NSPID=$!
wait_for '[ "$(readlink /proc/$NSPID/ns/net)" != "$(readlink /proc/self/ns/net)" ] &&
	nsenter -t $NSPID -n ip addr show lo | grep -q 127.0.0.1' 10
check "the new namespace has its own file" in_ns test -f $DTS
in_ns nc -ll -p $KECHO_PORT -e cat &
SRVPID=$!
wait_for 'in_ns grep -q ":$KPX 00000000:0000 0A" /proc/net/tcp /proc/net/tcp6' 10
(ports tcp $V4 06; echo none) >/tmp/old
for _ in 1 2 3; do
	echo x | nc 127.0.0.1 $KECHO_PORT >/dev/null
	in_ns sh -c "echo x | nc 127.0.0.1 $KECHO_PORT >/dev/null"
done
wait_for '[ "$(new_ports tcp $V4 06 /tmp/old | wc -l)" -ge 3 ] &&
	[ "$(in_ns sh -c ". /tests/dts-lib.sh; ports tcp $V4 06" | wc -l)" -ge 3 ]' 20
# shellcheck disable=SC2046
set -- $(new_ports tcp $V4 06 /tmp/old)
A1=$1 A2=$2 A3=$3
# shellcheck disable=SC2046
set -- $(in_ns sh -c ". /tests/dts-lib.sh; ports tcp $V4 06")
B1=$1 B2=$2 B3=$3
diag "init_net TIME_WAIT ports: $A1 $A2 $A3; second netns: $B1 $B2 $B3"
check "three TIME_WAIT connections in each namespace" \
	test -n "$A3" -a -n "$B3"
b_state() { in_ns sh -c ". /tests/dts-lib.sh; sock_state tcp $1 $KP"; }

check_eq "init_net's tuple in the other namespace: ENOENT" \
	"$(in_ns sh -c ". /tests/dts-lib.sh; dts_write '127.0.0.1:$A1 127.0.0.1:$KP
'")" ENOENT
check_eq "the other namespace's tuple in init_net: ENOENT" \
	"$(dts_write "127.0.0.1:$B1 127.0.0.1:$KP
")" ENOENT
check_eq "drop in the other namespace" \
	"$(in_ns sh -c ". /tests/dts-lib.sh; dts_write '127.0.0.1:$B1 127.0.0.1:$KP
'")" OK
check_eq "dropped there: $B1" "$(b_state "$B1")" ""
for p in $A1 $A2 $A3; do
	check_eq "untouched in init_net: $p" "$(sock_state tcp "$p" $KP)" 06
done
check_eq "drop in init_net" "$(dts_write "127.0.0.1:$A1 127.0.0.1:$KP
")" OK
check_eq "dropped in init_net: $A1" "$(sock_state tcp "$A1" $KP)" ""
for p in $B2 $B3; do
	check_eq "untouched in the other namespace: $p" "$(b_state "$p")" 06
done

# A file opened in init_net acts on init_net even when a process in the
# other namespace writes to it.
exec 3>$DTS
in_ns sh -c "echo '127.0.0.1:$A2 127.0.0.1:$KP' >&3"
exec 3>&-
check_eq "init_net's file written from the other namespace: dropped in init_net" \
	"$(sock_state tcp "$A2" $KP)" ""
check_eq "... and not in the other namespace" "$(b_state "$B2")" 06

# The namespace goes away while the module is loaded (pernet exit).
kill $SRVPID $NSPID
wait $SRVPID $NSPID 2>/dev/null
check_eq "init_net's last connection is untouched" "$(sock_state tcp "$A3" $KP)" 06
dts_teardown
