#!/bin/sh
# mode=chat, a receiver that never reads (issue 14): with chat_queue=65536
# its queue passes the limit, so kecho resets it (ECONNRESET at the client)
# and counts it once in slow_dropped, while the senders are never held back
# and every other client gets every message exactly (checked by each
# client's checker). Then chat_queue is raised live and the same happens
# past 1 MiB. After each run queued_bytes, chat_body_bytes and chat_clients
# are 0 and no chat object is left in kecho's slabs; after unloading,
# sockets and memory are back at the baseline.
# vmtest-timeout: 600
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient


mem_baseline
check "load kecho mode=chat chat_queue=65536" kecho_load mode=chat chat_queue=65536 || exit 1
check_eq "chat_queue reads back" "$(kecho_param chat_queue)" 65536
seed=$(awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime)
diag "seed $seed"

# 5 senders x 400 messages of 12..4096 bytes: about 3 MiB for the slow
# one, far more than its 4 KiB receive buffer, kecho's send buffer and
# chat_queue together. The active ones keep at most half of chat_queue in
# flight (--queue), so a correct kecho never drops them.
d0=$(kecho_counter slow_dropped)
check "the client that never reads is reset, the 5 others get every message exactly" \
	tc chat --clients 5 --messages 400 --max-size 4096 --slow 1 --queue 65536 \
	--seed "$seed" --timeout 120
check_eq "slow_dropped counted it once" "$(($(kecho_counter slow_dropped) - d0))" 1
check "the room empties (chat_clients, queued_bytes, chat_body_bytes 0)" room_empty
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
check_eq "no connection or buffer object left" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
kecho_counters

# Live: 1 MiB (applies to the next enqueue). 10 x 400 x 12..8192: about
# 16 MiB for the slow one.
check "chat_queue 1048576 live" kecho_param chat_queue 1048576
check "past 1 MiB too: reset, the 10 others exact" \
	tc chat --clients 10 --messages 400 --max-size 8192 --slow 1 --queue 1048576 \
	--seed "$((seed + 1))" --timeout 120
check_eq "slow_dropped counted two in all" "$(($(kecho_counter slow_dropped) - d0))" 2
check "the room empties again" room_empty
check_fails "chat_queue below 4096 is refused" kecho_param chat_queue 4095
check_eq "and leaves chat_queue as it was" "$(kecho_param chat_queue)" 1048576

check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
check_eq "no connection or buffer object left" "$(kecho_objs)" "kecho_conn=0 kecho_buf=0"
kecho_counters
check "unload kecho" kecho_unload
check "kecho's caches are destroyed" kecho_caches_gone
check "... the chat caches too" sh -c '! grep -qE "^kecho_chat(_item)? " /proc/slabinfo'
check_mem_baseline
