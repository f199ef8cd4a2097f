#!/bin/sh
# mode=chat shares one copy of a message with all its receivers, down to
# their sockets (issue 14: "one message body in memory is shared by all its
# receivers"). 50 receivers that never read, each with a 2 MiB receive
# buffer, and 200 messages of 4,000 bytes: once kecho has written every
# delivery to a socket, 40 MB sit unread in TCP's queues. kecho hands TCP
# the page a body lives in, so the guest's memory must grow by less than
# half of that (it grew by 7% when this was written: the bodies once and
# the skbs); a copy per receiver costs all of it on top of the skbs (with
# kecho_chat.c copying, as before the bodies were sent by reference:
# 126%). Then the room empties, and after unloading the memory is back at
# the baseline.
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

mem_baseline
check "load kecho mode=chat" kecho_load mode=chat || exit 1
out=$(tc chatshare --receivers 50 --messages 200 --size 4000 --timeout 120 2>&1)
rc=$?
diag "$out"
check_eq "50 unread copies of 200 x 4,000 bytes cost under half of 40 MB" "$rc" 0
check "the room empties (chat_clients, queued_bytes, chat_body_bytes 0)" room_empty
check "connections end (active 0)" wait_for '[ "$(kecho_counter active)" = 0 ]' 30
check_eq "no chat client or queued copy left" "$(chat_objs)" "kecho_chat=0 kecho_chat_item=0"
kecho_counters
check "unload kecho" kecho_unload
check_mem_baseline
