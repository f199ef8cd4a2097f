#!/bin/sh
# drop-tcp-socket, issue test 8: the README's pipeline
#   netstat -n | grep WAIT | grep 12345 | awk '{print $4" "$5}' | tee /proc/net/drop_tcp_sock
# drops exactly the listed connections (IPv4 and IPv6 TIME_WAIT to kecho)
# and nothing else (TIME_WAIT to another port, an established connection
# to kecho, kecho's listener). kecho serves 12345 unless sockets left by
# earlier cases use that port; then another five-digit port stands in.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

OP=946	# a second server's port: below 1024, so never an ephemeral port
OTHER=0100007F:03B2	# 127.0.0.1:946
# kecho's port: five digits, so `grep PORT` matches nothing else, and one
# that no socket left by an earlier case uses (their TIME_WAIT could
# expire between netstat and the write and make it fail with ENOENT).
for port in 12345 23457 23458 23459 23460 23461 23462 23463; do
	hex=$(printf '%04X' $port)
	cat /proc/net/tcp /proc/net/tcp6 | grep -q ":$hex " || break
done
dts_setup $port
V4=0100007F:$KPX
V6=00000000000000000000000001000000:$KPX
nc -ll -p $OP -e cat &
SRVPID=$!
wait_for 'grep -q ":03B2 00000000" /proc/net/tcp /proc/net/tcp6' 10
rm -f /tmp/in
mkfifo /tmp/in
nc 127.0.0.1 $KP </tmp/in >/dev/null &
CPID=$!
exec 5>/tmp/in
for a in 127.0.0.1 127.0.0.1 127.0.0.1 ::1 ::1; do
	echo x | nc $a $KP >/dev/null
done
for _ in 1 2; do
	echo x | nc 127.0.0.1 $OP >/dev/null
done
# Wait until every closed connection is in TIME_WAIT and nothing else
# matches "WAIT" (FIN_WAIT2, CLOSE_WAIT, LAST_ACK are transient).
wait_for '[ "$(ports tcp $V4 06 | wc -l)" -ge 3 ] &&
	[ "$(ports tcp6 $V6 06 | wc -l)" -ge 2 ] &&
	[ "$(ports tcp $OTHER 06 | wc -l)" -ge 2 ] &&
	[ "$(ports tcp $V4 01 | wc -l)" -ge 1 ] &&
	[ "$(netstat -n | grep WAIT | grep $KP | grep -vc TIME_WAIT)" = 0 ]' 20
keep_other=$(ports tcp $OTHER 06 | sort | tr '\n' ' ')
keep_est=$(ports tcp $V4 01)
diag "before:" "$(netstat -tn | grep "$KP\|:$OP ")"

# The README's pipeline, with this case's port for 12345.
netstat -n | grep WAIT | grep $KP | awk '{print $4" "$5}' | tee /proc/net/drop_tcp_sock >/tmp/listed
check_eq "the pipeline succeeds" "$?" 0
diag "listed:" "$(cat /tmp/listed)"
check_eq "it listed this case's 5 TIME_WAIT connections" \
	"$(wc -l </tmp/listed | tr -d ' ')" 5
check_eq "no IPv4 TIME_WAIT to kecho is left" "$(ports tcp $V4 06)" ""
check_eq "no IPv6 TIME_WAIT to kecho is left" "$(ports tcp6 $V6 06)" ""
left=""
while read -r l r; do
	case $l in
	::ffff:*) t=tcp6 ;;
	*.*) t=tcp ;;
	*) t=tcp6 ;;
	esac
	[ -z "$(sock_state $t "${l##*:}" "${r##*:}")" ] || left="$left $l"
done </tmp/listed
check_eq "every listed connection is gone" "$left" ""
check_eq "the TIME_WAIT to port $OP remain" \
	"$(ports tcp $OTHER 06 | sort | tr '\n' ' ')" "$keep_other"
check_eq "the established connection to kecho remains" \
	"$(ports tcp $V4 01)" "$keep_est"
check "its client still runs" kill -0 $CPID
check "kecho still listens" port_listening $KP
diag "after:" "$(netstat -tn | grep "$KP\|:$OP ")"

exec 5>&-
wait_for "! kill -0 $CPID 2>/dev/null" 10
kill $SRVPID
wait $SRVPID 2>/dev/null
dts_teardown
