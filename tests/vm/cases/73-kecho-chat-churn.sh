#!/bin/sh
# mode=chat, joining and leaving while messages flow (issue 14): steady
# clients send and receive while churners keep joining, reading a few
# messages, sending two of their own and leaving by FIN, RST (SO_LINGER 0)
# or close() with data unread. The steady clients get every steady message
# exactly and a start of each churner's; every churner gets from each
# sender a contiguous, exact, in-order run. "A client gets only messages
# completed after it joined": C joins after A's K messages reached B and
# gets only A's later marker (and, with --straddle, the message A had begun
# before C joined and completed after). Each leaver's queue is freed at
# once: the room empties (chat_clients, queued_bytes, chat_body_bytes 0),
# no chat object is left, and after unloading memory is back.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient


mem_baseline
check "load kecho mode=chat" kecho_load mode=chat || exit 1
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"

check "8 steady clients x 300 messages while up to 10 churners at a time join and leave" \
	tc chatchurn --steady 8 --messages 300 --churn 10 --max-size 2048 --pause-ms 5 \
	--seed "$seed" --timeout 120
check "the room empties" room_empty
check "... over IPv6, 4 steady, 20 churners at a time" \
	tc chatchurn --steady 4 --messages 300 --churn 20 --max-size 512 --pause-ms 5 \
	--family 6 --seed "$((seed + 1))" --timeout 120
check "the room empties" room_empty

check "a client that joins gets only messages completed after it joined" \
	tc chatjoin --messages 50 --seed "$((seed + 2))"
check "... including one begun before it joined and completed after" \
	tc chatjoin --messages 50 --straddle 1 --max-size 65536 --seed "$((seed + 3))"
check "the room empties" room_empty
check_eq "nobody dropped as slow" "$(kecho_counter slow_dropped)" 0

check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
check_eq "no connection or buffer object left" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed" kecho_caches_gone
check "... the chat caches too" sh -c '! grep -qE "^kecho_chat(_item)? " /proc/slabinfo'
check_mem_baseline
