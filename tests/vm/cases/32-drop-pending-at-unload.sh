#!/bin/sh
# drop-tcp-socket: an unterminated last line is acted on when its writer
# closes the file, but never by the file's removal: rmmod, or the
# namespace's teardown, with the file still open logs the line and leaves
# the connection alone.
# vmtest-timeout: 200
. /tests/lib.sh
require_module kecho
require_module drop_tcp_socket
require_prog kecho-testclient
. /tests/dts-lib.sh

check "load kecho" kecho_load || exit 1

# live PORT: start a held connection from local PORT; its tuple in $T,
# the client's pid in $pid (so not run under check: that is a subshell)
live() {
	rm -f /tmp/ready
	tc bound --local-port "$1" --seconds 6 --ready /tmp/ready >/tmp/bound.out 2>&1 &
	pid=$!
	T="127.0.0.1:$1 127.0.0.1:12345"
	wait_for '[ -f /tmp/ready ]' 20
}

check "load drop_tcp_socket" modprobe drop_tcp_socket
live 30301
check "a live connection from port 30301" test -f /tmp/ready
dmesg_mark
exec 7>$DTS
printf '%s' "$T" >&7
check "rmmod drop_tcp_socket with a line pending" rmmod drop_tcp_socket
exec 7>&-
check "the line was logged, not acted on" dmesg_has "unterminated at removal, not acted on"
wait $pid
diag "$(cat /tmp/bound.out)"
check "the connection lived" grep -q "still echoed exactly" /tmp/bound.out

check "load drop_tcp_socket again" modprobe drop_tcp_socket

# A namespace's teardown removes its file too: a line pending in a file
# opened from outside (through /proc/PID/net) is not acted on either.
unshare -n sh -c 'ip link set lo up; exec sleep 60' &
nspid=$!
check "a second namespace has its file" wait_for "[ -e /proc/$nspid/net/drop_tcp_sock ]" 10
dmesg_mark
exec 7>/proc/$nspid/net/drop_tcp_sock
printf '%s' "127.0.0.1:30399 127.0.0.1:12345" >&7
kill $nspid
wait $nspid 2>/dev/null
check "its teardown logged the pending line, not acted on" \
	wait_for 'dmesg_has "unterminated at removal, not acted on"' 20
exec 7>&-

# The control: the writer's own close does act on it.
live 30302
check "a live connection from port 30302" test -f /tmp/ready
exec 7>$DTS
printf '%s ESTABLISHED' "$T" >&7
exec 7>&-
wait $pid
diag "$(cat /tmp/bound.out)"
check "closing the file dropped it" grep -q "FAIL" /tmp/bound.out
check "rmmod drop_tcp_socket" rmmod drop_tcp_socket
check "unload kecho" kecho_unload
