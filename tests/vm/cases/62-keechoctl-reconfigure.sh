#!/bin/sh
# keechoctl reconfigure: modprobe.d is rewritten atomically with the admin's
# comments and other lines kept; port and backlog change live while an
# established connection keeps echoing; bench reloads with a warning; bad
# values and a malformed file change nothing.
. /tests/lib.sh

require_module kecho
require_prog keechoctl
require_prog kecho-testclient

CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
cat >$CONF <<'CONF'
# Admin's comment: keep me.
blacklist some_other_module
options kecho port=12345 backlog=128

# trailing comment
CONF

check "keechoctl load" keechoctl load
check "listening on 12345" wait_for "port_listening 12345" 10

rm -f /tmp/linger.ready
tc linger --port 12345 --seconds 8 --size 64k --ready /tmp/linger.ready >/tmp/linger.out 2>&1 &
linger=$!
check "established connection ready" wait_for '[ -f /tmp/linger.ready ]' 30

out=$(keechoctl reconfigure --port 23457 --backlog 96 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --port 23457 --backlog 96" $rc 0
check "23457 listens and 12345 no longer does" wait_listener 23457 12345
check_eq "port changed live" "$(kecho_param port)" 23457
check_eq "backlog changed live" "$(kecho_param backlog)" 96
check_eq "/proc/net/kecho serves 23457" "$(kecho_counter port)" 23457
check "the new port echoes" tc payload --size 64k --port 23457
check_errno "the old port refuses" ECONNREFUSED tc payload --size 1 --port 12345 --timeout 5
wait $linger
rc=$?
diag "$(cat /tmp/linger.out)"
check_eq "the connection established before the change kept echoing" $rc 0

want='# Admin'"'"'s comment: keep me.
blacklist some_other_module
options kecho port=23457 backlog=96

# trailing comment'
check_eq "modprobe.d: only the options line changed" "$(cat $CONF)" "$want"
check_eq "no temporary files left" "$(ls /etc/modprobe.d | grep -c keechoctl)" 0

sum=$(md5sum $CONF)
for bad in "--port 0" "--port 65536" "--port -5" "--port x" "--backlog 0" "--bench 2" "--max-conns -1" ""; do
	# shellcheck disable=SC2086
	out=$(keechoctl reconfigure $bad 2>&1)
	rc=$?
	check_eq "reconfigure '$bad': usage error" $rc 1
	check_eq "reconfigure '$bad': one line" "$(echo "$out" | wc -l)" 1
done
check_eq "the file is unchanged after bad values" "$(md5sum $CONF)" "$sum"
check_eq "the port is unchanged after bad values" "$(kecho_param port)" 23457

nc -l -p 23459 >/dev/null 2>&1 &
squatter=$!
wait_for "port_listening 23459" 10
sum=$(md5sum $CONF)
out=$(keechoctl reconfigure --port 23459 --backlog 100 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure to a port in use: exit 2" $rc 2
check "the message says the port is in use" contains "$out" "port=23459: Address already in use"
check_eq "the port is unchanged" "$(kecho_param port)" 23457
check_eq "the backlog is unchanged" "$(kecho_param backlog)" 96
check_eq "the file is unchanged" "$(md5sum $CONF)" "$sum"
check "still serving on 23457" tc payload --size 1k --port 23457
kill $squatter 2>/dev/null
wait $squatter 2>/dev/null

out=$(keechoctl reconfigure --bench 1 2>&1)
rc=$?
diag "$out"
check_eq "reconfigure --bench 1" $rc 0
check "it warns that connections drop" contains "$out" "warning: bench 0 -> 1 needs a reload"
check_eq "bench is on after the reload" "$(kecho_param bench)" 1
check_eq "the port survived the reload (from modprobe.d)" "$(kecho_param port)" 23457
check "listening on 23457" wait_for "port_listening 23457" 10
check "health after the reload" keechoctl health

printf 'options kecho port=23457\nfrobnicate\n' >$CONF
sum=$(md5sum $CONF)
out=$(keechoctl reconfigure --port 23458 2>&1)
rc=$?
diag "$out"
check_eq "a malformed file: exit 2" $rc 2
check "the message names the line" contains "$out" "kecho.conf:2: unknown directive"
check_eq "the malformed file is not rewritten" "$(md5sum $CONF)" "$sum"
check_eq "the port is unchanged" "$(kecho_param port)" 23457

check "keechoctl unload" keechoctl unload
rm -f $CONF
