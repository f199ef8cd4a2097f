#!/bin/sh
# keechoctl health: module, listener and a real echo round trip; one line
# and a non-zero exit when unhealthy. Load errors say what to do: module not
# built for this kernel, port in use.
. /tests/lib.sh

require_module kecho
require_prog keechoctl

CONF=/etc/modprobe.d/kecho.conf
mkdir -p /etc/modprobe.d
rm -f $CONF

out=$(keechoctl health 2>&1)
rc=$?
check_eq "unhealthy without the module: exit 2" $rc 2
check_eq "one-line reason" "$out" "kecho module is not loaded"

check "keechoctl load" keechoctl load
check "listening" wait_for "port_listening $KECHO_PORT" 10
out=$(keechoctl health 2>&1)
rc=$?
diag "$out"
check_eq "healthy: exit 0" $rc 0
check "the reason says echo round trip on $KECHO_PORT" \
	contains "$out" "^healthy: echo round trip on port $KECHO_PORT in"
check "health --json" sh -c 'keechoctl health --json | grep -q "\"healthy\":true"'
check "accepted counter saw the probe" test "$(kecho_counter accepted)" -ge 2

check "live port change to 23460" kecho_param port 23460
check "23460 listens and $KECHO_PORT no longer does" wait_listener 23460 $KECHO_PORT
check "health follows the port" sh -c 'keechoctl health | grep -q "port 23460"'
check "keechoctl unload" keechoctl unload
check_fails "unhealthy after unload" keechoctl health

# Port in use: the load fails with a message that says so.
nc -l -p 23461 >/dev/null 2>&1 &
squatter=$!
wait_for "port_listening 23461" 10
echo "options kecho port=23461" >$CONF
out=$(keechoctl load 2>&1)
rc=$?
diag "$out"
check_eq "load with the port taken: exit 2" $rc 2
check "the message names the port and the fix" \
	contains "$out" "port 23461 is already in use.*keechoctl reconfigure --port"
check "nothing left loaded" test ! -d /sys/module/kecho
kill $squatter 2>/dev/null
wait $squatter 2>/dev/null
rm -f $CONF

# Module not built for this kernel: without its headers (this guest has
# none), name the package; with them, point to the DKMS build.
ko=$(modinfo -F filename kecho)
build=/lib/modules/$(uname -r)/build
mv "$ko" "$ko.away"
out=$(keechoctl load 2>&1)
rc=$?
made_build=0
[ -e "$build" ] || { mkdir -p "$build" && made_build=1; }
out_headers=$(keechoctl load 2>&1)
[ "$made_build" = 1 ] && rmdir "$build"
mv "$ko.away" "$ko"
diag "$out"
diag "$out_headers"
check_eq "load without the .ko: exit 2" $rc 2
check "without headers, the message names linux-headers-$(uname -r) and dkms autoinstall" \
	contains "$out" "no headers to build one: install linux-headers-$(uname -r), then \`dkms autoinstall\`"
check_eq "(the guest has no headers: the case above is the one tested)" "$made_build" 1
check "with headers, the message points to dkms status" contains "$out_headers" "dkms status"
check "nothing loaded" test ! -d /sys/module/kecho
