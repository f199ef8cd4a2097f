#!/bin/sh
# keechoctl drop: finds connections via sock_diag, drops them through
# /proc/net/drop_tcp_sock (loading drop_tcp_socket itself), prints what it
# dropped and a count; --dry-run changes nothing; no filter is refused.
. /tests/lib.sh

require_module kecho
require_module drop_tcp_socket
require_prog keechoctl
require_prog kecho-testclient

rm -f /etc/modprobe.d/kecho.conf
check "keechoctl load" keechoctl load
check "listening" wait_for "port_listening $KECHO_PORT" 10

tw_count() { keechoctl connections --state time-wait --port $KECHO_PORT | tail -n +2 | wc -l; }

N=6
i=0
while [ $i -lt $N ]; do
	echo x | nc 127.0.0.1 $KECHO_PORT >/dev/null
	echo y | nc ::1 $KECHO_PORT >/dev/null
	i=$((i + 1))
done
check "TIME_WAIT sockets exist (IPv4 and IPv6)" wait_for "[ \$(tw_count) -ge $((2 * N)) ]" 20
before=$(tw_count)
diag "$before TIME_WAIT sockets"

keechoctl drop >/dev/null 2>&1
check_eq "drop with no filter is refused (usage)" $? 1
keechoctl drop --state LISTEN >/dev/null 2>&1
check_eq "drop --state LISTEN is refused" $? 1

out=$(keechoctl drop --state TIME_WAIT --port $KECHO_PORT --dry-run)
diag "$out"
c=$(printf '%s\n' "$out" | tail -n 1 | sed -n 's/^would drop \([0-9]*\) connections$/\1/p')
check "dry run counts them ($c)" test -n "$c" -a "${c:-0}" -ge $((2 * N)) -a "${c:-0}" -le "$before"
check "dry run lists them" contains "$out" "^would drop TIME_WAIT \[::1\]:[0-9]* \[::1\]:$KECHO_PORT"
check "dry run dropped nothing (our $((2 * N)) are still there)" test "$(tw_count)" -ge $((2 * N))
check "dry run did not load drop_tcp_socket" test ! -d /sys/module/drop_tcp_socket

tw4() { keechoctl connections --state time-wait --port $KECHO_PORT --src 127.0.0.1 | tail -n +2 | wc -l; }
tw6() { keechoctl connections --state time-wait --port $KECHO_PORT --src ::1 | tail -n +2 | wc -l; }
n4=$(tw4)
n6=$(tw6)
diag "$n4 IPv4 and $n6 IPv6 TIME_WAIT sockets (health probes of earlier cases add some)"
out=$(keechoctl drop --state TIME_WAIT --port $KECHO_PORT --src 127.0.0.1)
rc=$?
diag "$out"
check_eq "drop IPv4 TIME_WAIT: exit 0" $rc 0
check "drop loaded drop_tcp_socket" test -d /sys/module/drop_tcp_socket
check "it prints each dropped connection" \
	contains "$out" "^dropped TIME_WAIT 127.0.0.1:[0-9]* 127.0.0.1:$KECHO_PORT"
# Older TIME_WAIT sockets may expire meanwhile: at least our N, at most n4.
c=$(printf '%s\n' "$out" | tail -n 1 | sed -n 's/^dropped \([0-9]*\) connections$/\1/p')
check "and the count ($c)" test -n "$c" -a "${c:-0}" -ge $N -a "${c:-0}" -le "$n4"
check_eq "IPv4 TIME_WAIT gone" "$(tw4)" 0
check "IPv6 TIME_WAIT untouched (at least our $N)" test "$(tw6)" -ge $N

out=$(keechoctl drop --state time-wait --dst ::1 --json)
diag "$out"
check "drop IPv6 --json" contains "$out" '"count":[1-9]'
check "and it lists ::1 sockets" contains "$out" '"address":"::1"'
check_eq "no TIME_WAIT left" "$(tw_count)" 0

tc hold --conns 2 --seconds 60 >/tmp/hold.out 2>&1 &
hold=$!
check "2 connections held" wait_for 'grep -q "2/2 established" /tmp/hold.out' 60
out=$(keechoctl drop --state established --dport $KECHO_PORT)
diag "$out"
check "established client sockets dropped" last_line_is "$out" "dropped 2 connections"
wait $hold
diag "$(cat /tmp/hold.out)"
check "kecho still listens" port_listening $KECHO_PORT
check "and echoes" keechoctl health

out=$(keechoctl drop --port 1)
check_eq "nothing matches: count 0" "$out" "dropped 0 connections"

check "keechoctl unload all" keechoctl unload all
