#!/bin/sh
# keechoctl status, load, unload, reload: libkmod loads kecho with the options
# of /etc/modprobe.d/kecho.conf, status shows modules, parameters, the file,
# the listener, connections by state, counters and health, human and --json.
. /tests/lib.sh

require_module kecho
require_prog keechoctl
require_prog kecho-testclient

CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
cat >$CONF <<'CONF'
# kecho options for the keechoctl VM cases
options kecho port=23456 backlog=64
CONF

out=$(keechoctl status)
check "status with nothing loaded exits 0" test $? -eq 0
diag "$out"
check "status says kecho is not loaded" has_line "$out" "kecho: not loaded"
check "status names the modprobe.d file and its options" \
	contains "$out" "^modprobe.d: $CONF .*port=23456"

check "keechoctl load" keechoctl load
check "kecho is loaded" kecho_loaded
check_eq "port from modprobe.d (libkmod applied it)" "$(kecho_param port)" 23456
check_eq "backlog from modprobe.d" "$(kecho_param backlog)" 64
check "listening on 23456" wait_for "port_listening 23456" 10
check "load again is a no-op" sh -c 'keechoctl load | grep -q "already loaded"'

rm -f /tmp/linger.ready
tc linger --port 23456 --seconds 8 --size 1k --ready /tmp/linger.ready >/tmp/linger.out 2>&1 &
linger=$!
check "a client connection is established" wait_for '[ -f /tmp/linger.ready ]' 30

out=$(keechoctl status)
diag "$out"
check "status: kecho loaded with its version" \
	contains "$out" "^kecho: loaded, version 0.1.0"
check "status: parameters from sysfs" contains "$out" "^parameters:.* port=23456"
check "status: listener present on 23456" \
	has_line "$out" "listener: present on port 23456"
check "status: one ESTABLISHED connection on kecho's port" \
	has_line "$out" "connections: ESTABLISHED 1"
check "status: counters" contains "$out" "^counters:.*accepted [1-9]"
check "status: healthy" contains "$out" "^health: healthy"

json=$(keechoctl status --json)
diag "$json"
check "status --json: listener true" contains "$json" "\"listener\":true"
check "status --json: port parameter" contains "$json" "\"port\":\"23456\""
check "status --json: healthy" contains "$json" "\"health\":{\"healthy\":true"
wait $linger
check_eq "the client connection was served" $? 0

check "keechoctl reload" keechoctl reload
check "listening again after reload" wait_for "port_listening 23456" 10
check "keechoctl load all (drop_tcp_socket too)" keechoctl load all
check "drop_tcp_socket is loaded" test -d /sys/module/drop_tcp_socket
check "status shows drop_tcp_socket loaded" \
	sh -c 'keechoctl status | grep -q "^drop_tcp_socket: loaded"'
check "keechoctl unload all" keechoctl unload all
check "kecho is gone" wait_for "! kecho_loaded" 10
check "drop_tcp_socket is gone" test ! -d /sys/module/drop_tcp_socket
check "unload again is a no-op" sh -c 'keechoctl unload | grep -q "not loaded"'

keechoctl load bogus >/dev/null 2>&1
check_eq "load of an unknown module is a usage error" $? 1
keechoctl statu >/dev/null 2>&1
check_eq "an unknown command is a usage error" $? 1
rm -f $CONF
