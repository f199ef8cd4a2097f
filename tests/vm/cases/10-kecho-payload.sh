#!/bin/sh
# Random binary payloads (zero bytes included) of 1 B .. 16 MiB are echoed
# byte for byte over IPv4 and IPv6 on the same port, the client writing and
# reading at the same time.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
for fam in 4 6; do
	for size in 1 1k 64k 1M 16M; do
		check "payload $size over IPv$fam" tc payload --size $size --family $fam
	done
done
kecho_counters
check "unload kecho" kecho_unload
