# shellcheck shell=bash
# Helpers for the e2e phase scripts (bash), on top of the TAP library both
# guest suites share (tests/lib/tap.sh, installed beside this file as
# tap.sh and sourced here: ok, fail, diag, check DESC CMD..., check_eq,
# check_errno, wait_for COND [TIMEOUT] and the others are documented
# there). Results go to standard output (the driver points it at
# /dev/ttyS1); the plan is printed when the phase's shell exits, and the
# phase exits 1 if a test point failed.
# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

# echo_ok PORT [ADDR]: one line sent over a new connection comes back
echo_ok() {
	local port=$1 addr=${2:-127.0.0.1} msg reply
	msg="kecho-e2e-$RANDOM-$RANDOM"
	exec 9<>"/dev/tcp/$addr/$port" || return 1
	printf '%s\n' "$msg" >&9
	read -r -t 10 reply <&9
	exec 9>&-
	[ "$reply" = "$msg" ] || { echo "sent '$msg', got '$reply'"; return 1; }
}

# refused PORT [ADDR]: a connection attempt is refused (ECONNREFUSED, not
# any other failure)
refused() {
	local err
	err=$( (exec 9<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>&1) && {
		echo "connected to port $1"
		return 1
	}
	case $err in
	*"Connection refused"*) return 0 ;;
	esac
	echo "failed, but not with ECONNREFUSED: $err"
	return 1
}

# listening PORT / not_listening PORT: a TCP socket listens on PORT (or
# none does), for waiting until a live port change is visible
listening() { ss -Hltn "sport = :$1" | grep -q .; }
not_listening() { ! listening "$1"; }
# moved OLD NEW: NEW listens and OLD no longer does
moved() { listening "$2" && not_listening "$1"; }

# param NAME: kecho's live module parameter
param() { cat "/sys/module/kecho/parameters/$1"; }
# param_is NAME VALUE: it has that value now (for wait_for, which must
# re-read it on every try)
param_is() { [ "$(param "$1" 2>/dev/null)" = "$2" ]; }

# loaded MODULE: the module is in the kernel
loaded() { [ -d "/sys/module/$1" ]; }
not_loaded() { [ ! -d "/sys/module/$1" ]; }

# active UNIT: the unit is active
active() { systemctl is-active --quiet "$1"; }

# main_pid: kecho.service's main process (0 when none)
main_pid() { systemctl show -p MainPID --value kecho; }
# restarted PID: kecho is active again, with a main process other than PID
restarted() {
	local now
	now=$(main_pid)
	active kecho && [ "$now" != "$1" ] && [ "$now" != 0 ]
}

# send_on FD: one line over an already open connection comes back
send_on() {
	local fd=$1 msg="still-there-$RANDOM" reply
	printf '%s\n' "$msg" >&"$fd" && read -r -t 10 reply <&"$fd" && [ "$reply" = "$msg" ]
}

# ended FD: the peer of an open connection has closed or reset it: a read
# returns end of file or an error within 30 s instead of hanging
ended() {
	local rc=0 line
	read -r -t 30 line <&"$1" || rc=$?
	if [ "$rc" -eq 0 ] || [ "$rc" -gt 128 ]; then
		echo "read: status $rc, '$line'"
		return 1
	fi
}

# timewait_count PORT: TIME_WAIT sockets with PORT at either end
timewait_count() {
	ss -Htan state time-wait "( sport = :$1 or dport = :$1 )" | wc -l
}

# timewait_at_least PORT N: at least N TIME_WAIT sockets with PORT at an end
timewait_at_least() { [ "$(timewait_count "$1")" -ge "$2" ]; }

# timewait_tuples PORT: "LOCAL PEER" of each TIME_WAIT socket with PORT at
# either end, sorted
timewait_tuples() {
	ss -Htan "( sport = :$1 or dport = :$1 )" | awk '$1 == "TIME-WAIT" { print $4, $5 }' | sort
}
