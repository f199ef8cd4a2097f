#!/bin/sh
# keechoctl drop writes "LOCAL REMOTE STATE cookie=N" with the state and the
# sock_diag cookie it listed: --dry-run shows those lines, the cookie is the
# one ss -e shows (sk:), the module takes the line and drops that socket,
# and the same line once more (the socket gone) is ENOENT.
. /tests/lib.sh

require_module kecho
require_module drop_tcp_socket
require_prog keechoctl
require_prog ss

rm -f /etc/modprobe.d/kecho.conf
check "keechoctl load" keechoctl load
check "listening" wait_for "port_listening $KECHO_PORT" 10

echo x | nc 127.0.0.1 $KECHO_PORT >/dev/null
tw() { keechoctl connections --state time-wait --src 127.0.0.1 --dport $KECHO_PORT | tail -n +2 | wc -l; }
check "a client TIME_WAIT socket exists" wait_for '[ $(tw) -ge 1 ]' 20

out=$(keechoctl drop --state TIME_WAIT --src 127.0.0.1 --dport $KECHO_PORT --dry-run)
diag "$out"
line=$(printf '%s\n' "$out" | sed -n 's/^    line: //p' | head -n 1)
check "the dry run shows the line it would write" \
	contains "$line" "^127\.0\.0\.1:[0-9]* 127\.0\.0\.1:$KECHO_PORT TIME_WAIT cookie=[0-9][0-9]*$"

local=${line%% *}
cookie=${line##*cookie=}
sk=$(ss -tane state time-wait src "$local" | sed -n 's/.* sk:\([0-9a-f]*\).*/\1/p' | head -n 1)
diag "ss -e: sk:$sk for $local"
check_eq "the cookie is the one ss -e shows" "$cookie" "$(printf '%d' "0x$sk")"

out=$(keechoctl drop --state TIME_WAIT --src "${local%:*}" --sport "${local##*:}" --dport $KECHO_PORT)
diag "$out"
check "keechoctl drop dropped it" last_line_is "$out" "dropped 1 connection"
check_eq "the socket is gone" "$(ss -tan state time-wait src "$local" | tail -n +2 | wc -l)" 0
check_errno "the same line again: ENOENT" ENOENT sh -c "echo '$line' >/proc/net/drop_tcp_sock"

check "keechoctl unload all" keechoctl unload all
