#!/bin/sh
# drop-tcp-socket, issue test 7: network namespaces. A second namespace
# runs its own server and TIME_WAIT connections beside kecho's in
# init_net. Each namespace's file acts only on that namespace: a tuple of
# the other one gives ENOENT, a drop in one leaves the other untouched, and
# an open file keeps acting on its own namespace whoever writes to it.
. /tests/lib.sh

# Helpers shared by the drop-tcp-socket cases, also sourced by
# commands run in other namespaces.
cat >/tmp/h.sh <<'EOF'
DTS=/proc/net/drop_tcp_sock

# dts_write DATA: write DATA to $DTS in one write() (busybox echo builds
# its whole output first); print OK, EINVAL, ENOENT, EPERM or the error.
dts_write() {
	dts_errname "$( (echo -n "$1" >$DTS) 2>&1)"
}

# dts_write_stdin: copy stdin to $DTS with dd (64 KiB per write()); print
# as dts_write does.
dts_write_stdin() {
	dts_errname "$(dd of=$DTS bs=65536 conv=notrunc 2>&1 >/dev/null |
		sed -n 's/^dd: error writing.*: /write error: /p')"
}

dts_errname() {
	case $1 in
	"") echo OK ;;
	*"write error"*"Invalid argument"*) echo EINVAL ;;
	*"write error"*"No such file"*) echo ENOENT ;;
	*"write error"*"not permitted"*) echo EPERM ;;
	*) echo "ERROR: $1" ;;
	esac
}

# sock_state TABLE LPORT RPORT: hex state of the socket with these ports
# in /proc/net/TABLE (tcp or tcp6), empty if there is none.
sock_state() {
	awk -v l="$(printf ':%04X' "$2")" -v r="$(printf ':%04X' "$3")" '
		substr($2, length($2) - 4) == l && substr($3, length($3) - 4) == r {
			print $4; exit }' "/proc/net/$1"
}

# ports TABLE REMOTE STATE: decimal local ports of the sockets in
# /proc/net/TABLE whose remote end is REMOTE (hex, as the table prints
# it) and whose state is STATE (hex).
ports() {
	awk -v r="$2" -v st="$3" '$3 == r && $4 == st {
		n = split($2, a, ":"); print a[n] }' "/proc/net/$1" |
		while read -r h; do printf '%d\n' "0x$h"; done
}

# dts_setup [PORT]: start kecho (on PORT, default 12345) and
# drop_tcp_socket; end the case unless both load. Sets KP (the port),
# KPX (it in hex, as /proc/net/tcp prints it) and KECHO_PORT. A port
# below 1024 is never an ephemeral port, so no socket left by an earlier
# case can hold it or be mistaken for one of this case's connections.
dts_setup() {
	KP=${1:-12345}
	KPX=$(printf '%04X' "$KP")
	KECHO_PORT=$KP
	require_module drop_tcp_socket
	require_module kecho
	if ! kecho_load port="$KP"; then
		fail "kecho loads"
		exit 0
	fi
	if ! modprobe drop_tcp_socket; then
		fail "drop_tcp_socket loads"
		kecho_unload
		exit 0
	fi
}

dts_teardown() {
	check "rmmod drop_tcp_socket" rmmod drop_tcp_socket
	check "rmmod kecho" kecho_unload
}

# new_ports TABLE REMOTE STATE OLDFILE: like ports, minus the ports listed
# in OLDFILE (taken before this case made its connections: sockets left
# by earlier cases are not ours).
new_ports() {
	ports "$1" "$2" "$3" | grep -vxF -f "$4"
}
EOF
. /tmp/h.sh

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
	[ "$(in_ns sh -c ". /tmp/h.sh; ports tcp $V4 06" | wc -l)" -ge 3 ]' 20
# shellcheck disable=SC2046
set -- $(new_ports tcp $V4 06 /tmp/old)
A1=$1 A2=$2 A3=$3
# shellcheck disable=SC2046
set -- $(in_ns sh -c ". /tmp/h.sh; ports tcp $V4 06")
B1=$1 B2=$2 B3=$3
diag "init_net TIME_WAIT ports: $A1 $A2 $A3; second netns: $B1 $B2 $B3"
check "three TIME_WAIT connections in each namespace" \
	test -n "$A3" -a -n "$B3"
b_state() { in_ns sh -c ". /tmp/h.sh; sock_state tcp $1 $KP"; }

check_eq "init_net's tuple in the other namespace: ENOENT" \
	"$(in_ns sh -c ". /tmp/h.sh; dts_write '127.0.0.1:$A1 127.0.0.1:$KP
'")" ENOENT
check_eq "the other namespace's tuple in init_net: ENOENT" \
	"$(dts_write "127.0.0.1:$B1 127.0.0.1:$KP
")" ENOENT
check_eq "drop in the other namespace" \
	"$(in_ns sh -c ". /tmp/h.sh; dts_write '127.0.0.1:$B1 127.0.0.1:$KP
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
