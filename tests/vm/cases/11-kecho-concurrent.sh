#!/bin/sh
# 2,000 connections open at once, each echoing its own message; kecho must
# count them all active at the same time (no 256-connection ceiling).
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

# With the default backlog (128) 2,000 simultaneous SYNs overflow the
# queue. SYN cookies would then let a late retransmitted ACK of an already
# closed connection create a new, peerless "ghost" connection on the
# listener (seen once: accepted 4007, 7 active forever), so overflowing
# SYNs are dropped and retried by the clients instead.
cookies=$(cat /proc/sys/net/ipv4/tcp_syncookies)
echo 0 >/proc/sys/net/ipv4/tcp_syncookies
check "load kecho" kecho_load || exit 1
check "2000 concurrent connections over IPv4" \
	tc concurrent --conns 2000 --size 1k --min-active 2000 --timeout 60
check "2000 concurrent connections over IPv6" \
	tc concurrent --conns 2000 --size 4k --min-active 2000 --timeout 60 --family 6
if ! check "active connections drop back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30; then
	diag "sockets still on port 12345:" "$(ss -tan '( sport = :12345 or dport = :12345 )' | head -n 20)"
fi
check_eq "accepted = 4000 connections made" "$(kecho_counter accepted)" 4000
kecho_counters
check "unload kecho" kecho_unload
echo "$cookies" >/proc/sys/net/ipv4/tcp_syncookies
