#!/bin/sh
# drop-tcp-socket: a line may carry the state and the inet_diag cookie
# (ss -e prints it as sk:HEX) of the connection it names, and then drops
# only that socket. A TIME_WAIT tuple reused by a new connection
# (loopback's tcp_tw_reuse) between listing and writing: the stale line
# leaves the new connection alive. Malformed options are EINVAL, and so is
# cookie=2^64-1, inet_diag's "no cookie", which would otherwise match any.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_module drop_tcp_socket
require_prog kecho-testclient
check "modprobe tcp_diag" modprobe tcp_diag
. /tests/dts-lib.sh
# state_of PORT / cookie_of PORT: of the client socket on local PORT
state_of() { netstat -n | awk -v p="127.0.0.1:$1" '$4 == p { print $6 }'; }
cookie_of() {
	ss -tanHe "sport = :$1" | sed -n 's/.* sk:\([0-9a-f]*\).*/\1/p' | head -n 1
}

check "load kecho" kecho_load || exit 1
check "load drop_tcp_socket" modprobe drop_tcp_socket || exit 1
T="127.0.0.1:30201 127.0.0.1:12345"

check "a client on port 30201 closes first" tc bound --local-port 30201
check_eq "its end is in TIME_WAIT" "$(state_of 30201)" TIME_WAIT
old=$(cookie_of 30201)
diag "TIME_WAIT cookie: 0x$old"
check "ss shows its cookie" test -n "$old"
check_eq "the wrong state: ENOENT" "$(dts_write "$T ESTABLISHED
")" ENOENT
check_eq "the wrong cookie: ENOENT" "$(dts_write "$T TIME_WAIT cookie=12345
")" ENOENT
check_eq "and it is still there" "$(state_of 30201)" TIME_WAIT

rm -f /tmp/ready
tc bound --local-port 30201 --seconds 8 --ready /tmp/ready >/tmp/bound.out 2>&1 &
pid=$!
check "a new connection reuses the tuple" wait_for '[ -f /tmp/ready ]' 20
check_eq "it is established" "$(state_of 30201)" ESTABLISHED
check "with another cookie" test "$(cookie_of 30201)" != "$old"
check_eq "the stale line with its cookie: ENOENT" "$(dts_write "$T cookie=0x$old
")" ENOENT
check_eq "the stale line with state and cookie: ENOENT" "$(dts_write "$T TIME_WAIT cookie=0x$old
")" ENOENT
wait $pid
diag "$(cat /tmp/bound.out)"
check "the new connection lived and echoed" grep -q "still echoed exactly" /tmp/bound.out

check "a client on port 30202 closes first" tc bound --local-port 30202
new=$(cookie_of 30202)
check_eq "its state and cookie, in decimal: dropped" \
	"$(dts_write "127.0.0.1:30202 127.0.0.1:12345 cookie=$(printf '%d' "0x$new") time-wait
")" OK
check_eq "gone" "$(state_of 30202)" ""

for opt in "TIME_WAIT TIME_WAIT" "cookie=1 cookie=1" LISTEN CLOSE bogus cookie= \
	cookie=0x cookie=-1 cookie=18446744073709551616 cookie=0x1ffffffffffffffff \
	cookie=18446744073709551615; do
	check_eq "\"$opt\": EINVAL" "$(dts_write "$T $opt
")" EINVAL
done
check_eq "cookie=18446744073709551614 fits" "$(dts_write "$T cookie=18446744073709551614
")" ENOENT
check "rmmod drop_tcp_socket" rmmod drop_tcp_socket
check "unload kecho" kecho_unload
