#!/bin/sh
# drop-tcp-socket, issue point 7: load and unload are clean while writers
# are active. Writers loop in init_net and in a second namespace, one file
# holds a half-written line, and the module is unloaded and loaded again
# under them; later writes to the stale file fail, nothing warns (the
# harness fails on any kernel warning).
. /tests/lib.sh

# The drop-tcp-socket helpers (tests/vm/lib/dts-lib.sh).
. /tests/dts-lib.sh

require_module drop_tcp_socket
# writer.sh FILE: write to the file in a loop; FILE gets one line per
# round (so the case can wait until the writer runs).
cat >/tmp/writer.sh <<'EOF'
while :; do
	echo '127.0.0.1:1 127.0.0.1:2' >/proc/net/drop_tcp_sock
	echo 'garbage' >/proc/net/drop_tcp_sock
	printf '127.0.0.1:3 127.0' >/proc/net/drop_tcp_sock
	echo x >>"$1"
done 2>/dev/null
EOF
unshare -n sh -c 'exec sleep 600' &
NSPID=$!
wait_for '[ "$(readlink /proc/$NSPID/ns/net)" != "$(readlink /proc/self/ns/net)" ]' 10
for round in 1 2 3; do
	check "round $round: load" modprobe drop_tcp_socket
	exec 3>$DTS
	printf '127.0.0.1:1 127' >&3
	rm -f /tmp/w1.n /tmp/w2.n
	sh /tmp/writer.sh /tmp/w1.n &
	W1=$!
	nsenter -t $NSPID -n sh /tmp/writer.sh /tmp/w2.n &
	W2=$!
	# unload only once both writers are looping (each has written)
	check "round $round: both writers are writing" \
		wait_for '[ -s /tmp/w1.n ] && [ -s /tmp/w2.n ]' 10
	check "round $round: unload with writers active" rmmod drop_tcp_socket
	check_fails "round $round: the file is gone" test -e $DTS
	check_errno "round $round: a write to a file opened before unload fails" EIO \
		sh -c "echo '.0.0.1:2' >&3"
	exec 3>&-
	kill $W1 $W2
	wait $W1 $W2 2>/dev/null
done
kill $NSPID
wait $NSPID 2>/dev/null
check_fails "the module is gone" test -d /sys/module/drop_tcp_socket
