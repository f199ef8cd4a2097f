#!/bin/sh
# drop-tcp-socket, issue test 8: the README's pipeline
#   netstat -n | grep WAIT | grep 12345 | awk '{print $4" "$5}' | tee /proc/net/drop_tcp_sock
# drops exactly the listed connections (IPv4 and IPv6 TIME_WAIT to kecho)
# and nothing else (TIME_WAIT to another port, an established connection
# to kecho, kecho's listener).
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

# Start kecho and drop_tcp_socket; end the case unless both load.
dts_setup() {
	require_module drop_tcp_socket
	require_module kecho
	if ! kecho_load; then
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

V4=0100007F:3039
V6=00000000000000000000000001000000:3039
OTHER=0100007F:303A	# 127.0.0.1:12346
dts_setup
nc -ll -p 12346 -e cat &
SRVPID=$!
wait_for 'grep -q ":303A 00000000:0000 0A\|:303A 00000000000000000000000000000000:0000 0A" /proc/net/tcp /proc/net/tcp6' 10
rm -f /tmp/in
mkfifo /tmp/in
nc 127.0.0.1 $KECHO_PORT </tmp/in >/dev/null &
CPID=$!
exec 5>/tmp/in
# TIME_WAIT to kecho left by earlier cases are listed by the pipeline too
(ports tcp $V4 06; ports tcp6 $V6 06; echo none) >/tmp/old
for a in 127.0.0.1 127.0.0.1 127.0.0.1 ::1 ::1; do
	echo x | nc $a $KECHO_PORT >/dev/null
done
for _ in 1 2; do
	echo x | nc 127.0.0.1 12346 >/dev/null
done
# Wait until every closed connection is in TIME_WAIT and nothing else
# matches "WAIT" (FIN_WAIT2, CLOSE_WAIT, LAST_ACK are transient).
wait_for '[ "$(new_ports tcp $V4 06 /tmp/old | wc -l)" -ge 3 ] &&
	[ "$(new_ports tcp6 $V6 06 /tmp/old | wc -l)" -ge 2 ] &&
	[ "$(ports tcp $OTHER 06 | wc -l)" -ge 2 ] &&
	[ "$(ports tcp $V4 01 | wc -l)" -ge 1 ] &&
	[ "$(netstat -n | grep WAIT | grep -vc TIME_WAIT)" = 0 ]' 20
(new_ports tcp $V4 06 /tmp/old; new_ports tcp6 $V6 06 /tmp/old) >/tmp/mine
keep_other=$(ports tcp $OTHER 06 | sort | tr '\n' ' ')
keep_est=$(ports tcp $V4 01)
diag "before:" "$(netstat -tn)"

netstat -n | grep WAIT | grep 12345 | awk '{print $4" "$5}' | tee /proc/net/drop_tcp_sock >/tmp/listed
check_eq "the pipeline succeeds" "$?" 0
diag "listed:" "$(cat /tmp/listed)"
check_eq "this case made 5 TIME_WAIT connections to kecho" \
	"$(wc -l </tmp/mine | tr -d ' ')" 5
for p in $(cat /tmp/mine); do
	check "the pipeline listed port $p" grep -q ":$p " /tmp/listed
done
check_eq "every IPv4 TIME_WAIT to kecho is gone" "$(ports tcp $V4 06)" ""
check_eq "every IPv6 TIME_WAIT to kecho is gone" "$(ports tcp6 $V6 06)" ""
check_eq "the TIME_WAIT to port 12346 remain" \
	"$(ports tcp $OTHER 06 | sort | tr '\n' ' ')" "$keep_other"
check_eq "the established connection to kecho remains" \
	"$(ports tcp $V4 01)" "$keep_est"
check "its client still runs" kill -0 $CPID
check "kecho still listens" port_listening $KECHO_PORT
diag "after:" "$(netstat -tn)"

exec 5>&-
wait_for "! kill -0 $CPID 2>/dev/null" 10
kill $SRVPID
wait $SRVPID 2>/dev/null
dts_teardown
