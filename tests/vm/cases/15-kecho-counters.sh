#!/bin/sh
# /proc/net/kecho agrees with what the clients did: connections accepted,
# bytes in and out equal to the bytes sent, nothing active or buffered
# afterwards, no errors.
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
for key in accepted active refused bytes_in bytes_out errors buffered port; do
	check "counter $key is present" test -n "$(kecho_counter $key)"
done
check_eq "fresh module: accepted 0" "$(kecho_counter accepted)" 0
check_eq "fresh module: bytes_in 0" "$(kecho_counter bytes_in)" 0

# Sizes are drawn at run time so nothing is hard-coded.
total=0
conns=0
for i in 1 2 3 4 5; do
	size=$(($(od -An -N2 -tu2 /dev/urandom) + 1))
	check "payload $size bytes" tc payload --size $size --family $((4 + 2 * (i % 2)))
	total=$((total + size))
	conns=$((conns + 1))
done
check "50 connections of 1000 bytes" tc concurrent --conns 50 --size 1000
total=$((total + 50 * 1000))
conns=$((conns + 50))
check "half-close of 3333 bytes" tc halfclose --size 3333
total=$((total + 3333))
conns=$((conns + 1))

check "connections have ended" wait_for '[ "$(kecho_counter active)" = 0 ]' 10
kecho_counters
check_eq "accepted = connections made" "$(kecho_counter accepted)" $conns
check_eq "bytes_in = bytes sent" "$(kecho_counter bytes_in)" $total
check_eq "bytes_out = bytes sent" "$(kecho_counter bytes_out)" $total
check_eq "buffered is 0" "$(kecho_counter buffered)" 0
check_eq "errors is 0" "$(kecho_counter errors)" 0
check_eq "refused is 0" "$(kecho_counter refused)" 0
check "unload kecho" kecho_unload
