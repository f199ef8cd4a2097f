#!/bin/sh
# drop-tcp-socket, issue test 6: a writer without CAP_NET_ADMIN in the
# user namespace owning the file's network namespace gets EPERM and drops
# nothing. Root of a child user namespace is that writer for init_net,
# but is allowed in a network namespace its own user namespace owns.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

dts_setup 955
V4=0100007F:$KPX
rm -f /tmp/in
mkfifo /tmp/in
nc 127.0.0.1 $KECHO_PORT </tmp/in >/dev/null &
CPID=$!
exec 5>/tmp/in
wait_for '[ -n "$(ports tcp $V4 01)" ]' 10
P=$(ports tcp $V4 01 | head -n 1)
check "a live connection from port $P" test -n "$P"
LINE="127.0.0.1:$P 127.0.0.1:$KP"

out=$(unshare -U -r sh -c "id -u; echo '$LINE' >$DTS" 2>&1)
diag "$out"
check_eq "root in a child user namespace gets EPERM" \
	"$(dts_errname "$(echo "$out" | sed 1d)")" EPERM
out=$(unshare -U -r sh -c "echo 'garbage' >$DTS" 2>&1)
check_eq "EPERM comes before parsing" "$(dts_errname "$out")" EPERM
check_eq "the connection is untouched" "$(sock_state tcp "$P" $KP)" 01
check "its client still runs" kill -0 $CPID

out=$(unshare -U -r -n sh -c "ip link set lo up; echo '127.0.0.1:1 127.0.0.1:2' >$DTS" 2>&1)
check_eq "the same user owns a new netns: allowed there (ENOENT)" \
	"$(dts_errname "$out")" ENOENT

exec 5>&-
wait_for "! kill -0 $CPID 2>/dev/null" 10
dts_teardown
