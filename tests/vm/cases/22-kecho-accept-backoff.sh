#!/bin/sh
# A failed accept (here: failslab makes the socket allocation of
# kernel_accept() fail, for workqueue threads only) pauses accepting, 10 ms
# doubling to 1 s, counted in accept_backoffs, instead of retrying in a
# hot loop (before: 64 tries per run, requeued at once, thousands of
# failures a second). Once allocations work again the waiting client is
# served. Needs fault injection, which only the debug kernel has.
# vmtest-skip-ok: needs CONFIG_FAILSLAB (Debian's kernels lack it) and sock_inode_cache marked for it at boot
# vmtest-timeout: 120
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

[ -d /sys/kernel/debug/failslab ] ||
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
F=/sys/kernel/debug/failslab
[ -d $F ] && [ -e /sys/kernel/slab/sock_inode_cache/failslab ] ||
	skip_all "no failslab (CONFIG_FAILSLAB) in this kernel"

# make_it_fail 1|0: allocations of the kworkers fail (or not)
make_it_fail() {
	for d in /proc/[0-9]*; do
		grep -q '^kworker' "$d/comm" 2>/dev/null && echo "$1" >"$d/make-it-fail" 2>/dev/null
	done
	return 0
}

# Since 5.9 a cache's failslab flag is read-only in sysfs: the kernel
# must boot with slub_debug=...;A,sock_inode_cache for this case to run.
[ "$(cat /sys/kernel/slab/sock_inode_cache/failslab)" = 1 ] ||
	echo 1 2>/dev/null >/sys/kernel/slab/sock_inode_cache/failslab ||
	skip_all "sock_inode_cache is not marked for failslab (boot with slub_debug=...;A,sock_inode_cache)"

check "load kecho" kecho_load || exit 1
echo Y >$F/cache-filter
echo Y >$F/task-filter
echo N >$F/ignore-gfp-wait
echo 0 >$F/verbose
echo 100 >$F/probability
echo 1 >$F/interval
echo -1 >$F/times
make_it_fail 1

errors0=$(kecho_counter errors)
tc linger --seconds 0 --timeout 60 >/tmp/linger.out 2>&1 &
pid=$!
check "accepting fails and backs off" wait_for '[ "$(kecho_counter accept_backoffs)" -ge 3 ]' 20
sleep 5
failed=$(($(kecho_counter errors) - errors0))
diag "$(kecho_counters)"
diag "$failed failed accepts while failing for about 5 s"
check_le "no hot loop: at most 60 failed accepts" "$failed" 60

echo 0 >$F/probability
make_it_fail 0
wait $pid
diag "$(cat /tmp/linger.out)"
check "the waiting client is served once accepts work again" grep -q "echoed" /tmp/linger.out
check "unload kecho" kecho_unload
