#!/bin/sh
# drop-tcp-socket, issue test 2: TIME_WAIT over IPv6. Clients to [::1] and
# to ::ffff:127.0.0.1 (an AF_INET6 socket with IPv4-mapped addresses,
# hashed with IPv4) close first against kecho; some are dropped by tuple in
# every accepted spelling and /proc/net/tcp6 must show exactly those gone.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

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
