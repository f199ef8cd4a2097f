#!/bin/sh
# drop-tcp-socket, issue test 4: the listener stays. Tuples that name
# kecho's port but match no connection (the ones a lookup falling back to
# listeners would resolve to kecho's listener) must give ENOENT and leave
# the very same listening socket serving over IPv4 and IPv6.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

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
