# shellcheck shell=bash
# TAP helpers for the guest phase scripts. Results go to standard output
# (the driver points it at /dev/ttyS1); the host counts them.
T_N=0
T_FAILED=0

# ok DESC / not_ok DESC [DIAG...]
ok() {
	T_N=$((T_N + 1))
	echo "ok $T_N - $*"
}
not_ok() {
	local d
	T_N=$((T_N + 1))
	T_FAILED=$((T_FAILED + 1))
	echo "not ok $T_N - $1"
	shift
	for d in "$@"; do printf '%s\n' "$d" | sed 's/^/#   /'; done
}

# check DESC CMD...: ok when CMD succeeds; its output is the diagnosis
check() {
	local desc=$1 outp
	shift
	if outp=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc" "command: $*" "$outp"
	fi
}

# diag TEXT...: a comment line in the report
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

# wait_for SECONDS CMD...: poll CMD until it succeeds; fails after SECONDS
wait_for() {
	local limit=$1 i=0
	shift
	while ! "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -ge $((limit * 5)) ] && return 1
		sleep 0.2
	done
}

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

# active UNIT / unit_state UNIT
active() { systemctl is-active --quiet "$1"; }

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

# tap_done: the summary line; the phase fails when a test did
tap_done() {
	echo "1..$T_N"
	[ "$T_FAILED" -eq 0 ]
}
