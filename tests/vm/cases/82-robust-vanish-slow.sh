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

tcp_stat() { awk -v k="$1" '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' /proc/net/sockstat; }
# Sockets someone still owns: allocated minus orphans (closed by their
# owner, kecho included, and left to TCP's own timers to finish, e.g.
# LAST-ACK; counted out, shown in the diagnostics).
sock_alloc() { echo $(($(tcp_stat alloc) - $(tcp_stat orphan))); }
kmalloc_bytes() { awk '/^kmalloc-[0-9]+k? / { s += $2 * $4 } END { print s }' /proc/slabinfo; }
mem_line() { echo "sockstat TCP owned $(sock_alloc) (orphans $(tcp_stat orphan), TIME_WAIT $(tcp_stat tw)), kmalloc $(kmalloc_bytes) B, SUnreclaim $(awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo) kB"; }

base_alloc=$(sock_alloc)
base_kmalloc=$(kmalloc_bytes)
diag "baseline: $(mem_line)"

check "load kecho" kecho_load || exit 1
check "vanishing, slow and good clients together (IPv4)" \
	tc chaos --clients 200 --parallel 40 --mix good=2,slow=1,vanish=1 --size 128k \
	--slow-size 4M --slow-chunk 256k --vanish-size 4M --min-good 60 --timeout 60
check "the same over IPv6" \
	tc chaos --clients 80 --parallel 40 --mix good=2,slow=1,vanish=1 --size 128k \
	--slow-size 4M --slow-chunk 256k --vanish-size 4M --min-good 25 --timeout 60 --family 6
check "active drops back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check "buffered drops back to 0" wait_for '[ "$(kecho_counter buffered)" = 0 ]' 10
kecho_counters
check "unload kecho" kecho_unload
check "owned TCP sockets back to the baseline ($base_alloc)" \
	wait_for '[ "$(sock_alloc)" -le '"$base_alloc"' ]' 60
# (Waited for: orphans still hold queued skbs for a while.)
check "kmalloc cache bytes back within 1 MiB of the baseline" \
	wait_for '[ $(($(kmalloc_bytes) - base_kmalloc)) -le 1048576 ]' 60
diag "kmalloc growth: $(($(kmalloc_bytes) - base_kmalloc)) bytes"
diag "after: $(mem_line)"
