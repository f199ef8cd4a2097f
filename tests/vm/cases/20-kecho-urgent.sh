#!/bin/sh
# TCP urgent data is echoed like every other byte: kecho reads urgent
# bytes inline (SO_OOBINLINE), so send("abc", MSG_OOB) comes back "abc".
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

check "load kecho" kecho_load || exit 1
check "messages ending in an urgent byte, IPv4" tc urgent --rounds 200
check "and IPv6" tc urgent --rounds 50 --family 6
check "connections end" wait_for '[ "$(kecho_counter active)" = 0 ]' 10
check_eq "bytes in = bytes out" "$(kecho_counter bytes_in)" "$(kecho_counter bytes_out)"
kecho_counters
check "unload kecho" kecho_unload
