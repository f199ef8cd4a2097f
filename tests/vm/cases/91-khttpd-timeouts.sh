#!/bin/sh
# khttpd's timeouts and parameters: a head (or body) that stalls gets 408
# at header_timeout; an idle keep-alive connection, and one that never
# sends a byte, is closed at keepalive_timeout (header_timeout before its
# first request); keepalive_timeout=0 closes after every response;
# writable parameters refuse values out of range; listing=1 lists a
# directory without index.html (sorted, escaped, dotfiles left out); bad load parameters are
# refused with the errno and message the docs give; max_conns resets the
# connections over it.
. /tests/lib.sh
. /tests/khttpd-lib.sh
require_module khttpd

make_www
check "load khttpd header_timeout=2 keepalive_timeout=2" \
	khttpd_load header_timeout=2 keepalive_timeout=2
active() { khttpd_counter active; }
# hold_conn FD [BYTES]: a client that sends BYTES (a printf format), then
# nothing, and stays open until end_hold FD. nc reads a FIFO this shell
# holds open on FD (3 or 4): a sleeping writer would keep the case waiting
# for it long after the check. The client closes the other holds' FDs it
# inherits, or it would keep their FIFOs from ever reaching EOF.
hold_conn() {
	rm -f /tmp/hold.$1 && mkfifo /tmp/hold.$1
	(
		exec 3>&- 4>&-
		{ printf "${2:-}"; cat /tmp/hold.$1; } | timeout 25 nc 127.0.0.1 $KHTTPD_PORT
	) >/tmp/hold.$1.out &
	eval "hold_pid_$1=\$!"
	eval "exec $1>/tmp/hold.$1"
}
end_hold() {
	eval "exec $1>&-"
	eval "wait \$hold_pid_$1" 2>/dev/null
}

# --- a stalled head and a stalled body: 408, then closed
r=$( (printf 'GET / HTTP/1.1\r\nHost: x\r\n'; sleep 6) | timeout 12 nc 127.0.0.1 $KHTTPD_PORT | tr -d '\r')
check_eq "a head stalled past header_timeout: 408" "$(status_of "$r")" 408
check_eq "... and closed" "$(header "$r" Connection)" close
r=$( (printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc'; sleep 6) | timeout 12 nc 127.0.0.1 $KHTTPD_PORT | tr -d '\r')
check_eq "a body stalled past header_timeout: 408" "$(status_of "$r")" 408
check_eq "header_timeouts counts both" "$(khttpd_counter header_timeouts)" 2

# --- idle connections
hold_conn 3 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n'
check "an idle keep-alive connection is answered, then closed by the server" \
	wait_for '[ "$(khttpd_counter requests)" -ge 3 ] && [ "$(active)" = 0 ]' 15
check_eq "... after its response" "$(status_of "$(tr -d '\r' </tmp/hold.3.out)")" 200
end_hold 3
hold_conn 3
check "a connection that never sends is closed too" \
	wait_for '[ "$(khttpd_counter accepted)" -ge 4 ] && [ "$(active)" = 0 ]' 15
end_hold 3
check_eq "idle_timeouts counts both" "$(khttpd_counter idle_timeouts)" 2

# --- writable parameters
p=/sys/module/khttpd/parameters
check "keepalive_timeout=0 is taken" sh -c "echo 0 >$p/keepalive_timeout"
r=$(http "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n")
check_eq "keepalive_timeout=0: one response, then close" "$(statuses "$r")" 200
check_eq "... which says so" "$(header "$r" Connection)" close
check_errno "keepalive_timeout=3601 is refused" EINVAL sh -c "echo 3601 >$p/keepalive_timeout"
check_errno "header_timeout=0 is refused" EINVAL sh -c "echo 0 >$p/header_timeout"
check_eq "... and changes nothing" "$(cat $p/keepalive_timeout) $(cat $p/header_timeout)" "0 2"

# --- listing
check_eq "listing=0: a directory without index.html is 403" "$(status_of "$(get /dir/)")" 403
check "listing=1 is taken" sh -c "echo 1 >$p/listing"
echo x >$WWW/dir/zeta.txt
echo x >$WWW/dir/alpha.txt
echo x >"$WWW/dir/<b>&.txt"
echo x >$WWW/dir/.hidden
mkdir -p $WWW/dir/sub
r=$(get /dir/)
check_eq "listing=1: the listing, 200" "$(status_of "$r")" 200
check_eq "... as HTML" "$(header "$r" Content-Type)" text/html
check_eq "... sorted, directories with their /, names escaped, dotfiles left out" \
	"$(body "$r" | sed -n 's/^<a href="\([^"]*\)">\(.*\)<\/a>$/\1 \2/p' | tr '\n' '|')" \
	"%3Cb%3E&.txt &lt;b&gt;&amp;.txt|alpha.txt alpha.txt|sub/ sub/|zeta.txt zeta.txt|"
check_eq "a directory with index.html still serves it" "$(body "$(get /dir2/)")" "in dir2"
check "listing=0 again" sh -c "echo 0 >$p/listing"
check_eq "... 403 again" "$(status_of "$(get /dir/)")" 403

# --- max_conns
check "max_conns=2 is taken" sh -c "echo 2 >$p/max_conns"
check "keepalive_timeout=15 is taken" sh -c "echo 15 >$p/keepalive_timeout"
hold_conn 3
hold_conn 4
check "two connections held" wait_for '[ "$(active)" = 2 ]' 10
r=$(get /a.txt)
check_eq "a third is refused (reset, no response)" "$(status_of "$r")" ""
check "... and counted" test "$(khttpd_counter refused)" -ge 1
end_hold 3
end_hold 4
check "unload" khttpd_unload

# --- bad load parameters
check_errno "port=0 is refused" EINVAL khttpd_load port=0
check_errno "port=65536 is refused" EINVAL khttpd_load port=65536
check_errno "a relative root is refused" EINVAL khttpd_load root=www
check_errno "a missing root is refused" EINVAL khttpd_load root=/nonexistent
check "... and the log says why" \
	sh -c "dmesg | grep -qE 'khttpd: root=/nonexistent is not a directory to serve: (-ENOENT|-2)'"
check_errno "a root that is a file is refused" EINVAL khttpd_load root=$WWW/a.txt
check_errno "bind=nonsense is refused" EINVAL khttpd_load bind=nonsense
check_fails "nothing stayed loaded" khttpd_loaded
