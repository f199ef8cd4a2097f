#!/bin/sh
# drop-tcp-socket, issue test 3: established connections. Each is dropped
# once from the client's end and once from kecho's end, over IPv4 and
# IPv6: both ends must see the connection end (the client process exits,
# no socket is left), an RST must be sent and kecho's counters must agree.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

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
