#!/bin/sh
# drop-tcp-socket, issue point 7: load and unload are clean while writers
# are active. Writers loop in init_net and in a second namespace, one file
# holds a half-written line, and the module is unloaded and loaded again
# under them; later writes to the stale file fail, nothing warns (the
# harness fails on any kernel warning).
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

require_module drop_tcp_socket
# writer.sh FILE: write to the file in a loop; FILE gets one line per
# round (so the case can wait until the writer runs).
cat >/tmp/writer.sh <<'EOF'
while :; do
	echo '127.0.0.1:1 127.0.0.1:2' >/proc/net/drop_tcp_sock
	echo 'garbage' >/proc/net/drop_tcp_sock
	printf '127.0.0.1:3 127.0' >/proc/net/drop_tcp_sock
	echo x >>"$1"
done 2>/dev/null
EOF
unshare -n sh -c 'exec sleep 600' &
NSPID=$!
wait_for '[ "$(readlink /proc/$NSPID/ns/net)" != "$(readlink /proc/self/ns/net)" ]' 10
for round in 1 2 3; do
	check "round $round: load" modprobe drop_tcp_socket
	exec 3>$DTS
	printf '127.0.0.1:1 127' >&3
	rm -f /tmp/w1.n /tmp/w2.n
	sh /tmp/writer.sh /tmp/w1.n &
	W1=$!
	nsenter -t $NSPID -n sh /tmp/writer.sh /tmp/w2.n &
	W2=$!
	# unload only once both writers are looping (each has written)
	check "round $round: both writers are writing" \
		wait_for '[ -s /tmp/w1.n ] && [ -s /tmp/w2.n ]' 10
	check "round $round: unload with writers active" rmmod drop_tcp_socket
	check_fails "round $round: the file is gone" test -e $DTS
	check_errno "round $round: a write to a file opened before unload fails" EIO \
		sh -c "echo '.0.0.1:2' >&3"
	exec 3>&-
	kill $W1 $W2
	wait $W1 $W2 2>/dev/null
done
kill $NSPID
wait $NSPID 2>/dev/null
check_fails "the module is gone" test -d /sys/module/drop_tcp_socket
