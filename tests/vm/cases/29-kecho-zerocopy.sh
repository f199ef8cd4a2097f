#!/bin/sh
# Bulk data is echoed without copying the payload (kecho_zerocopy.c): the
# received pages go back on the send queue by reference, counted in
# bytes_zerocopy. The echo stays byte for byte and in order, with
# backpressure, and a connection whose peer stops reading holds no kecho
# buffer: what the send queue cannot take waits in the receive queue.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
check "a 100-byte echo" tc payload --size 100
check_eq "a small echo is not sent by reference" "$(kecho_counter bytes_zerocopy)" 0

check "a 16 MiB echo" tc payload --size 16M
zc=$(kecho_counter bytes_zerocopy)
# Not all of it: a piece of 512 bytes or less that arrives alone is
# echoed by the small-message path.
check_le "at least 15 of its 16 MiB sent by reference" $((15 * 1024 * 1024)) "$zc"

# A send buffer of 16 KiB (no autotuning past tcp_wmem's maximum) and a
# reader that takes 512 bytes a millisecond: the send queue is full most
# of the time, so most sends take part of a piece and the rest must follow
# from the receive queue, in order.
old_wmem=$(cat /proc/sys/net/ipv4/tcp_wmem)
echo "4096 16384 16384" >/proc/sys/net/ipv4/tcp_wmem
check "256 KiB through a 16 KiB send buffer to a slow reader" \
	tc payload --size 256k --read-chunk 512 --read-pause-ms 1 --rcvbuf 4096
echo "$old_wmem" >/proc/sys/net/ipv4/tcp_wmem
zc2=$(kecho_counter bytes_zerocopy)
check_le "most of it sent by reference too" $((zc + 192 * 1024)) "$zc2"

# A peer that stops reading: the echo waits, and kecho holds no buffer.
tc slowread --size 1M --rcvbuf 4096 --rcvbuf-after 1 --pause 8 --read-timeout 60 \
	>/tmp/zc-slowread.out 2>&1 &
reader=$!
check "the reader's connection is open" wait_for '[ "$(kecho_counter active)" = 1 ]' 10
sleep 4
check_eq "while its peer does not read, a connection holds no kecho buffer" \
	"$(kecho_objs)" "kecho_conn=1 kecho_buf=0"
wait "$reader"
check_eq "then the reader gets its whole echo" "$?" 0
diag "$(cat /tmp/zc-slowread.out)"

check "connections have ended" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "bytes_out = bytes_in" "$(kecho_counter bytes_out)" "$(kecho_counter bytes_in)"
check_eq "buffered is 0" "$(kecho_counter buffered)" 0
check_eq "no errors" "$(kecho_counter errors)" 0
check_eq "none closed with its echo unsent" "$(kecho_counter closed_unsent)" 0
kecho_counters
check "unload kecho" kecho_unload
