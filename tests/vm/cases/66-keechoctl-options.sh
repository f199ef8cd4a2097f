#!/bin/sh
# keechoctl's option table against the real kecho: every parameter modinfo
# lists has a keechoctl flag, a bare load gives the defaults keechoctl
# assumes (SIGHUP resets a removed option to them), and keepalive and
# user_timeout change live through reconfigure and through the daemon's
# SIGHUP (before, the first was refused and the second ignored).
# vmtest-timeout: 240
. /tests/lib.sh

require_module kecho
require_prog keechoctl

CONF=/etc/modprobe.d/kecho.conf
LOG=/tmp/daemon66.log
mkdir -p /etc/modprobe.d
rm -f $CONF
unset NOTIFY_SOCKET JOURNAL_STREAM

params=$(modinfo -F parm kecho | cut -d: -f1)
diag "modinfo kecho: $(echo $params)"
check "modinfo lists kecho's parameters" test -n "$params"

check "keechoctl load, no options" keechoctl load
opts=$(keechoctl options)
diag "$opts"
for p in $params; do
	# "port          --port: 1-65535, default 12345; now 12345, applies live"
	line=$(printf '%s\n' "$opts" | grep "^$p  *--")
	check "$p: keechoctl has a flag for it" test -n "$line"
	want=$(printf '%s\n' "$line" | sed -n 's/.*, default \(.*\); now .*/\1/p')
	[ "$want" = '""' ] && want=
	check_eq "$p: a bare load gives keechoctl's default" "$(kecho_param $p)" "$want"
done

out=$(keechoctl reconfigure --keepalive 5 --user-timeout 30 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --keepalive 5 --user-timeout 30" $rc 0
check "both applied live, no reload" contains "$out" "user_timeout 120 -> 30 (applied live)"
check_eq "keepalive is 5" "$(kecho_param keepalive)" 5
check_eq "user_timeout is 30" "$(kecho_param user_timeout)" 30
check "modprobe.d has both" grep -q "^options kecho .*keepalive=5 user_timeout=30" $CONF

keechoctl reconfigure --user-timeout 2147484 >/dev/null 2>&1
check_eq "a user_timeout beyond TCP_USER_TIMEOUT's range is a usage error" $? 1
check_eq "user_timeout is unchanged" "$(kecho_param user_timeout)" 30

keechoctl daemon --interval 1 >$LOG 2>&1 &
d=$!
check "the daemon is healthy" wait_for "grep -q 'healthy: ' $LOG" 30
echo "options kecho keepalive=7 user_timeout=45" >$CONF
kill -HUP $d
check "SIGHUP applies keepalive= live" wait_for '[ "$(kecho_param keepalive)" = 7 ]' 20
check "SIGHUP applies user_timeout= live" wait_for '[ "$(kecho_param user_timeout)" = 45 ]' 20
check "it logs both" wait_for "grep -q 'SIGHUP: user_timeout 30 -> 45 (live)' $LOG" 10
echo "options kecho keepalive=7" >$CONF
kill -HUP $d
check "an option removed from the file goes back to its default" \
	wait_for '[ "$(kecho_param user_timeout)" = 120 ]' 20
kill -TERM $d
wait $d
check_eq "daemon: SIGTERM exit 0" $? 0
diag "$(cat $LOG)"
check "kecho unloaded" wait_for "! kecho_loaded" 10
rm -f $CONF
