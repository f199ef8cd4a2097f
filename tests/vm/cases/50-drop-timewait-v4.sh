#!/bin/sh
# drop-tcp-socket, issue test 1: TIME_WAIT over IPv4. Clients close first
# against kecho, leaving TIME_WAIT sockets; some are dropped by tuple
# (several lines per write, IPv4-mapped spelling, a line split across
# writes, an unterminated last line) and /proc/net/tcp must show exactly
# those gone and the others still in TIME_WAIT.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

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
