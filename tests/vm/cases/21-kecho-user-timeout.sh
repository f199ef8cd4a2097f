#!/bin/sh
# user_timeout= (TCP_USER_TIMEOUT, seconds): a peer that stops reading, so
# that kecho's echo goes unacknowledged, is dropped after it and counted;
# keepalive cannot do this, it never fires while data is unacknowledged.
# The same bound ends the wait for a half-closed peer to take the rest of
# its echo. With user_timeout=0 such a peer is not dropped.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

active_is() { wait_for "[ \"\$(kecho_counter active)\" = $1 ]" "$2"; }

check "load kecho user_timeout=3 keepalive=0" kecho_load user_timeout=3 keepalive=0 || exit 1
check_eq "user_timeout reads back" "$(kecho_param user_timeout)" 3

tc stuck --seconds 12 >/tmp/stuck.out 2>&1 &
pid=$!
check "a client that never reads connects" active_is 1 10
check "kecho drops it after the user timeout" active_is 0 10
check "counted as an error" test "$(kecho_counter errors)" -ge 1
check "counted as closed with its echo unsent" test "$(kecho_counter closed_unsent)" -ge 1
wait $pid
diag "$(cat /tmp/stuck.out)"
check "the client finds the connection gone" grep -q "after the hold: send: " /tmp/stuck.out

# 12 KiB: kecho takes it all and the FIN (its send buffer holds it), but
# the client's 4 KiB window cannot, so kecho waits with its FIN sent.
unsent=$(kecho_counter closed_unsent)
tc stuck --size 12k --shut 1 --seconds 25 >/tmp/stuck.out 2>&1 &
pid=$!
check "kecho holds a half-closed client's connection with its FIN sent (LAST_ACK)" \
	wait_for 'netstat -tn | grep -q ":12345 .*LAST_ACK"' 10
check_eq "still counted active meanwhile" "$(kecho_counter active)" 1
# Within the client's hold, so that its own close cannot be what ends it.
check "kecho ends the wait for its echo after the user timeout" active_is 0 20
check "counted as closed with its echo unsent" test "$(kecho_counter closed_unsent)" -gt "$unsent"
kill $pid 2>/dev/null
wait $pid

check "user_timeout=0 is accepted live" kecho_param user_timeout 0
tc stuck --seconds 12 >/tmp/stuck.out 2>&1 &
pid=$!
check "a client that never reads connects" active_is 1 10
sleep 8
check_eq "with user_timeout=0 it is still served" "$(kecho_counter active)" 1
wait $pid
diag "$(cat /tmp/stuck.out)"
check "the client was still connected" grep -q "after the hold: still connected" /tmp/stuck.out
check "it leaves" active_is 0 20

check_fails "user_timeout=2147484 (more than TCP_USER_TIMEOUT holds) is refused" \
	kecho_param user_timeout 2147484
check_eq "and the old value stays" "$(kecho_param user_timeout)" 0
kecho_counters
check "unload kecho" kecho_unload
