#!/bin/sh
# rmmod with 1,000 open connections (idle, and one in three stalled: written
# until blocked and never read) returns within 5 s, and every client sees
# its connection end.
# vmtest-timeout: 400
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
tc hold --conns 1000 --stall-every 3 --seconds 60 --timeout 120 >/tmp/hold.out 2>&1 &
hold=$!
check "1000 connections established" wait_for 'grep -q "1000/1000 established" /tmp/hold.out' 180
diag "$(cat /tmp/hold.out)"
check_eq "kecho counts 1000 active" "$(kecho_counter active)" 1000
kecho_counters

t0=$(now_ms)
rmmod kecho
rc=$?
ms=$(($(now_ms) - t0))
check_eq "rmmod succeeded" $rc 0
# The debug kernel's checkers slow everything by VMTEST_SCALE.
limit=$((5000 * ${VMTEST_SCALE:-1}))
check_le "rmmod returned within $limit ms" $ms $limit
check "module is gone" test ! -d /sys/module/kecho
# (the client prints its verdict once every connection ended or 60 s passed)
check "the client finished waiting" wait_for 'grep -q "ended by the server" /tmp/hold.out' 90
wait $hold
rc=$?
diag "$(cat /tmp/hold.out)"
check_eq "the client saw all 1000 connections end" $rc 0
check "no TCP socket left on port 12345" wait_for '[ "$(tcp_count 12345 01)" = 0 ]' 10
