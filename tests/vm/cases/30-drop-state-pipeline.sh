#!/bin/sh
# drop-tcp-socket: the README's pipeline, which passes each connection's
# state, drops the TIME_WAIT connections to kecho and leaves a half-closed
# echo alone: a client that sent 8 MiB and shut its write side (FIN_WAIT1
# or FIN_WAIT2 here, ESTABLISHED or CLOSE_WAIT on kecho's end: both match
# "grep WAIT") gets every byte back. A line naming a socket in another
# state than it says is refused with ENOENT and the socket is not touched.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_module drop_tcp_socket
require_prog kecho-testclient
. /tests/dts-lib.sh
tw_count() { netstat -n | grep -c ':12345 *TIME_WAIT'; }

check "load kecho" kecho_load || exit 1
check "load drop_tcp_socket" modprobe drop_tcp_socket || exit 1
for p in 30101 30102 30103; do
	check "a client on port $p closes first" tc bound --local-port $p
done
check "three TIME_WAIT connections to kecho" wait_for '[ "$(tw_count)" -ge 3 ]' 10

tc slowread --size 8M --rcvbuf 0 --sndbuf 16M --pause 15 --read-timeout 60 >/tmp/sr.out 2>&1 &
pid=$!
check "a client sends 8 MiB, shuts its write side and reads nothing yet" \
	wait_for 'netstat -n | grep -q ":12345 *FIN_WAIT"' 10
diag "$(netstat -n | grep ':12345 ')"

# The documented pipeline, as README.md and docs/drop-tcp-socket.md give it.
check "the documented pipeline runs" sh -c \
	"netstat -n | grep WAIT | grep 12345 | awk '\$6==\"TIME_WAIT\" {print \$4, \$5, \$6}' | tee $DTS"
check_eq "it dropped the TIME_WAIT connections" "$(tw_count)" 0

# Name the half-closed echo's two ends as TIME_WAIT, as a careless
# pipeline would: refused, nothing touched.
lines=$(netstat -n | awk '$6 ~ /WAIT|ESTABLISHED/ && ($4 ~ /:12345$/ || $5 ~ /:12345$/) {
	print $4, $5, "TIME_WAIT" }')
diag "$lines"
check "the echo's ends are listed" test -n "$lines"
check_eq "naming them TIME_WAIT gives ENOENT" "$(dts_write "$lines
")" ENOENT
wait $pid
diag "$(cat /tmp/sr.out)"
check "the half-closed client got all 8 MiB back" grep -q "^slowread: all 8388608 bytes back" /tmp/sr.out
check_eq "kecho closed nothing with its echo unsent" "$(kecho_counter closed_unsent)" 0
check "rmmod drop_tcp_socket" rmmod drop_tcp_socket
check "unload kecho" kecho_unload
