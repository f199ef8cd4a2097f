#!/bin/sh
# Robustness 2: 1,000 clients (100 at a time) send part of a message of up
# to 256 KiB, wait for the echo to start, then close with SO_LINGER 0 (RST)
# in the middle of it: the RSTs are counted (Tcp OutRsts, kecho's errors),
# not assumed. kecho's active and buffered return to 0, a
# well-behaved client still gets an exact echo, and after unloading, TCP
# sockets and kmalloc memory are back at the baseline.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline

# reset_mix OUT ARGS...: tc chaos, its result lines kept in OUT too
reset_mix() {
	_o=$1
	shift
	tc chaos "$@" >"$_o" 2>&1
	_r=$?
	cat "$_o"
	return $_r
}
# planned_resets OUT...: clients that closed with RST as planned
planned_resets() {
	cat "$@" | sed -n 's/.*; as planned good=[0-9]* slow=[0-9]* reset=\([0-9]*\) .*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

check "load kecho" kecho_load || exit 1
rsts0=$(snmp_counter Tcp OutRsts)
errors0=$(kecho_counter errors)
check "1000 clients reset mid-echo (IPv4)" \
	reset_mix /tmp/reset4.out --clients 600 --parallel 100 --mix reset=1 --size 256k --timeout 60
check "more of them over IPv6" \
	reset_mix /tmp/reset6.out --clients 400 --parallel 100 --mix reset=1 --size 256k --timeout 60 --family 6
# The resets really happened: the stack sent an RST for each client that
# closed mid-echo, and kecho ended each of those connections on an error.
planned=$(planned_resets /tmp/reset4.out /tmp/reset6.out)
rsts=$(($(snmp_counter Tcp OutRsts) - rsts0))
diag "$planned clients reset as planned; Tcp OutRsts +$rsts"
check_le "most of the 1000 closed mid-echo as planned" 900 "$planned"
check_le "an RST went out for every one of them (Tcp OutRsts)" "$planned" "$rsts"
check_le "kecho saw each reset as an error" "$planned" "$(($(kecho_counter errors) - errors0))"
check "active drops back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check "buffered drops back to 0" wait_for '[ "$(kecho_counter buffered)" = 0 ]' 10
check_eq "no connection or buffer object left in kecho's caches" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
check "a well-behaved client still gets an exact 1 MiB echo" tc payload --size 1M
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed" kecho_caches_gone
# 1 MiB slack: 1,000 leaked connections of even 1 KiB each would exceed it.
check_mem_baseline
