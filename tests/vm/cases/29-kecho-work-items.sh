#!/bin/sh
# A connection costs a work item only once there is work: accepting it
# queues no io_work until its first byte, FIN or error arrives
# (kecho_conn_create() looks once, under the socket lock, for anything that
# came before the callbacks were set). 200 connections held idle run no
# io_work at all; each still echoes when asked, and its FIN ends it.
# Counted from the workqueue_execute_start tracepoint.
. /tests/lib.sh
require_module kecho
require_prog kecho-bench

check "load kecho" kecho_load || exit 1
io_work_trace_on

kecho-bench --mode idle --conns 200 --duration 5 --format csv --no-header \
	>/tmp/idle.out 2>/tmp/idle.err &
bench=$!
check "200 connections open" wait_for "grep -q '^idle: 200 open' /tmp/idle.err" 120
check_eq "kecho holds all 200" "$(kecho_counter active)" 200
sleep 1
check_eq "no io_work ran for a connection that sent nothing" "$(io_works)" 0
wait "$bench"
check_eq "then each echoed (kecho-bench exit status)" "$?" 0
diag "$(cat /tmp/idle.err /tmp/idle.out)"
# csv: ...,failures,errors are columns 16 and 17 of the row
check_eq "no failures or errors" "$(awk -F, '{print $16 "," $17}' /tmp/idle.out)" "0,0"
check "and the FINs ended them" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
diag "io_work runs for 200 connections' echo and FIN: $(io_works)"
io_work_trace_off
check_eq "no errors" "$(kecho_counter errors)" 0
check "unload kecho" kecho_unload
