#!/bin/sh
# Where the kernel has the sock:sk_data_ready tracepoint (6.3+, probed at
# build time), kecho's own data_ready callbacks fire it, as the stock one
# and in-tree users do: its func= field names the caller.
# vmtest-skip-ok: Debian's 6.1 has no sock:sk_data_ready tracepoint; make check-long boots 6.12 and 7.x
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
[ -d $T/events/sock/sk_data_ready ] ||
	skip_all "no sock:sk_data_ready tracepoint in this kernel"

check "load kecho" kecho_load || exit 1
echo >$T/trace
echo 1 >$T/events/sock/sk_data_ready/enable
check "an echo" tc payload --size 4k
echo 0 >$T/events/sock/sk_data_ready/enable
diag "$(grep -m 3 kecho $T/trace)"
check "the connection's callback fired it" grep -q "func=kecho_conn_data_ready" $T/trace
check "the listener's callback fired it" grep -q "func=kecho_listen_data_ready" $T/trace
check "unload kecho" kecho_unload
