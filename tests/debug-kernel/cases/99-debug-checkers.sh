#!/bin/sh
# Run last by tests/debug-kernel/run: the debug kernel's checkers are really
# on, and none of them fired during the whole suite. (The host also scans
# dmesg and the console for every kind of report; this case shows what a
# scan cannot: that lockdep was still validating at the end.)
. /tests/lib.sh

check "the kernel is a kecho debug build ($(uname -r))" sh -c 'uname -r | grep -q -- "-kecho-"'
check "lockdep is compiled in" test -r /proc/lockdep_stats
# Any lockdep report (and a WARN's taint) turns the validator off for good.
dl=$(awk -F: '/debug_locks/ {gsub(/ /, "", $2); print $2}' /proc/lockdep_stats)
check_eq "lockdep still validating after every case (debug_locks)" "$dl" 1
classes=$(awk -F: '/lock-classes/ {gsub(/ /, "", $2); sub(/\[.*/, "", $2); print $2}' /proc/lockdep_stats)
check "lockdep has seen lock classes (${classes:-none})" test "${classes:-0}" -gt 0
if grep -q KernelAddressSanitizer /proc/kallsyms 2>/dev/null || dmesg | grep -q 'KernelAddressSanitizer initialized'; then
	ok "KASAN is on"
elif dmesg | grep -q 'kcsan: enabled'; then
	ok "KCSAN is on"
else
	fail "neither KASAN nor KCSAN reported itself at boot"
fi
tainted=$(cat /proc/sys/kernel/tainted)
# 4096 (O, out-of-tree module) is expected: our modules are.
check_eq "kernel taint apart from out-of-tree modules" "$((tainted & ~4096))" 0
if [ -r /sys/kernel/debug/debug_objects/stats ]; then
	w=$(awk -F: '/^warnings/ {gsub(/ /, "", $2); print $2}' /sys/kernel/debug/debug_objects/stats)
	check_eq "debugobjects warnings" "$w" 0
	diag "$(tr -s ' ' </sys/kernel/debug/debug_objects/stats | tr '\n' ' ')"
else
	fail "no /sys/kernel/debug/debug_objects/stats (DEBUG_OBJECTS off or no debugfs)"
fi
check "fault injection: failslab in debugfs" test -d /sys/kernel/debug/failslab
check "fault injection: fail_page_alloc in debugfs" test -d /sys/kernel/debug/fail_page_alloc
diag "$(grep -E 'lock-classes|direct dependencies|dependency chains|debug_locks' /proc/lockdep_stats | tr -s ' ' | tr '\n' ';')"
