# shellcheck shell=sh
# The TAP library of both guest test suites: the VM cases (busybox sh,
# installed as /tests/tap.sh and sourced by /tests/lib.sh) and the e2e
# phases (bash, installed beside them and sourced by their lib.sh). Plain
# POSIX sh, no `local` (its own variables are globals named _tap_*), so
# both shells run it.
#
# Reporting (numbering is automatic):
#   ok DESC                     a passing test point
#   fail DESC [WHY...]          a failing one; each WHY printed as diagnostics
#   skip DESC WHY               a skipped one ("ok N - DESC # SKIP WHY"); the
#                               suite decides whether a skip is allowed
#   skip_all WHY                report one skip and end the script (exit 0)
#   diag TEXT...                each TEXT (any number of lines) as "# " lines
#   failures                    prints how many points failed so far
#
# Assertions (each one test point; each returns 0 when it passed, else 1):
#   check DESC CMD [ARGS...]    run CMD; ok if it exits 0. CMD's output is
#                               printed as diagnostics either way
#   check_fails DESC CMD...     ok only if CMD exits non-zero (any failure:
#                               prefer check_errno)
#   check_errno DESC ERRNO CMD...  ok only if CMD exits non-zero and its
#                               output holds ERRNO's strerror text (EIO,
#                               ECONNRESET, ECONNREFUSED, EINVAL, EPERM,
#                               EADDRINUSE ...: see errno_text)
#   check_eq DESC GOT WANT      ok if the two strings are equal
#   check_le DESC GOT MAX       ok if integer GOT <= MAX
#
# Overlapping slow, independent checks (each still one test point, in the
# order check_bg reports them):
#   bg_start ID CMD [ARGS...]   run CMD in the background; ID is a word
#   check_bg DESC ID            wait for ID's CMD, then report it as check
#                               would (its output as diagnostics)
#
# Waiting (never "sleep, then check": wait until the change is visible):
#   wait_for COND [TIMEOUT]     eval the shell string COND (in this shell)
#                               every 0.1 s until it succeeds (return 0) or
#                               TIMEOUT seconds (default 10) pass (return 1,
#                               with COND and its last output as diagnostics
#                               on stderr). COND's output is not shown
#                               otherwise. E.g. check "port moved"
#                               wait_for "listening $NEW && ! listening $OLD" 10
#   now_ms                      milliseconds since boot
#   errno_text NAME             strerror text of an errno name; 1 if unknown
#
# The plan "1..N" is printed when the shell that first sourced this file
# exits, and the exit status becomes 1 if any test point failed (otherwise
# the shell's own). A test point made in a subshell or a pipeline still
# counts (the count is kept in files), but one made inside $(...) never
# reaches the reader: the plan then disagrees with the points seen, which
# is how a reader (the VM harness, the e2e host) catches it, and how it
# catches a script killed midway (no plan at all). A shell started by the
# script that sources this file again counts into the same files and
# prints no plan of its own. The files are $TAP_STATE.count and
# $TAP_STATE.fails (default /tmp/tap.*), emptied by the first source; a
# harness that reads them afterwards sets TAP_STATE itself.

TAP_STATE=${TAP_STATE:-/tmp/tap}
export TAP_STATE
_tap_count=$TAP_STATE.count
_tap_fails=$TAP_STATE.fails
_tap_wait=$TAP_STATE.wait

_tap_plan() {
	_tap_rc=$?
	echo "1..$(wc -l <"$_tap_count" | tr -d ' ')"
	if [ "$(failures)" -gt 0 ] && [ "$_tap_rc" -eq 0 ]; then
		exit 1
	fi
	exit "$_tap_rc"
}
if [ -z "${_TAP_PLAN_PID:-}" ]; then
	_TAP_PLAN_PID=$$
	export _TAP_PLAN_PID
	: >"$_tap_count"
	: >"$_tap_fails"
	trap _tap_plan EXIT
fi

_tap_next() {
	echo x >>"$_tap_count"
	wc -l <"$_tap_count" | tr -d ' '
}

# (a line that is a diagnostic already, e.g. wait_for's inside check, keeps
# its one "# ")
diag() {
	for _tap_l in "$@"; do
		printf '%s\n' "$_tap_l" | sed '/^# /!s/^/# /'
	done
}

ok() {
	printf 'ok %s - %s\n' "$(_tap_next)" "$1"
}

fail() {
	_tap_d=$1
	shift
	echo x >>"$_tap_fails"
	printf 'not ok %s - %s\n' "$(_tap_next)" "$_tap_d"
	[ $# -gt 0 ] && diag "$@"
	return 0
}

skip() {
	printf 'ok %s - %s # SKIP %s\n' "$(_tap_next)" "$1" "$2"
}

skip_all() {
	skip "${0##*/}" "$1"
	exit 0
}

failures() {
	wc -l <"$_tap_fails" | tr -d ' '
}

# _tap_run CMD...: run CMD, show its output as diagnostics; sets _tap_rc
# (its status) and _tap_out (its output)
_tap_run() {
	_tap_out=$("$@" 2>&1)
	_tap_rc=$?
	[ -z "$_tap_out" ] || diag "$_tap_out"
}

# _tap_verdict DESC PASSED WHY: ok when PASSED is 1, else fail with WHY
_tap_verdict() {
	if [ "$2" -eq 1 ]; then
		ok "$1"
		return 0
	fi
	fail "$1" "$3"
	return 1
}

check() {
	_tap_d=$1
	shift
	_tap_run "$@"
	_tap_verdict "$_tap_d" $((_tap_rc == 0)) "command failed (status $_tap_rc): $*"
}

bg_start() {
	_tap_id=$1
	shift
	("$@" >"$TAP_STATE.bg.$_tap_id.out" 2>&1
	echo $? >"$TAP_STATE.bg.$_tap_id.rc") &
	eval "_tap_bg_$_tap_id=\$!"
}

check_bg() {
	_tap_d=$1
	eval "wait \"\$_tap_bg_$2\""
	_tap_out=$(cat "$TAP_STATE.bg.$2.out")
	_tap_rc=$(cat "$TAP_STATE.bg.$2.rc" 2>/dev/null || echo 127)
	rm -f "$TAP_STATE.bg.$2.out" "$TAP_STATE.bg.$2.rc"
	[ -z "$_tap_out" ] || diag "$_tap_out"
	_tap_verdict "$_tap_d" $((_tap_rc == 0)) "command failed (status $_tap_rc): background $2"
}

check_fails() {
	_tap_d=$1
	shift
	_tap_run "$@"
	_tap_verdict "$_tap_d" $((_tap_rc != 0)) "command succeeded but should have failed: $*"
}

# glibc's wording, which busybox, bash, kmod and our programs print.
errno_text() {
	case $1 in
	EPERM) echo "Operation not permitted" ;;
	ENOENT) echo "No such file or directory" ;;
	EIO) echo "Input/output error" ;;
	EBADF) echo "Bad file descriptor" ;;
	EACCES) echo "Permission denied" ;;
	EBUSY) echo "Device or resource busy" ;;
	EEXIST) echo "File exists" ;;
	EINVAL) echo "Invalid argument" ;;
	EPIPE) echo "Broken pipe" ;;
	EOPNOTSUPP) echo "Operation not supported" ;;
	ERANGE) echo "Numerical result out of range" ;;
	EADDRINUSE) echo "Address already in use" ;;
	EADDRNOTAVAIL) echo "Cannot assign requested address" ;;
	ENETUNREACH) echo "Network is unreachable" ;;
	ECONNABORTED) echo "Software caused connection abort" ;;
	ECONNRESET) echo "Connection reset by peer" ;;
	ETIMEDOUT) echo "Connection timed out" ;;
	ECONNREFUSED) echo "Connection refused" ;;
	EHOSTUNREACH) echo "No route to host" ;;
	*) return 1 ;;
	esac
}

check_errno() {
	_tap_d=$1
	_tap_e=$2
	shift 2
	if ! _tap_t=$(errno_text "$_tap_e"); then
		fail "$_tap_d" "check_errno: unknown errno name $_tap_e"
		return 1
	fi
	_tap_run "$@"
	if [ $_tap_rc -eq 0 ]; then
		fail "$_tap_d" "command succeeded but should have failed with $_tap_e: $*"
		return 1
	fi
	case $_tap_out in
	*"$_tap_t"*)
		ok "$_tap_d ($_tap_e)"
		return 0
		;;
	esac
	fail "$_tap_d" "command failed (status $_tap_rc), but not with $_tap_e ('$_tap_t'): $*"
	return 1
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
		return 0
	fi
	fail "$1" "got '$2', want '$3'"
	return 1
}

check_le() {
	if [ -n "$2" ] && [ "$2" -le "$3" ] 2>/dev/null; then
		ok "$1 ($2 <= $3)"
		return 0
	fi
	fail "$1" "got '$2', want <= $3"
	return 1
}

now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

wait_for() {
	_tap_cond=$1
	_tap_secs=${2:-10}
	_tap_end=$(($(now_ms) + _tap_secs * 1000))
	while :; do
		eval "$_tap_cond" >"$_tap_wait" 2>&1 && return 0
		if [ "$(now_ms)" -ge "$_tap_end" ]; then
			diag "wait_for: still false after $_tap_secs s: $_tap_cond" >&2
			[ -s "$_tap_wait" ] && diag "$(tail -n 20 "$_tap_wait")" >&2
			return 1
		fi
		sleep 0.1
	done
}
