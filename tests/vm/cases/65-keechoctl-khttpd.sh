#!/bin/sh
# keechoctl --module khttpd, the same commands as for kecho: load with the
# options of /etc/modprobe.d/khttpd.conf, status with /proc/net/khttpd's
# counters, health by a real GET / (200) and unhealthy with one line when
# khttpd is not loaded, reconfigure (keepalive_timeout live in sysfs and in
# the file's line, bad values change nothing, root by a reload), options,
# metrics refused, unload, and the daemon (load, healthy, SIGHUP, SIGTERM).
# vmtest-timeout: 240
. /tests/lib.sh
. /tests/khttpd-lib.sh

require_module khttpd
require_prog keechoctl

CONF=/etc/modprobe.d/khttpd.conf
# Not khttpd's default: the port must come from the file. get() asks here.
PORT=18080
KHTTPD_PORT=$PORT
LOG=/tmp/daemon-khttpd.log
mkdir -p /etc/modprobe.d $WWW /tmp/www2
echo '<html>keechoctl case 65</html>' >$WWW/index.html
echo '<html>the second root</html>' >/tmp/www2/index.html
chmod 0755 $WWW /tmp/www2
chmod 0644 $WWW/index.html /tmp/www2/index.html
cat >$CONF <<CONF
# khttpd for the keechoctl VM case: keep this comment.
options khttpd port=$PORT root=$WWW
options khttpd max_conns=100
CONF
unset NOTIFY_SOCKET JOURNAL_STREAM

khttpd_param() { cat /sys/module/khttpd/parameters/"$1"; }

# --- not loaded
out=$(keechoctl --module khttpd health 2>&1)
rc=$?
check_eq "health without khttpd: exit 2" $rc 2
check_eq "health without khttpd: one line saying so" "$out" "khttpd module is not loaded"
out=$(keechoctl --module khttpd status)
check "status with nothing loaded exits 0" test $? -eq 0
diag "$out"
check "status: khttpd not loaded" has_line "$out" "khttpd: not loaded"
check "status: khttpd.conf and its options" \
	contains "$out" "^modprobe.d: $CONF .*port=$PORT root=$WWW"

# --- load with khttpd.conf's options
out=$(keechoctl --module khttpd load 2>&1)
rc=$?
diag "$out"
check_eq "keechoctl --module khttpd load" $rc 0
check_eq "it says what it loaded" "$out" "loaded khttpd 0.1.0, port $PORT"
check "khttpd is loaded" khttpd_loaded
check_eq "port from khttpd.conf (libkmod applied it)" "$(khttpd_param port)" $PORT
check_eq "root from khttpd.conf" "$(khttpd_param root)" $WWW
check_eq "max_conns from its second line" "$(khttpd_param max_conns)" 100
check "listening on $PORT" wait_for "port_listening $PORT" 10
check "kecho was not loaded instead" test ! -d /sys/module/kecho
r=$(get /)
check "GET / serves $WWW/index.html" contains "$r" "^<html>keechoctl case 65</html>$"

# --- health and status
out=$(keechoctl --module khttpd health 2>&1)
rc=$?
diag "$out"
check_eq "health: exit 0" $rc 0
check "health: GET / answered 200, with the latency" \
	contains "$out" "^healthy: HTTP GET / on port $PORT: 200 OK in [0-9.]* ms$"
json=$(keechoctl --module khttpd health --json)
diag "$json"
check "health --json: healthy" contains "$json" '"healthy":true'
check "health --json: status 200" contains "$json" '"http_status":200'

out=$(keechoctl --module khttpd status)
diag "$out"
check "status: khttpd loaded with its version" contains "$out" "^khttpd: loaded, version 0.1.0"
check "status: parameters from sysfs" contains "$out" "^parameters:.* port=$PORT .*root=$WWW"
check "status: listener present" has_line "$out" "listener: present on port $PORT"
for c in accepted active refused requests status_2xx status_3xx status_4xx status_5xx \
	bytes_in bytes_out file_bytes header_timeouts idle_timeouts closed_unsent errors \
	accept_backoffs port; do
	check "status: counter $c" contains "$out" "^counters:.* $c [0-9][0-9]*"
done
check "status: requests by status class" contains "$out" "^requests: [1-9][0-9]* (2xx [1-9]"
check "status: healthy" contains "$out" "^health: healthy: HTTP GET / on port $PORT: 200"
check_fails "status: no kecho mode line" contains "$out" "^mode:"
check_eq "status: the port counter is khttpd's" "$(khttpd_counter port)" $PORT
json=$(keechoctl --module khttpd status --json)
check "status --json: file_bytes among the counters" contains "$json" '"file_bytes":[0-9]'
check "status --json: the requests" contains "$json" '"http":{"requests":[1-9]'

# --- reconfigure: a live option
accepted=$(khttpd_counter accepted)
out=$(keechoctl --module khttpd reconfigure --keepalive-timeout 5 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --keepalive-timeout 5" $rc 0
check "applied live" contains "$out" "^keepalive_timeout 15 -> 5 (applied live)$"
check_eq "sysfs keepalive_timeout is 5" "$(khttpd_param keepalive_timeout)" 5
want="# khttpd for the keechoctl VM case: keep this comment.
options khttpd port=$PORT root=$WWW
options khttpd max_conns=100 keepalive_timeout=5"
check_eq "khttpd.conf: only the options line changed" "$(cat $CONF)" "$want"
check "no reload: the counters kept counting" test "$(khttpd_counter accepted)" -ge "$accepted"
check "still serving" contains "$(get /)" "^<html>keechoctl case 65</html>$"

# --- bad values change nothing
sum=$(md5sum $CONF)
for bad in "--keepalive-timeout 3601" "--keepalive-timeout -1" "--header-timeout 0" \
	"--root relative/dir" "--root /does/not/exist" "--port 0" "--listing 2" \
	"--keepalive 5" ""; do
	# shellcheck disable=SC2086
	out=$(keechoctl --module khttpd reconfigure $bad 2>&1)
	rc=$?
	check_eq "reconfigure '$bad': usage error" $rc 1
	check_eq "reconfigure '$bad': one line" "$(echo "$out" | wc -l)" 1
done
diag "$out"
check_eq "the file is unchanged after bad values" "$(md5sum $CONF)" "$sum"
check_eq "keepalive_timeout is unchanged" "$(khttpd_param keepalive_timeout)" 5
check_eq "header_timeout is unchanged" "$(khttpd_param header_timeout)" 10
echo 3601 >/sys/module/khttpd/parameters/keepalive_timeout 2>/dev/null
check_eq "(khttpd itself refuses 3601 too)" "$(khttpd_param keepalive_timeout)" 5

# --- reconfigure: a reload-only option reloads, as kecho's do
out=$(keechoctl --module khttpd reconfigure --root /tmp/www2 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --root /tmp/www2" $rc 0
check "it warns that connections drop" \
	contains "$out" "warning: root $WWW -> /tmp/www2 needs a reload of khttpd"
check "and reloads" contains "$out" "^reloaded khttpd$"
check_eq "root is /tmp/www2" "$(khttpd_param root)" /tmp/www2
check_eq "keepalive_timeout survived the reload (from khttpd.conf)" \
	"$(khttpd_param keepalive_timeout)" 5
check "listening again" wait_for "port_listening $PORT" 10
check "the new root is served" contains "$(get /)" "^<html>the second root</html>$"
check "healthy after the reload" keechoctl --module khttpd health

# --- options, metrics
opts=$(keechoctl --module khttpd options)
diag "$opts"
for p in $(modinfo -F parm khttpd | cut -d: -f1); do
	check "options: $p has a flag" contains "$opts" "^$p  *--"
done
check "options: keepalive_timeout now 5, live" \
	contains "$opts" "^keepalive_timeout .*now 5, applies live$"
check "options: port by a reload" contains "$opts" "^port .*now $PORT, applies by a reload$"
out=$(keechoctl --module khttpd metrics 2>&1)
check_eq "metrics refuses --module khttpd: usage error" $? 1
check_eq "with one line" "$out" "keechoctl: metrics: kecho only for now, not for --module khttpd"

# --- unload
check "keechoctl --module khttpd unload" keechoctl --module khttpd unload
check "khttpd is gone" wait_for "! khttpd_loaded" 10
check_fails "unhealthy after unload" keechoctl --module khttpd health
out=$(keechoctl --module khttpd unload)
check_eq "unload again is a no-op" "$out" "khttpd is not loaded"

# --- the daemon, as khttpd.service runs it
sed -i "s|root=/tmp/www2|root=$WWW|" $CONF
keechoctl --module khttpd daemon --interval 1 >$LOG 2>&1 &
d=$!
check "the daemon loads khttpd" wait_for khttpd_loaded 30
check "it logs healthy: GET / answered" \
	wait_for "grep -q 'healthy: HTTP GET / on port $PORT: 200 OK' $LOG" 30
check_eq "with khttpd.conf's root" "$(khttpd_param root)" $WWW
sed -i 's/keepalive_timeout=5/keepalive_timeout=7/' $CONF
kill -HUP $d
check "SIGHUP applies keepalive_timeout live" \
	wait_for '[ "$(khttpd_param keepalive_timeout)" = 7 ]' 30
check "it logs the change" \
	wait_for "grep -q 'SIGHUP: keepalive_timeout 5 -> 7 (live)' $LOG" 10
kill -TERM $d
wait $d
check_eq "SIGTERM: exit 0" $? 0
check "SIGTERM unloaded khttpd" test ! -d /sys/module/khttpd
diag "$(cat $LOG)"

rm -f $CONF
rm -rf $WWW /tmp/www2
