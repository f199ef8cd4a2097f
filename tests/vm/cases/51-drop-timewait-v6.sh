#!/bin/sh
# drop-tcp-socket, issue test 2: TIME_WAIT over IPv6. Clients to [::1] and
# to ::ffff:127.0.0.1 (an AF_INET6 socket with IPv4-mapped addresses,
# hashed with IPv4) close first against kecho; some are dropped by tuple in
# every accepted spelling and /proc/net/tcp6 must show exactly those gone.
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

dts_setup 951
V6=00000000000000000000000001000000:$KPX	# [::1]:KP
MAPPED=0000000000000000FFFF00000100007F:$KPX	# [::ffff:127.0.0.1]:KP
(ports tcp6 $V6 06; ports tcp6 $MAPPED 06; echo none) >/tmp/old
for a in ::1 ::1 ::1 ::1 ::ffff:127.0.0.1 ::ffff:127.0.0.1 ::ffff:127.0.0.1; do
	echo x | nc $a $KECHO_PORT >/dev/null
done
wait_for '[ "$(new_ports tcp6 $V6 06 /tmp/old | wc -l)" -ge 4 ] &&
	[ "$(new_ports tcp6 $MAPPED 06 /tmp/old | wc -l)" -ge 3 ]' 20
# shellcheck disable=SC2046
set -- $(new_ports tcp6 $V6 06 /tmp/old) $(new_ports tcp6 $MAPPED 06 /tmp/old)
check_eq "4 + 3 client TIME_WAIT sockets in /proc/net/tcp6" "$#" 7

check_eq "[::1]:PORT form" \
	"$(dts_write "[::1]:$1 [::1]:$KP
")" OK
check_eq "netstat form ::1:PORT" "$(dts_write "::1:$2 ::1:$KP
")" OK
check_eq "long form [0:0:0:0:0:0:0:1]:PORT" \
	"$(dts_write "[0:0:0:0:0:0:0:1]:$3 [::1]:$KP
")" OK
for p in $1 $2 $3; do
	check_eq "dropped: [::1]:$p" "$(sock_state tcp6 "$p" $KP)" ""
done
check_eq "still TIME_WAIT: [::1]:$4" "$(sock_state tcp6 "$4" $KP)" 06

check_eq "IPv4-mapped socket, [::ffff:127.0.0.1] form" \
	"$(dts_write "[::ffff:127.0.0.1]:$5 [::ffff:127.0.0.1]:$KP
")" OK
check_eq "IPv4-mapped socket, plain IPv4 form" \
	"$(dts_write "127.0.0.1:$6 127.0.0.1:$KP
")" OK
check_eq "IPv4-mapped socket, netstat form" \
	"$(dts_write "::ffff:127.0.0.1:$7 ::ffff:127.0.0.1:$KP")" OK
for p in $5 $6 $7; do
	check_eq "dropped: [::ffff:127.0.0.1]:$p" "$(sock_state tcp6 "$p" $KP)" ""
done
check_eq "a native IPv6 tuple does not match another address" \
	"$(dts_write "[::1]:$4 [::2]:$KP
")" ENOENT
check_eq "untouched: [::1]:$4" "$(sock_state tcp6 "$4" $KP)" 06
check "kecho still listens" port_listening $KECHO_PORT
dts_teardown
