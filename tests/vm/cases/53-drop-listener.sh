#!/bin/sh
# drop-tcp-socket, issue test 4: the listener stays. Tuples that name
# kecho's port but match no connection (the ones a lookup falling back to
# listeners would resolve to kecho's listener) must give ENOENT and leave
# the very same listening socket serving over IPv4 and IPv6.
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

# listener_inodes: inodes of the sockets listening on kecho's port
listener_inodes() {
	hex=$(printf ':%04X' $KECHO_PORT)
	cat /proc/net/tcp /proc/net/tcp6 |
		awk -v l="$hex" 'substr($2, length($2) - 4) == l && $4 == "0A" { print $10 }' |
		sort | tr '\n' ' '
}

dts_setup 953
before=$(listener_inodes)
check "kecho has a listening socket" test -n "$before"
diag "listener inodes: $before"
for line in \
	"127.0.0.1:$KP 127.0.0.1:40000" \
	"127.0.0.1:$KP 127.0.0.2:40000" \
	"0.0.0.0:$KP 0.0.0.0:40000" \
	"0.0.0.0:$KP 127.0.0.1:40000" \
	"[::1]:$KP [::1]:40000" \
	"[::]:$KP [::]:40000" \
	"[::ffff:127.0.0.1]:$KP [::ffff:127.0.0.1]:40000"; do
	check_eq "'$line' matches nothing" "$(dts_write "$line
")" ENOENT
done
check_eq "many such lines in one write" "$(dts_write "127.0.0.1:$KP 127.0.0.1:1
[::1]:$KP [::1]:1
127.0.0.1:$KP 127.0.0.1:65535
")" ENOENT
check_eq "the same listening socket(s)" "$(listener_inodes)" "$before"
check_eq "kecho still serves IPv4" "$(echo ping4 | nc 127.0.0.1 $KECHO_PORT)" ping4
check_eq "kecho still serves IPv6" "$(echo ping6 | nc ::1 $KECHO_PORT)" ping6
check_eq "kecho counts no error" "$(kecho_counter errors)" 0
dts_teardown
