#!/bin/sh
# drop-tcp-socket, issue test 5: malformed lines get EINVAL and change
# nothing. Each write below is malformed (garbage, missing or bad ports,
# bad IPv6, mixed families, extra fields, binary bytes, overlong lines,
# 64 KiB of junk); each must fail with EINVAL, dmesg must name the line,
# and a live connection and kecho's listener must be untouched.
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

# stable_sockets: ESTABLISHED and LISTEN sockets (local, remote, state)
stable_sockets() {
	cat /proc/net/tcp /proc/net/tcp6 |
		awk '$4 == "01" || $4 == "0A" { print $2, $3, $4 }' | sort
}

dts_setup 954
V4=0100007F:$KPX
rm -f /tmp/in
mkfifo /tmp/in
nc 127.0.0.1 $KECHO_PORT </tmp/in >/dev/null &
CPID=$!
exec 5>/tmp/in
wait_for '[ -n "$(ports tcp $V4 01)" ]' 10
P=$(ports tcp $V4 01 | head -n 1)
check "a live connection from port $P" test -n "$P"
before=$(stable_sockets)
dmesg_mark

long=$(printf '%0120d' 0)
for line in \
	"garbage" \
	"127.0.0.1 127.0.0.1:$KP" \
	"127.0.0.1:$P 127.0.0.1" \
	"127.0.0.1:$P 127.0.0.1:" \
	"127.0.0.1:$P :$KP" \
	"127.0.0.1:70000 127.0.0.1:$KP" \
	"127.0.0.1:$P 127.0.0.1:70000" \
	"127.0.0.1:0 127.0.0.1:$KP" \
	"127.0.0.1:+$P 127.0.0.1:$KP" \
	"127.0.0.1:0x10 127.0.0.1:$KP" \
	"127.0.0.1:${P}x 127.0.0.1:$KP" \
	"127.0.0.1:$P 127.0.0.1:$KP6" \
	"256.0.0.1:$P 127.0.0.1:$KP" \
	"127.0.0:$P 127.0.0.1:$KP" \
	"127.0.0.1.1:$P 127.0.0.1:$KP" \
	"[::1:$P [::1]:$KP" \
	"[::g]:$P [::1]:$KP" \
	"[1::2::3]:$P [::1]:$KP" \
	"[::1]$P [::1]:$KP" \
	"[127.0.0.1]:$P [::1]:$KP" \
	"127.0.0.1:$P [::1]:$KP" \
	"127.0.0.1:$P" \
	"127.0.0.1:$P 127.0.0.1:$KP 127.0.0.1:1" \
	"127.0.0.1:$P,127.0.0.1:$KP" \
	"127.0.0.1:$P 127.0.0.1:$KP $long"; do
	check_eq "EINVAL: '$line'" "$(dts_write "$line
")" EINVAL
done
check_eq "EINVAL: binary bytes" \
	"$(printf '127.0.0.1:1\001\377 \000\n' | dts_write_stdin)" EINVAL
check_eq "EINVAL: 64 KiB line without a newline" \
	"$(head -c 65536 /dev/zero | tr '\0' x | dts_write_stdin)" EINVAL
check_eq "EINVAL: 64 KiB of junk lines" \
	"$(dts_write "$(yes 'junk 1.2.3.4 [::1] :80' | head -c 65536)")" EINVAL
# the 128-byte limit: a valid tuple padded to 128 bytes is parsed (it
# matches nothing), one byte more is not
pad() { printf "%-${2}s" "$1"; }
check_eq "a 128-byte line is parsed" \
	"$(dts_write "$(pad "127.0.0.1:1 127.0.0.1:2" 128)
")" ENOENT
check_eq "EINVAL: a 129-byte line" \
	"$(dts_write "$(pad "127.0.0.1:$P 127.0.0.1:$KP" 129)
")" EINVAL

check_eq "the live connection and the listener are untouched" \
	"$(stable_sockets)" "$before"
check "kecho process-side client still runs" kill -0 $CPID
if dmesg_since | grep -q 'drop_tcp_socket: line 1: malformed: "garbage"'; then
	ok "dmesg names the malformed line"
else
	fail "dmesg names the malformed line" "$(dmesg_since | tail -n 5)"
fi
diag "$(dmesg_since | grep drop_tcp_socket | head -n 5)"

# other lines of a write are still processed after a malformed one
check_eq "malformed + valid line: EINVAL" "$(dts_write "garbage
127.0.0.1:$P 127.0.0.1:$KP
")" EINVAL
check "... and the valid line was acted on" \
	wait_for "! kill -0 $CPID 2>/dev/null" 10
exec 5>&-
dts_teardown
