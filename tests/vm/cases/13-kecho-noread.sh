#!/bin/sh
# A client that writes and never reads, for 10 s: kecho must stop reading it
# (its writes stall), keep its memory bounded and keep serving others.
# Bounds: kecho buffers at most a small fixed buffer per connection, so with
# the stalled client and one probe client at a time we allow 256 KiB in
# kecho's `buffered`; the whole TCP stack (both ends' socket buffers, at most
# ~20 MiB with Debian's default tcp_rmem/tcp_wmem) must stay under 16384
# pages (64 MiB).
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
check "never-reading client for 10 s, others served, memory bounded" \
	tc noread --seconds 10 --max-buffered 262144 --max-tcp-mem 16384
kecho_counters
check "kecho holds nothing once everyone is gone" \
	wait_for '[ "$(kecho_counter active)" = 0 ] && [ "$(kecho_counter buffered)" = 0 ]' 10
check "unload kecho" kecho_unload
