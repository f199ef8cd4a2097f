#!/bin/sh
# Robustness 3: at the same time, clients that send 4 MiB and close without
# reading the echo, slow readers (up to 4 MiB each, a 4 KiB receive
# buffer, reading at most 256 KiB every 100 ms: more than kecho's send
# buffer, which loopback autotunes to about 1.6 MiB, can hold, so kecho must
# wait for write space) and well-behaved clients; every slow and
# well-behaved client gets an exact echo. Then the counters and memory
# return to the baseline.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline

check "load kecho" kecho_load || exit 1
check "vanishing, slow and good clients together (IPv4)" \
	tc chaos --clients 200 --parallel 40 --mix good=2,slow=1,vanish=1 --size 128k \
	--slow-size 4M --slow-chunk 256k --vanish-size 4M --min-good 60 --timeout 60
check "the same over IPv6" \
	tc chaos --clients 80 --parallel 40 --mix good=2,slow=1,vanish=1 --size 128k \
	--slow-size 4M --slow-chunk 256k --vanish-size 4M --min-good 25 --timeout 60 --family 6
check "active drops back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check "buffered drops back to 0" wait_for '[ "$(kecho_counter buffered)" = 0 ]' 10
check_eq "no connection or buffer object left in kecho's caches" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed" kecho_caches_gone
check_mem_baseline
