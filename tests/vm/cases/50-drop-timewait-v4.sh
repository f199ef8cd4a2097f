#!/bin/sh
# drop-tcp-socket, issue test 1: TIME_WAIT over IPv4. Clients close first
# against kecho, leaving TIME_WAIT sockets; some are dropped by tuple
# (several lines per write, IPv4-mapped spelling, a line split across
# writes, an unterminated last line) and /proc/net/tcp must show exactly
# those gone and the others still in TIME_WAIT.
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

dts_setup 950
V4=0100007F:$KPX	# 127.0.0.1:KP as /proc/net/tcp prints it
N=8
(ports tcp $V4 06; echo none) >/tmp/old
i=0
while [ $i -lt $N ]; do
	echo x | nc 127.0.0.1 $KECHO_PORT >/dev/null
	i=$((i + 1))
done
wait_for '[ "$(new_ports tcp $V4 06 /tmp/old | wc -l)" -ge $N ]' 20
# shellcheck disable=SC2046
set -- $(new_ports tcp $V4 06 /tmp/old)
check_eq "$N client TIME_WAIT sockets in /proc/net/tcp" "$#" $N

r=$(dts_write "127.0.0.1:$1 127.0.0.1:$KP
127.0.0.1:$2 127.0.0.1:$KP
127.0.0.1:$3 127.0.0.1:$KP
")
check_eq "three lines in one write succeed" "$r" OK
for p in $1 $2 $3; do
	check_eq "dropped: 127.0.0.1:$p" "$(sock_state tcp "$p" $KP)" ""
done
for p in $4 $5 $6 $7 $8; do
	check_eq "still TIME_WAIT: 127.0.0.1:$p" "$(sock_state tcp "$p" $KP)" 06
done

r=$(dts_write "127.0.0.1:$1 127.0.0.1:$KP
127.0.0.1:$4 127.0.0.1:$KP
")
check_eq "an already dropped tuple gives ENOENT" "$r" ENOENT
check_eq "the other line of that write was processed" \
	"$(sock_state tcp "$4" $KP)" ""

r=$(dts_write "[::ffff:127.0.0.1]:$5 [::ffff:127.0.0.1]:$KP
")
check_eq "IPv4-mapped form drops an IPv4 socket" "$r" OK
check_eq "dropped: 127.0.0.1:$5" "$(sock_state tcp "$5" $KP)" ""

exec 3>$DTS
printf '127.0.0.1:%s 127.0' "$6" >&3
check_eq "half a line is not acted on" "$(sock_state tcp "$6" $KP)" 06
printf '.0.1:%s\n' "$KP" >&3
check_eq "a line split across two writes is joined" \
	"$(sock_state tcp "$6" $KP)" ""
exec 3>&-

r=$(dts_write "127.0.0.1:$7 127.0.0.1:$KP")
check_eq "an unterminated last line: write succeeds" "$r" OK
check_eq "an unterminated last line is acted on at close" \
	"$(sock_state tcp "$7" $KP)" ""

check_eq "untouched: 127.0.0.1:$8" "$(sock_state tcp "$8" $KP)" 06
check "kecho still listens" port_listening $KECHO_PORT
dts_teardown
