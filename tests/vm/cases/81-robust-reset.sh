#!/bin/sh
# Robustness 2: 1,000 clients (100 at a time) send part of a message of up
# to 256 KiB, wait for the echo to start, then close with SO_LINGER 0 (RST)
# in the middle of it. kecho's active and buffered return to 0, a
# well-behaved client still gets an exact echo, and after unloading, TCP
# sockets and kmalloc memory are back at the baseline.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline

check "load kecho" kecho_load || exit 1
check "1000 clients reset mid-echo (IPv4)" \
	tc chaos --clients 600 --parallel 100 --mix reset=1 --size 256k --timeout 60
check "more of them over IPv6" \
	tc chaos --clients 400 --parallel 100 --mix reset=1 --size 256k --timeout 60 --family 6
check "active drops back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check "buffered drops back to 0" wait_for '[ "$(kecho_counter buffered)" = 0 ]' 10
check "a well-behaved client still gets an exact 1 MiB echo" tc payload --size 1M
kecho_counters
check "unload kecho" kecho_unload
# 1 MiB slack: 1,000 leaked connections of even 1 KiB each would exceed it.
check_mem_baseline
