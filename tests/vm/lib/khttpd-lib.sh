# Guest-side helpers for the khttpd cases (busybox sh), installed as
# /tests/khttpd-lib.sh. Sourced after /tests/lib.sh. The counters and the
# parts of a response: khttpd-common.sh, shared with the e2e.
. /tests/khttpd-common.sh
KHTTPD_PORT=8080
WWW=/tmp/www

khttpd_loaded() { [ -d /sys/module/khttpd ]; }

# khttpd_load [PARAM=VALUE...]: load it serving $WWW unless root= is given
khttpd_load() {
	_port=$KHTTPD_PORT
	_root=root=$WWW
	for _a in "$@"; do
		case $_a in
		port=*) _port=${_a#port=} ;;
		root=*) _root= ;;
		esac
	done
	# shellcheck disable=SC2086
	_out=$(modprobe khttpd $_root "$@" 2>&1)
	_rc=$?
	[ -n "$_out" ] && diag "modprobe khttpd $*: $_out"
	[ $_rc -eq 0 ] || return $_rc
	wait_for "port_listening $_port" 10
}

khttpd_unload() {
	_out=$(rmmod khttpd 2>&1)
	_rc=$?
	[ -n "$_out" ] && diag "rmmod khttpd: $_out"
	[ $_rc -eq 0 ] || return $_rc
	wait_for "! khttpd_loaded" 10
}

khttpd_counters() {
	diag "khttpd: $(tr '\n' ' ' </proc/net/khttpd 2>/dev/null)"
}

# http RAW [SECS]: send RAW (printf escapes: \r\n) on one connection and
# print everything the server sends back until it closes (SECS, default 5,
# at most). The response's CRs are removed.
http() {
	# shellcheck disable=SC2059
	printf "$1" | timeout "${2:-5}" nc 127.0.0.1 "$KHTTPD_PORT" | tr -d '\r'
}

# http_raw RAW OUT: as http, into the file OUT, bytes untouched.
http_raw() {
	# shellcheck disable=SC2059
	printf "$1" | timeout 10 nc 127.0.0.1 "$KHTTPD_PORT" >"$2"
}

# get PATH: a whole GET of PATH over HTTP/1.0 (a % in PATH is sent as is)
get() {
	http "GET $(printf '%s' "$1" | sed 's/%/%%/g') HTTP/1.0\r\n\r\n"
}

# make_www: the tree every case serves
make_www() {
	rm -rf $WWW
	mkdir -p $WWW/dir $WWW/dir2 $WWW/sub
	echo '<html>index</html>' >$WWW/index.html
	echo 'hello from a.txt' >$WWW/a.txt
	echo 'in dir2' >$WWW/dir2/index.html
	echo 'secret' >$WWW/secret.txt
	chmod 600 $WWW/secret.txt
	echo 'nested' >$WWW/sub/b.css
	echo 'spaced' >"$WWW/sub/with space.txt"
	seq 1 200000 >$WWW/big.txt
	mkfifo $WWW/fifo
	mknod $WWW/null c 1 3
	ln -s /etc/passwd $WWW/abs-link
	ln -s ../../../../etc/passwd $WWW/rel-link
	ln -s a.txt $WWW/good-link
	chmod 755 $WWW $WWW/dir $WWW/dir2 $WWW/sub
	chmod 644 $WWW/index.html $WWW/a.txt $WWW/dir2/index.html $WWW/sub/b.css \
		"$WWW/sub/with space.txt" $WWW/big.txt
}
