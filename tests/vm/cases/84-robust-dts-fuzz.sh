#!/bin/sh
# Robustness 5: /proc/net/drop_tcp_sock fed 20 s of random and adversarial
# input (random bytes, near-valid tuples, huge lines, lines split across
# writes, valid tuples of live connections) by `tc dtsfuzz` while a client
# mix churns connections through kecho (those the fuzzer drops are cut,
# never corrupted). No kernel warning (the harness checks dmesg); the file
# still works afterwards: a known TIME_WAIT socket is dropped by its tuple.
# vmtest-timeout: 200
. /tests/lib.sh
require_module drop_tcp_socket
require_module kecho
require_prog kecho-testclient

# Decimal local ports of the TIME_WAIT (06) sockets whose remote end is
# 127.0.0.1:$KP.
tw_ports() {
	awk -v r="0100007F:$(printf '%04X' "$KP")" '$3 == r && $4 == "06" {
		n = split($2, a, ":"); print a[n] }' /proc/net/tcp |
		while read -r h; do printf '%d\n' "0x$h"; done
}

KP=952	# below 1024: no ephemeral port, no earlier case's socket
mem_baseline
check "load kecho" kecho_load port=$KP || exit 1
if ! check "load drop_tcp_socket" modprobe drop_tcp_socket; then
	kecho_unload
	exit 0
fi

tc chaos --seconds 25 --parallel 20 --mix good=3,slow=1,reset=1,vanish=1 --size 32k \
	--vanish-size 256k --port $KP --cut-ok 1 --timeout 20 >/tmp/churn4.out 2>&1 &
ch4=$!
tc chaos --seconds 25 --parallel 10 --mix good=3,slow=1,reset=1 --size 32k \
	--port $KP --cut-ok 1 --timeout 20 --family 6 >/tmp/churn6.out 2>&1 &
ch6=$!
check "the churn reaches kecho" wait_for '[ "$(kecho_counter accepted)" -gt 0 ]' 10
check "20 s of fuzzing: every write consumed or EINVAL/ENOENT as documented" \
	tc dtsfuzz --seconds 20
wait $ch4
r4=$?
wait $ch6
r6=$?
while read -r l; do diag "$l"; done </tmp/churn4.out
while read -r l; do diag "$l"; done </tmp/churn6.out
check_eq "IPv4 churn: no corruption" $r4 0
check_eq "IPv6 churn: no corruption" $r6 0
check "kecho still echoes exactly" tc payload --size 256k --port $KP

# The file still works: a fresh TIME_WAIT socket is dropped by its tuple.
# With thousands of TIME_WAIT sockets to $KP left by the churn, loopback's
# tcp_tw_reuse may give the new connection a port already in that list,
# where it can't be told apart: then connect again (busybox nc can't pick
# its client port).
(tw_ports; echo none) >/tmp/tw.old
p=""
for try in 1 2 3; do
	echo x | nc 127.0.0.1 $KP >/dev/null
	if wait_for '[ -n "$(tw_ports | grep -vxF -f /tmp/tw.old)" ]' 10; then
		p=$(tw_ports | grep -vxF -f /tmp/tw.old | head -n 1)
		break
	fi
done
if [ -n "$p" ]; then
	check "drop the TIME_WAIT socket 127.0.0.1:$p" \
		sh -c "echo '127.0.0.1:$p 127.0.0.1:$KP' >/proc/net/drop_tcp_sock"
	check_eq "it is gone" "$(tw_ports | grep -cx "$p")" 0
else
	fail "a new client TIME_WAIT socket appeared (3 tries)"
fi

check "active drops back to 0" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "nothing buffered" "$(kecho_counter buffered)" 0
kecho_counters
check "rmmod drop_tcp_socket" rmmod drop_tcp_socket
check "unload kecho" kecho_unload
check_mem_baseline
