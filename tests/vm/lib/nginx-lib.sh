# Guest-side helpers to run Debian's nginx beside khttpd (busybox sh),
# installed as /tests/nginx-lib.sh. Sourced after /tests/lib.sh.
#
#   nginx_start ROOT [DIRECTIVE...]
#                       start nginx on /tests/nginx-khttpd.conf serving ROOT
#                       on port 8081 (v4 and v6), the DIRECTIVEs (each
#                       ending in ";") added to its http block, and wait
#                       (10 s) until it listens; its error log is printed
#                       as diagnostics when it fails
#   nginx_stop          stop it (SIGTERM to the master) and wait (10 s)
#                       until the master and every worker are gone
#   nginx_log           print its error log as diagnostics
#
# nginx and wrk come from Debian's packages (tests/vm/lib/host.sh,
# VM_GUEST_DEBS); without apt access on the host they are not in the guest:
# require_nginx then fails the case with that reason.
NGINX_PORT=8081
NGINX_DIR=/tmp/nginx

require_nginx() {
	for _p in nginx wrk; do
		have_prog "$_p" && continue
		fail "$_p is in the guest" "$_p is missing from the initramfs: the host could not fetch" \
			"Debian's nginx/wrk packages (see the host's 'vm: warning' line; needs apt access)"
		exit 1
	done
}

nginx_log() {
	[ -s $NGINX_DIR/error.log ] && sed 's/^/# nginx: /' $NGINX_DIR/error.log
	return 0
}

nginx_start() {
	rm -rf $NGINX_DIR
	mkdir -p $NGINX_DIR
	_root=$1
	shift
	sed -e "s|@ROOT@|$_root|" -e "s|@EXTRA@|$*|" /tests/nginx-khttpd.conf >$NGINX_DIR/nginx.conf
	_out=$(nginx -p $NGINX_DIR -c $NGINX_DIR/nginx.conf 2>&1)
	_rc=$?
	[ -n "$_out" ] && diag "nginx: $_out"
	if [ $_rc -ne 0 ] || ! wait_for "port_listening $NGINX_PORT" 10; then
		nginx_log
		return 1
	fi
}

# the pids of nginx's processes (a zombie has no cmdline: not counted)
_nginx_procs() {
	for _d in /proc/[0-9]*; do
		case $(cat "$_d/cmdline" 2>/dev/null | tr '\0' ' ') in
		nginx:*) echo "${_d#/proc/}" ;;
		esac
	done
}

nginx_stop() {
	[ -s $NGINX_DIR/nginx.pid ] || return 1
	_pid=$(cat $NGINX_DIR/nginx.pid)
	kill -TERM "$_pid" 2>/dev/null || return 1
	wait_for '[ -z "$(_nginx_procs)" ]' 10
}
