#!/bin/sh
# After the client's shutdown(SHUT_WR), everything sent is echoed, then the
# server closes (the client sees EOF, not a reset).
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
for size in 1 64k 1M; do
	check "half-close after $size" tc halfclose --size $size
done
check "half-close over IPv6" tc halfclose --size 100k --family 6
check "server closed its side (active back to 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 10
kecho_counters
check "unload kecho" kecho_unload
