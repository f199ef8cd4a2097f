#!/bin/sh
# A slow, small-window reader that half-closes gets its whole echo back,
# as from a userspace server: kecho keeps the connection after the peer's
# FIN until its echo is acknowledged (or the user timeout ends it),
# instead of leaving the kernel an orphan socket to deliver the rest.
# The client shrinks its receive buffer after connecting, so its window
# scale fits the default buffer and loopback's 64 KiB segments overflow
# the small one: kecho's end must retransmit and back off, which an
# orphan gives up on after tcp_orphan_retries (before the fix: 16 KiB of
# 1 MiB came back, then nothing for 60 s).
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
# The four clients are independent; they run side by side (the 60 s one
# takes about 150 s, TCP's back-off at a 4 KiB window is most of it).
for pause in 10 60; do
	bg_start pause$pause \
		tc slowread --size 1M --rcvbuf 4096 --rcvbuf-after 1 --pause $pause --read-timeout 60
done
bg_start v6 tc slowread --size 256k --rcvbuf 4096 --rcvbuf-after 1 --pause 5 --family 6
bg_start before tc slowread --size 1M --rcvbuf 4096 --pause 5
for pause in 10 60; do
	check_bg "1 MiB to a 4 KiB window, half-closed, $pause s without reading" pause$pause
done
check_bg "over IPv6 too" v6
check_bg "and with the small buffer set before connecting" before
check "connections end once their echo is acknowledged" \
	wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "none closed with its echo unsent" "$(kecho_counter closed_unsent)" 0
check_eq "no errors" "$(kecho_counter errors)" 0
kecho_counters
check "unload kecho" kecho_unload
