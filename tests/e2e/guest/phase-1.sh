# shellcheck shell=bash
# Phase 1, first boot (the older kernel): start, reconfigure, reload, drop,
# recovery and stop of kecho under systemd; khttpd.service serving the
# package's /srv/khttpd. Leaves kecho.service enabled
# and the expected configuration in /var/lib/kecho-e2e for phase 2.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
CONF=/etc/modprobe.d/kecho.conf
PORT=23456     # non-default options, written to modprobe.d before start
BACKLOG=64
PORT2=23457    # keechoctl reconfigure --port
BACKLOG2=96    # systemctl reload
OTHER=23999    # a userspace echo server: its connections must survive drops

diag "kernel $(uname -r)"
# agree true|false [PORT]: keechoctl status and health give the same verdict
# (and the same port when healthy)
agree() {
	local s h
	s=$(keechoctl status --json) || true
	h=$(keechoctl health --json) || true
	printf 'status: %s\nhealth: %s\n' "$s" "$h"
	printf '%s' "$h" | grep -q "\"healthy\":$1" &&
		printf '%s' "$s" | grep -q "\"health\":{\"healthy\":$1" || return 1
	[ -z "${2:-}" ] && return 0
	printf '%s' "$h" | grep -q "\"port\":$2[,}]" &&
		printf '%s' "$s" | grep -q "\"port\":\"$2\""
}

# --- packages and DKMS ---
for k in /lib/modules/*/; do
	k=${k%/}; k=${k##*/}
	check "DKMS installed kecho.ko, drop-tcp-socket.ko and khttpd.ko for $k" \
		test -f "/lib/modules/$k/updates/dkms/kecho.ko" -a -f "/lib/modules/$k/updates/dkms/drop-tcp-socket.ko" \
		-a -f "/lib/modules/$k/updates/dkms/khttpd.ko"
done
diag "$(dkms status 2>/dev/null)"
check "the package does not enable kecho.service on its own" \
	sh -c '! systemctl is-enabled --quiet kecho'
check "nothing started kecho before we did" sh -c '! systemctl is-active --quiet kecho && ! test -d /sys/module/kecho'
check "modprobe.d/kecho.conf is a conffile of keechoctl" \
	sh -c "dpkg-query -W -f='\${Conffiles}' keechoctl | grep -q ' $CONF '"

# --- 1. start with non-default options from modprobe.d ---
sed -i "s/^options kecho .*/options kecho port=$PORT backlog=$BACKLOG bench=1/" "$CONF"
comments=$(grep -c '^#' "$CONF")
check "systemctl start kecho (Type=notify: returns once READY=1 is sent)" systemctl start kecho
check "kecho is loaded" loaded kecho
check "port $PORT from modprobe.d" test "$(param port)" = "$PORT"
check "backlog $BACKLOG from modprobe.d" test "$(param backlog)" = "$BACKLOG"
check "bench=1 from modprobe.d" grep -qx '[Y1]' /sys/module/kecho/parameters/bench
check "echo on $PORT over IPv4" echo_ok "$PORT" 127.0.0.1
check "echo on $PORT over IPv6" echo_ok "$PORT" ::1
check "/proc/net/kecho reports port $PORT" grep -qx "port $PORT" /proc/net/kecho
check "keechoctl health: healthy" keechoctl health
check "keechoctl status: loaded on port $PORT" sh -c "keechoctl status | grep -w $PORT"
check "status and health agree: healthy, port $PORT" agree true "$PORT"
diag "$(keechoctl status 2>&1)"
check "daemon is watched: WatchdogUSec set" test "$(systemctl show -p WatchdogUSec --value kecho)" != 0

# --- 2a. reconfigure the port live ---
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
check "connection established on $PORT before reconfigure" send_on 4
check "keechoctl reconfigure --port $PORT2" keechoctl reconfigure --port "$PORT2"
check "$PORT2 listens and $PORT no longer does" wait_for "moved $PORT $PORT2" 10
check "new port $PORT2 serves" echo_ok "$PORT2"
check "old port $PORT refuses (ECONNREFUSED)" refused "$PORT"
check "config file now says port=$PORT2" grep -q "^options kecho .*port=$PORT2" "$CONF"
check "config file keeps the other options" grep -q "^options kecho .*backlog=$BACKLOG.*bench=1\|^options kecho .*bench=1.*backlog=$BACKLOG" "$CONF"
check "config file keeps its comments" test "$(grep -c '^#' "$CONF")" = "$comments"
check "established connection survives the reconfigure" send_on 4
exec 4>&-

# --- 2b. systemctl reload: the daemon applies the edited file itself, so
# a privileged port (the echo port, 7) needs its CAP_NET_BIND_SERVICE ---
pid=$(main_pid)
sed -i "s/backlog=$BACKLOG/backlog=$BACKLOG2/; s/port=$PORT2/port=7/" "$CONF"
check "systemctl reload kecho (port 7, backlog $BACKLOG2)" systemctl reload kecho
check "reload applied port=7" wait_for "param_is port 7" 20
check "reload applied backlog=$BACKLOG2" wait_for "param_is backlog $BACKLOG2" 20
check "echo on port 7 after reload" wait_for "echo_ok 7" 20
check "reload kept the daemon (same PID)" test "$(main_pid)" = "$pid"
diag "$(journalctl -u kecho --no-pager -o cat -n 3)"
check "keechoctl reconfigure --port $PORT2 (back)" keechoctl reconfigure --port "$PORT2"
check "still echoing on $PORT2" echo_ok "$PORT2"

# --- 3. drop TIME_WAIT ---
exec 5<>"/dev/tcp/127.0.0.1/$PORT2"
have_other=0
if command -v kecho-user-echo-server >/dev/null; then
	kecho-user-echo-server --port "$OTHER" --threads 1 &
	other_pid=$!
	wait_for "echo_ok $OTHER" 10 && have_other=1
	echo_ok "$OTHER"
	echo_ok "$OTHER"
fi
for _ in 1 2 3 4 5 6; do echo_ok "$PORT2" >/dev/null; done
# wait until the six closes have reached TIME_WAIT (no sleep, then look)
check "TIME_WAIT connections exist on $PORT2" wait_for "timewait_at_least $PORT2 6" 10
diag "before drop: $(timewait_count "$PORT2") TIME_WAIT on $PORT2, $(timewait_count "$OTHER") on $OTHER"
timewait_tuples "$PORT2" >/tmp/tw-before
check "keechoctl drop --state TIME_WAIT --port $PORT2" keechoctl drop --state TIME_WAIT --port "$PORT2"
# The daemon's health check (every few seconds) may leave a new TIME_WAIT
# at any moment: what must be gone is every one that was there.
timewait_tuples "$PORT2" >/tmp/tw-after
check "ss shows none of the $(wc -l </tmp/tw-before) TIME_WAIT connections on $PORT2" \
	test -z "$(comm -12 /tmp/tw-before /tmp/tw-after)"
diag "after drop: $(wc -l </tmp/tw-after) TIME_WAIT on $PORT2 (new health checks)"
check "established connection on $PORT2 untouched" send_on 5
if [ "$have_other" = 1 ]; then
	check "TIME_WAIT on port $OTHER untouched" test "$(timewait_count "$OTHER")" -ge 2
	kill "$other_pid"
	wait "$other_pid" 2>/dev/null
else
	fail "kecho-user-echo-server runs (for the untouched-port check)"
fi
exec 5>&-

# --- 4a. rmmod behind the daemon's back ---
t0=$(date +%s)
check "rmmod kecho behind the daemon's back" wait_for "rmmod kecho" 20
check "the daemon loads kecho again" wait_for "loaded kecho" 60
check "restored kecho serves the configured port $PORT2 again" wait_for "echo_ok $PORT2" 30
diag "restored after $(($(date +%s) - t0)) s"
check "the journal says why" sh -c "journalctl -u kecho --since @$t0 --no-pager | grep -iE 'unloaded behind|not loaded'"
diag "$(journalctl -u kecho --since @"$t0" --no-pager -o cat | head -5)"

# --- 4b. kill -9 of the daemon ---
pid=$(main_pid)
kill -9 "$pid"
check "systemd restarts the killed daemon" wait_for "restarted $pid" 60
check "echo on $PORT2 after the restart" wait_for "echo_ok $PORT2" 30
check "systemd counted the restart" test "$(systemctl show -p NRestarts --value kecho)" -ge 1

# --- 5. stop ---
t1=$(date +%s)
check "systemctl stop kecho" systemctl stop kecho
check "stop unloaded kecho" not_loaded kecho
check "port $PORT2 refuses after stop (ECONNREFUSED)" refused "$PORT2"
check "keechoctl health: unhealthy after stop" sh -c '! keechoctl health'
check "status and health agree: unhealthy" agree false
check "the daemon exited 0 (Result=success)" test "$(systemctl show -p Result --value kecho)" = success
check "the journal shows a clean exit" sh -c "journalctl -u kecho --since @$t1 --no-pager | grep -q 'Deactivated successfully'"
diag "$(journalctl -u kecho --since @"$t1" --no-pager -o cat)"

# --- 6. khttpd.service: disabled until asked, serves /srv/khttpd ---
# shellcheck source=SCRIPTDIR/../../lib/khttpd-common.sh
. "$(dirname "$0")/khttpd-common.sh"
# http_get PATH: the response to "GET PATH HTTP/1.0" from port 8080, its
# CRs removed (as khttpd-common.sh takes it)
http_get() {
	exec 9<>/dev/tcp/127.0.0.1/8080 || return 1
	printf 'GET %s HTTP/1.0\r\n\r\n' "$1" >&9
	timeout 10 cat <&9 | tr -d '\r'
	exec 9>&-
}
world_readable() { [ "$(stat -c %A "$1" | cut -c8)" = r ]; }

check "the package does not enable khttpd.service on its own" \
	sh -c '! systemctl is-enabled --quiet khttpd'
check "nothing started khttpd" not_loaded khttpd
check "the package created /srv/khttpd/index.html" test -f /srv/khttpd/index.html
check "... world-readable, as khttpd serves only such files" world_readable /srv/khttpd/index.html
check "modprobe.d/khttpd.conf is a conffile of keechoctl" \
	sh -c "dpkg-query -W -f='\${Conffiles}' keechoctl | grep -q ' /etc/modprobe.d/khttpd.conf '"
check "systemctl start khttpd" systemctl start khttpd
check "khttpd is loaded" loaded khttpd
resp=$(http_get /)
diag "GET /: $(printf '%s\n' "$resp" | head -n 1)"
check_eq "GET / answers 200" "$(status_of "$resp")" 200
check_eq "... with /srv/khttpd/index.html" "$(body "$resp")" "$(cat /srv/khttpd/index.html)"
check_eq "GET /../etc/passwd is refused: 400" "$(status_of "$(http_get /../etc/passwd)")" 400
check "keechoctl --module khttpd health: healthy" keechoctl --module khttpd health
check "keechoctl --module khttpd status: port 8080" sh -c 'keechoctl --module khttpd status | grep -w 8080'
check "/proc/net/khttpd counted the 200s" test "$(khttpd_counter status_2xx)" -ge 1
check "khttpd's daemon is watched: WatchdogUSec set" \
	test "$(systemctl show -p WatchdogUSec --value khttpd)" != 0
check "systemctl stop khttpd" systemctl stop khttpd
check "stop unloaded khttpd" not_loaded khttpd
check "port 8080 refuses after stop" refused 8080

# --- systemd-analyze security, for docs/packaging.md: at most 2.5 ---
security=$(systemd-analyze security --no-pager kecho.service 2>&1)
printf '%s\n' "$security" | sed 's/^/# security: /'
exposure=$(printf '%s\n' "$security" |
	sed -n 's/.*Overall exposure level for kecho\.service: *\([0-9][0-9.]*\).*/\1/p' | tail -n 1)
check "systemd-analyze security: exposure ${exposure:-?} <= 2.5" \
	awk -v e="$exposure" 'BEGIN { exit !(e != "" && e + 0 <= 2.5) }'

# --- for the next boot: enabled, expected configuration ---
check "systemctl enable kecho" systemctl enable kecho
mkdir -p /var/lib/kecho-e2e
printf 'PORT=%s\nBACKLOG=%s\n' "$PORT2" "$BACKLOG2" >/var/lib/kecho-e2e/expected
