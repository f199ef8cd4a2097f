#!/bin/sh
# Random binary payloads (zero bytes included) of 1 B .. 16 MiB are echoed
# byte for byte over IPv4 and IPv6 on the same port, the client writing and
# reading at the same time.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
for fam in 4 6; do
	for size in 1 1k 64k 1M 16M; do
		check "payload $size over IPv$fam" tc payload --size $size --family $fam
	done
done
# Small messages are echoed from io_work's stack. Sent in 100-byte pieces
# to a slow reader with a small window, and with kecho's send buffer kept
# at 16 KiB (no autotuning past tcp_wmem's maximum), many meet a full send
# buffer: the part kecho could not send yet must be kept and sent, in order.
old_wmem=$(cat /proc/sys/net/ipv4/tcp_wmem)
echo "4096 16384 16384" >/proc/sys/net/ipv4/tcp_wmem
check "64 KiB in 100-byte writes to a slow reader" \
	tc payload --size 64k --write-chunk 100 --read-chunk 512 --read-pause-ms 1 --rcvbuf 4096
# Pieces that arrive one at a time are echoed by the callback itself,
# except while an earlier part waits in kecho's buffer for send space: the
# ACK that frees that space may carry the next piece, which must not
# overtake the waiting part. The window is narrow (with the wait ignored,
# about one run in three fails), so make 8 runs.
paced_pieces() {
	for run in 1 2 3 4 5 6 7 8; do
		tc payload --size 64k --write-chunk 300 --write-pause-ms 1 \
			--read-chunk 256 --read-pause-ms 5 --rcvbuf 4096 || return 1
	done
}
check "8 x 64 KiB in 300-byte writes 1 ms apart to a slow reader" paced_pieces
echo "$old_wmem" >/proc/sys/net/ipv4/tcp_wmem
kecho_counters
check "unload kecho" kecho_unload
