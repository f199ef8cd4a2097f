#!/bin/sh
# keechoctl daemon without systemd: foreground, logs to stderr; loads kecho,
# restores it when it is unloaded behind its back, applies modprobe.d on
# SIGHUP (port live), unloads kecho on SIGTERM and exits 0.
# vmtest-timeout: 240
. /tests/lib.sh

require_module kecho
require_prog keechoctl

CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
echo "options kecho port=23470" >$CONF
LOG=/tmp/daemon.log
unset NOTIFY_SOCKET JOURNAL_STREAM

keechoctl daemon --interval 1 >$LOG 2>&1 &
d=$!
check "the daemon loads kecho" wait_for kecho_loaded 30
check "listening on 23470 from modprobe.d" wait_for "port_listening 23470" 20
check "it logs healthy to stderr" wait_for "grep -q 'healthy: echo round trip on port 23470' $LOG" 30

check "rmmod kecho behind its back" kecho_unload
check "the daemon loads it again" wait_for "kecho_loaded && port_listening 23470" 30
check "and says why" wait_for "grep -q 'unloaded behind our back' $LOG" 10
check "recovered" wait_for "grep -q 'recovered: ' $LOG" 30

echo "options kecho port=23471" >$CONF
kill -HUP $d
check "SIGHUP applies the new port live" wait_for '[ "$(kecho_param port)" = 23471 ]' 30
check "listening on 23471" wait_for "port_listening 23471" 20
check "it logs the change" wait_for "grep -q 'SIGHUP: port 23470 -> 23471 (live)' $LOG" 10

printf 'options kecho port=23471\nbogus line\n' >$CONF
kill -HUP $d
check "a malformed file on SIGHUP is reported" wait_for "grep -q 'kecho.conf:2: unknown directive' $LOG" 10
check "and the daemon keeps running" kill -0 $d
check_eq "the port is kept" "$(kecho_param port)" 23471

kill -TERM $d
wait $d
check_eq "SIGTERM: exit 0" $? 0
check "SIGTERM unloaded kecho" test ! -d /sys/module/kecho
diag "$(cat $LOG)"

echo "options kecho port=23472" >$CONF
keechoctl daemon --interval 1 --keep-loaded >$LOG 2>&1 &
d=$!
check "second daemon: healthy" wait_for "grep -q 'healthy: ' $LOG" 40
kill -TERM $d
wait $d
check "--keep-loaded leaves kecho loaded" kecho_loaded
check "unload" keechoctl unload

# Port taken at start: the daemon says why (once), keeps trying, and loads
# kecho as soon as the port is free.
nc -l -p 23473 >/dev/null 2>&1 &
squatter=$!
check "another listener takes 23473" wait_for "port_listening 23473" 10
echo "options kecho port=23473" >$CONF
keechoctl daemon --interval 1 >$LOG 2>&1 &
d=$!
check "the daemon says the port is in use" wait_for "grep -q 'port 23473 is already in use' $LOG" 30
# A check that something does NOT happen needs a window: three of the
# daemon's one-second retries (not a wait for a change: nothing changes).
sleep 3
check_eq "and says it once" "$(grep -c 'already in use' $LOG)" 1
check "no kecho while the port is taken" test ! -d /sys/module/kecho
kill $squatter 2>/dev/null
wait $squatter 2>/dev/null
check "once the port is free, kecho is loaded" wait_for "kecho_loaded && port_listening 23473" 30
check "and healthy" wait_for "grep -q 'healthy: echo round trip on port 23473' $LOG" 30
kill -TERM $d
wait $d
check_eq "SIGTERM: exit 0" $? 0
check "kecho unloaded" test ! -d /sys/module/kecho
diag "$(cat $LOG)"
rm -f $CONF
