#!/bin/sh
# drop-tcp-socket, issue test 3: established connections. Each is dropped
# once from the client's end and once from kecho's end, over IPv4 and
# IPv6: both ends must see the connection end (the client process exits,
# no socket is left), an RST must be sent and kecho's counters must agree.
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

outrsts() {
	awk '$1 == "Tcp:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == "OutRsts") c = i; n = 1 } else print $c }' /proc/net/snmp
}

# connect N ADDR: client N to kecho, kept open by fd 4N on a fifo.
# Sets CPID (nc's pid) and CPORT (its local port) once established.
connect() {
	rm -f /tmp/in$1
	mkfifo /tmp/in$1
	nc "$2" $KECHO_PORT </tmp/in$1 >/dev/null 2>/tmp/err$1 &
	CPID=$!
	eval "exec 4$1>/tmp/in$1"
	_t=$3 _r=$4
	wait_for '[ -n "$(ports $_t $_r 01)" ]' 10
	CPORT=$(ports "$_t" "$_r" 01 | head -n 1)
}

# expect_end N TABLE DESC: client N ended, no socket left for its port.
expect_end() {
	if wait_for "! kill -0 $CPID 2>/dev/null" 10; then
		ok "$3: the client process saw the end"
	else
		fail "$3: the client process saw the end" "nc $CPID still runs"
		kill $CPID
	fi
	diag "client stderr: $(cat /tmp/err$1)"
	check_eq "$3: kecho's active count is back to 0" \
		"$(wait_for '[ "$(kecho_counter active)" = 0 ]' 10; kecho_counter active)" 0
	check_eq "$3: no client socket left" "$(sock_state "$2" "$CPORT" $KP)" ""
	check_eq "$3: no kecho socket left" \
		"$( (sock_state tcp $KP "$CPORT"; sock_state tcp6 $KP "$CPORT") | tr -d '\n')" ""
	eval "exec 4$1>&-"
}

dts_setup 952
V4=0100007F:$KPX
V6=00000000000000000000000001000000:$KPX
acc0=$(kecho_counter accepted)
n=0
for side in client kecho; do
	for fam in 4 6; do
		n=$((n + 1))
		if [ $fam = 4 ]; then
			connect $n 127.0.0.1 tcp $V4
			table=tcp L=127.0.0.1 R=127.0.0.1
		else
			connect $n ::1 tcp6 $V6
			table=tcp6 L='[::1]' R='[::1]'
		fi
		desc="IPv$fam, dropped from the $side's end"
		wait_for '[ "$(kecho_counter active)" = 1 ]' 10
		check_eq "$desc: established, kecho has 1 active" \
			"$(sock_state $table "$CPORT" $KP)/$(kecho_counter active)" 01/1
		rst=$(outrsts)
		err=$(kecho_counter errors)
		if [ $side = client ]; then
			line="$L:$CPORT $R:$KP"
		else
			line="$R:$KP $L:$CPORT"
		fi
		check_eq "$desc: write '$line'" "$(dts_write "$line
")" OK
		expect_end $n $table "$desc"
		check_le "$desc: an RST was sent" $((rst + 1)) "$(outrsts)"
		check_le "$desc: kecho saw an error on its end" \
			$((err + 1)) "$(kecho_counter errors)"
	done
done
check_eq "kecho accepted every connection once" \
	"$(kecho_counter accepted)" $((acc0 + n))
kecho_counters
check "kecho still listens" port_listening $KECHO_PORT
dts_teardown
