#!/bin/sh
# Runs inside the demo VM (as /tests/demo.sh): shows a person kecho loaded
# into a real Debian kernel, echoing, counting, moving port and unloading.
# Output goes to the console, which tests/vm/demo connects to the terminal.
. /tests/lib.sh
trap - EXIT # a demo, not a case: no TAP plan on the terminal

step=0
section() {
	step=$((step + 1))
	printf '\n==== %s. %s\n' "$step" "$*"
}
run() {
	printf '$ %s\n' "$*"
	(eval "$*") 2>&1 | sed 's/^/  /'
}
# nc prints the echo; it is stopped after a moment since it does not quit
# on its own when its input ends.
echo_via_nc() {
	printf '$ echo "%s" | nc %s %s\n' "$1" "$2" "$3"
	echo "$1" | timeout 2 nc "$2" "$3" 2>&1 | sed 's/^/  /'
}

section "A Debian kernel under QEMU: $(uname -r)"
run "cat /proc/version"

section "Load kecho"
run "modinfo kecho | grep -E '^(filename|version|license|description|parm):'"
run "modprobe kecho"
run "lsmod | grep -E '^(Module|kecho)'"
run "dmesg | grep kecho: | tail -n 3"
run "ss -ltn 'sport = :12345'"

section "It echoes (IPv4 and IPv6, same port)"
echo_via_nc "hello, kernel" 127.0.0.1 12345
echo_via_nc "hello over IPv6" ::1 12345
if have_prog kecho-testclient; then
	run "kecho-testclient payload --size 1M"
	run "kecho-testclient concurrent --conns 500 --size 4k"
fi

section "Its counters (/proc/net/kecho)"
run "cat /proc/net/kecho"

section "Change the port live, with a connection open"
if have_prog kecho-testclient; then
	rm -f /tmp/ready
	kecho-testclient linger --seconds 3 --ready /tmp/ready >/tmp/linger.out 2>&1 &
	linger=$!
	wait_for '[ -f /tmp/ready ]' 20
	echo "  (a client is connected to port 12345 and will echo again in 3 s)"
fi
run "echo 23456 > /sys/module/kecho/parameters/port"
run "cat /sys/module/kecho/parameters/port"
run "dmesg | grep kecho: | tail -n 1"
echo_via_nc "now on port 23456" 127.0.0.1 23456
printf '$ echo "old port" | nc 127.0.0.1 12345\n'
if echo "old port" | timeout 2 nc 127.0.0.1 12345 >/dev/null 2>&1; then
	echo "  (unexpected: port 12345 still answers)"
else
	echo "  nc: connection refused: nothing listens on 12345 any more"
fi
if [ -n "${linger:-}" ]; then
	wait $linger
	sed 's/^/  /' /tmp/linger.out
fi
run "echo 99999 > /sys/module/kecho/parameters/port"
echo "  (a bad port is refused; kecho keeps serving $(kecho_param port))"

section "Unload"
run "cat /proc/net/kecho"
run "rmmod kecho"
run "lsmod | grep -c '^kecho' || true"
run "dmesg | grep -cE 'WARNING|BUG|Oops' || true"
printf '\n==== Done: kecho loaded, echoed, moved port and unloaded cleanly.\n\n'
