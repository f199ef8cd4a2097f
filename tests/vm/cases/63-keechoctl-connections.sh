#!/bin/sh
# keechoctl connections: TCP sockets over sock_diag, IPv4 and IPv6, with
# state, port and address filters (--src, --dst, prefixes), human and --json.
. /tests/lib.sh

require_module kecho
require_prog keechoctl
require_prog kecho-testclient

rm -f /etc/modprobe.d/kecho.conf
check "keechoctl load" keechoctl load
check "listening" wait_for "port_listening $KECHO_PORT" 10

tc hold --conns 3 --seconds 60 >/tmp/hold4.out 2>&1 &
h4=$!
tc hold --conns 2 --seconds 60 --family 6 >/tmp/hold6.out 2>&1 &
h6=$!
check "3 IPv4 connections held" wait_for 'grep -q "3/3 established" /tmp/hold4.out' 60
check "2 IPv6 connections held" wait_for 'grep -q "2/2 established" /tmp/hold6.out' 60

out=$(keechoctl connections)
diag "$out"
check "a header like ss" first_line_matches "$out" "^State  *Recv-Q  *Send-Q  *Local Address:Port  *Peer Address:Port"
check "the listener is listed" contains "$out" "^LISTEN .*:$KECHO_PORT "

n=$(keechoctl connections --state established --sport $KECHO_PORT | tail -n +2 | wc -l)
check_eq "server side: 5 established with --sport" "$n" 5
n=$(keechoctl connections --state ESTABLISHED --port $KECHO_PORT | tail -n +2 | wc -l)
check_eq "--port matches both ends: 10" "$n" 10
n=$(keechoctl connections --state established --dport $KECHO_PORT --src 127.0.0.1 | tail -n +2 | wc -l)
check_eq "IPv4 clients: --dport and --src 127.0.0.1" "$n" 3
n=$(keechoctl connections --state established --dport $KECHO_PORT --src ::1 | tail -n +2 | wc -l)
check_eq "IPv6 clients: --src ::1" "$n" 2
# --dst: the peer's address (IPv4-mapped peers of the dual-stack listener
# match their IPv4 address), or a prefix
n=$(keechoctl connections --state established --sport $KECHO_PORT --dst 127.0.0.1 | tail -n +2 | wc -l)
check_eq "server side to IPv4 clients: --sport and --dst 127.0.0.1" "$n" 3
n=$(keechoctl connections --state established --sport $KECHO_PORT --dst ::1 | tail -n +2 | wc -l)
check_eq "server side to IPv6 clients: --dst ::1" "$n" 2
n=$(keechoctl connections --state established --sport $KECHO_PORT --dst 127.0.0.0/8 | tail -n +2 | wc -l)
check_eq "--dst 127.0.0.0/8: the IPv4 ones" "$n" 3
n=$(keechoctl connections --state established --dport $KECHO_PORT --dst ::1 | tail -n +2 | wc -l)
check_eq "client side: --dport and --dst ::1" "$n" 2
n=$(keechoctl connections --state established --port $KECHO_PORT --dst 10.0.0.0/8 | tail -n +2 | wc -l)
check_eq "--dst 10.0.0.0/8 matches none" "$n" 0
check "IPv6 endpoints print as [::1]:port" \
	sh -c "keechoctl connections --src ::1 --dport $KECHO_PORT | grep -q '\[::1\]:$KECHO_PORT'"
n=$(keechoctl connections --state listen --port $KECHO_PORT | tail -n +2 | wc -l)
check "the dual-stack listener(s) with --state listen" test "$n" -ge 1

json=$(keechoctl connections --json --state established --sport $KECHO_PORT)
n=$(echo "$json" | grep -o '"state":"ESTABLISHED"' | wc -l)
check_eq "--json lists the same 5" "$n" 5

for bad in "--state nope" "--port 0" "--src 1.2.3" "--dst ::1/200" "--sport 70000"; do
	# shellcheck disable=SC2086
	keechoctl connections $bad >/dev/null 2>&1
	check_eq "connections $bad: usage error" $? 1
done

kill $h4 $h6 2>/dev/null
wait $h4 $h6 2>/dev/null
check "keechoctl unload" keechoctl unload
