#!/bin/sh
# 2,000 connections open at once, each echoing its own message; kecho must
# count them all active at the same time (no 256-connection ceiling).
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
check "2000 concurrent connections over IPv4" \
	tc concurrent --conns 2000 --size 1k --min-active 2000 --timeout 60
check "2000 concurrent connections over IPv6" \
	tc concurrent --conns 2000 --size 4k --min-active 2000 --timeout 60 --family 6
check "active connections drop back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
kecho_counters
check "unload kecho" kecho_unload
