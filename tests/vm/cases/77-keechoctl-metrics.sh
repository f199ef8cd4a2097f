#!/bin/sh
# keechoctl metrics: the Prometheus text of a real kecho passes promtool's
# linter, its counters are /proc/net/kecho's, health and the echo round
# trip are there; unloaded it still prints (kecho_up 0, kecho_healthy 0);
# the daemon's --metrics-file is written whole and follows kecho.
# vmtest-timeout: 240
. /tests/lib.sh

require_module kecho
require_prog keechoctl
require_prog kecho-testclient
require_prog promtool

CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
echo "options kecho port=23480" >$CONF

# Prints "value" of one sample line ("name value" or "name{labels} value").
metric() {
	awk -v n="$2" '$1 == n { print $2 }' "$1"
}

lint() {
	out=$(promtool check metrics <"$1" 2>&1)
	rc=$?
	[ -n "$out" ] && diag "$out"
	[ $rc -eq 0 ] && [ -z "$out" ]
}

check "keechoctl load" keechoctl load
check "listening on 23480" wait_for "port_listening 23480" 10
check "an echo of 100000 bytes" tc payload --port 23480 --size 100000

keechoctl metrics --no-health >/tmp/m1
check_eq "metrics --no-health exits 0" $? 0
check "promtool check metrics passes" lint /tmp/m1
check_eq "kecho_up for kecho" "$(metric /tmp/m1 'kecho_up{module="kecho"}')" 1
check_eq "kecho_up for drop_tcp_socket" "$(metric /tmp/m1 'kecho_up{module="drop_tcp_socket"}')" 0
check_eq "kecho_info: version, mode and port" \
	"$(metric /tmp/m1 'kecho_info{version="0.1.0",mode="stream",port="23480"}')" 1
# Nothing reached kecho since: the counters are /proc/net/kecho's.
for pair in accepted:kecho_connections_accepted_total bytes_in:kecho_received_bytes_total \
	bytes_out:kecho_sent_bytes_total errors:kecho_errors_total \
	active:kecho_connections_active refused:kecho_connections_refused_total; do
	check_eq "${pair#*:} is /proc/net/kecho's ${pair%%:*}" \
		"$(metric /tmp/m1 "${pair#*:}")" "$(kecho_counter "${pair%%:*}")"
done
check_eq "bytes received from the echo" "$(metric /tmp/m1 kecho_received_bytes_total)" 100000
check "no health check asked, none shown" sh -c '! grep -q kecho_healthy /tmp/m1'

keechoctl metrics >/tmp/m2
check_eq "metrics with the health check exits 0" $? 0
check "promtool passes with health" lint /tmp/m2
check_eq "kecho_healthy 1" "$(metric /tmp/m2 kecho_healthy)" 1
check "the echo round trip in seconds" \
	grep -Eq '^kecho_echo_round_trip_seconds [0-9]+\.[0-9]{6}$' /tmp/m2

mkdir -p /run/textfile
unset NOTIFY_SOCKET JOURNAL_STREAM
keechoctl daemon --interval 1 --keep-loaded --metrics-file /run/textfile/kecho.prom \
	>/tmp/daemon.log 2>&1 &
d=$!
check "the daemon writes its metrics file" wait_for "[ -s /run/textfile/kecho.prom ]" 30
check "the file reports healthy" \
	wait_for "grep -qx 'kecho_healthy 1' /run/textfile/kecho.prom" 30
cp /run/textfile/kecho.prom /tmp/m3
check "promtool passes on the daemon's file" lint /tmp/m3
before=$(metric /tmp/m3 kecho_connections_accepted_total)
check "another echo" tc payload --port 23480 --size 1000
check "the file follows the counters" \
	wait_for "[ \"\$(metric /run/textfile/kecho.prom kecho_connections_accepted_total)\" -gt $before ]" 30
kill -TERM $d
wait $d
check_eq "the daemon exits 0 on SIGTERM" $? 0
check_eq "only the file is left (written beside it, then renamed)" \
	"$(ls -a /run/textfile | tr '\n' ' ')" ". .. kecho.prom "

check "unload kecho" kecho_unload
keechoctl metrics --timeout 500 >/tmp/m4
check_eq "metrics of an unloaded kecho exit 0" $? 0
check "promtool passes unloaded" lint /tmp/m4
check_eq "kecho_up 0" "$(metric /tmp/m4 'kecho_up{module="kecho"}')" 0
check_eq "kecho_healthy 0" "$(metric /tmp/m4 kecho_healthy)" 0
check "no counters without kecho" sh -c '! grep -q kecho_connections /tmp/m4'
rm -f $CONF
