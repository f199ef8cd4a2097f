#!/bin/sh
# kecho built as for a kernel without CONFIG_STREAM_PARSER (see ../run):
# message and chat mode are refused with a reason, stream mode is served.
. /tests/lib.sh

dmesg_mark
check_fails "modprobe kecho mode=message is refused" modprobe kecho mode=message
check "the refusal says why" dmesg_has "mode=message needs a kernel built with CONFIG_STREAM_PARSER"
check "nothing stays loaded" sh -c '! kecho_loaded'
dmesg_mark
check_fails "modprobe kecho mode=chat is refused" modprobe kecho mode=chat
check "that refusal says why too" dmesg_has "mode=chat needs a kernel built with CONFIG_STREAM_PARSER"
check "nothing stays loaded after it" sh -c '! kecho_loaded'
check "stream mode loads" kecho_load
check "and echoes" tc payload --size 100000
check_errno "a live switch to message mode is refused" EOPNOTSUPP \
	sh -c 'echo message >/sys/module/kecho/parameters/mode'
check_errno "so is one to chat mode" EOPNOTSUPP \
	sh -c 'echo chat >/sys/module/kecho/parameters/mode'
check_eq "the mode stays stream" "$(cat /sys/module/kecho/parameters/mode)" stream
check "still echoing" tc payload --size 1000
check "unload" kecho_unload
