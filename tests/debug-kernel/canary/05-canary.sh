#!/bin/sh
# tests/debug-kernel/run --canary KIND: load kecho-debug-canary, which commits bug
# KIND on purpose (see kecho-debug-canary.c). The case's own points pass; the run
# must still FAIL, on the report the debug kernel prints.
. /tests/lib.sh

ko=/lib/modules/$(uname -r)/extra/kecho-debug-canary.ko
check "kecho-debug-canary.ko is installed" test -f "$ko"
dmesg_mark
check_fails "insmod kecho-debug-canary bug=@KIND@ (commits it, then refuses to load)" insmod "$ko" bug=@KIND@
check_fails "kecho-debug-canary is not loaded" test -d /sys/module/kecho_debug_canary
diag "dmesg since the insmod:"
dmesg_since | head -n 60 | sed 's/^/# /'
