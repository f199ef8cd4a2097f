# Guest-side helpers for VM test cases (busybox sh). Installed as /tests/lib.sh.
#
# A case is tests/vm/cases/NN-name.sh, run once per boot, in name order, by
# the guest's /init with a time limit (default 300 s; declare another with a
# "# vmtest-timeout: N" line near the top). It starts with `. /tests/lib.sh`,
# reports through the functions below, and must leave none of our modules
# loaded. Servers a case starts listen on fixed ports below 32768 (clients'
# ephemeral ports are 32768-65535, so they never collide). Its stdout/stderr are the TAP stream the host prints; anything that
# is not a result line should start with "# " (use diag).
#
# Reporting, assertions and waiting come from the TAP library both guest
# suites share, tests/lib/tap.sh (installed as /tests/tap.sh, sourced here;
# its functions are documented at its top): ok, fail DESC [WHY...], skip,
# skip_all, diag, failures, check DESC CMD..., check_fails, check_errno DESC
# ERRNO CMD..., check_eq DESC GOT WANT, check_le DESC GOT MAX, errno_text,
# wait_for COND [TIMEOUT] (a shell string, eval'ed every 0.1 s), now_ms.
# The plan "1..N" is printed when the case's shell exits: the host checks
# that every case printed one and that it matches the test points it saw,
# so a test point made inside $(...) or a case killed midway is caught.
# A skip fails the run unless the case declares, near the top,
# "# vmtest-skip-ok: WHY IT MAY SKIP". /init counts the points in
# $TAP_STATE.count and .fails (it sets TAP_STATE=/tmp/vmtest).
#
# Waiting:
#   wait_listener PORT [OLD]    wait (10 s) until PORT listens and, given, OLD
#                               no longer does (a live port change is visible)
#
# kecho:
#   require_module NAME         skip_all unless NAME can be modprobe'd
#   require_prog NAME           fail and end the case if NAME is not on PATH
#                               (e.g. kecho-testclient when userspace is unbuilt)
#   kecho_load [PARAM=VAL...]   modprobe kecho with PARAMs, then wait (10 s)
#                               until its port is listening; returns modprobe's
#                               status (1 if the port never came up). modprobe's
#                               messages are printed as diagnostics and kept in
#                               $KECHO_LOAD_OUTPUT.
#   kecho_unload                rmmod kecho and wait until it is gone;
#                               returns rmmod's status
#   kecho_loaded                true while the kecho module is loaded
#   kecho_counter NAME          print one value from /proc/net/kecho
#                               (accepted active refused bytes_in bytes_out
#                               errors buffered port); empty if missing
#   kecho_counters              print all counters as one diagnostic line
#   kecho_param NAME [VALUE]    read, or write, /sys/module/kecho/parameters/NAME;
#                               a write returns the write's status
#   KECHO_PORT                  default port (12345)
#   io_work_trace_on            count kecho's io_work runs from the
#                               workqueue_execute_start tracepoint, from now
#                               (skip_all without workqueue tracepoints)
#   io_works                    io_work runs counted since io_work_trace_on
#   io_work_trace_off           stop counting and clear the trace
#
# Module tools: modprobe, insmod, rmmod, lsmod, modinfo and depmod are the
# real kmod ones (functions calling /sbin/NAME) when kmod is in the guest.
#
# Sockets and processes:
#   port_listening PORT         true if a TCP socket listens on PORT (v4 or v6)
#   tcp_count PORT STATE        number of TCP sockets with local PORT in STATE
#                               (hex state as in /proc/net/tcp: 01 ESTABLISHED,
#                               0A LISTEN)
#   tc SUBCOMMAND ARGS...       run kecho-testclient (see its --help)
#   tc_served FILE              how many client runs logged in FILE succeeded
#                               ("echoed exactly" lines that are not FAIL lines)
#   have_prog NAME              true if NAME is on PATH
#   dmesg_mark / dmesg_since    remember the dmesg position / print lines after
#   dmesg_has REGEX             true if a line since dmesg_mark matches (grep -iE)
#   mem_baseline                record owned TCP sockets and kmalloc bytes
#   check_mem_baseline          test that both came back (see below)
#   tcp_mem_pages               current TCP memory in pages (/proc/net/sockstat)
#   snmp_counter GROUP NAME     a counter of /proc/net/snmp or /proc/net/netstat
#                               (e.g. Tcp InRsts, TcpExt TCPKeepAlive)
#
# Memory gauges (for "back to baseline" checks):
#   tcp_stat KEY                a TCP: field of /proc/net/sockstat (inuse,
#                               orphan, tw, alloc, mem)
#   sock_alloc                  TCP sockets someone still owns: alloc minus
#                               orphans (closed ones left to TCP's timers,
#                               e.g. LAST-ACK, are counted out)
#   kmalloc_bytes               bytes in the kmalloc-* slab caches (shrunk first)
#   unreclaim_kb                SUnreclaim from /proc/meminfo
#   slab_active CACHE           active objects of one slab cache
#   kecho_objs                  "kecho_conn=N kecho_buf=M": objects alive in
#                               kecho's two slab caches (one per connection;
#                               one per connection with bytes in flight),
#                               each cache shrunk first. Exact, see below
#   kecho_caches_gone           true when neither cache exists any more: kecho
#                               was unloaded and kmem_cache_destroy() found
#                               every object freed (it keeps, and WARNs
#                               about, a cache that still has objects)
#   mem_line                    all of the above on one line, for diag
#
# Checking command output (TEXT is a captured output):
#   contains TEXT REGEX         some line matches REGEX
#   has_line TEXT LINE          some line is exactly LINE
#   last_line_is TEXT LINE      the last line is exactly LINE
#   first_line_matches TEXT RE  the first line matches RE

# Module tools: the guest's busybox runs its own applets before anything on
# PATH, so route these names to the real kmod (as on Debian) when present.
# (Plain `sh -c "modprobe ..."` still gets busybox's; use /sbin/modprobe.)
if [ -x /usr/bin/kmod ]; then
	modprobe() { /sbin/modprobe "$@"; }
	insmod() { /sbin/insmod "$@"; }
	rmmod() { /sbin/rmmod "$@"; }
	lsmod() { /sbin/lsmod "$@"; }
	modinfo() { /sbin/modinfo "$@"; }
	depmod() { /sbin/depmod "$@"; }
fi

# shellcheck source=SCRIPTDIR/../../lib/tap.sh
. /tests/tap.sh

KECHO_PORT=12345
KECHO_LOAD_OUTPUT=""

wait_listener() {
	if [ -n "${2:-}" ]; then
		wait_for "port_listening $1 && ! port_listening $2" 10
	else
		wait_for "port_listening $1" 10
	fi
}

have_prog() {
	command -v "$1" >/dev/null 2>&1
}

require_module() {
	modinfo "$1" >/dev/null 2>&1 || skip_all "module $1 is not built"
}

require_prog() {
	have_prog "$1" && return 0
	fail "$1 is available in the guest" "$1 is missing from the initramfs: build userspace first"
	exit 1
}

port_listening() {
	[ "$(tcp_count "$1" 0A)" -gt 0 ]
}

tcp_count() {
	_hex=$(printf '%04X' "$1")
	cat /proc/net/tcp /proc/net/tcp6 2>/dev/null |
		awk -v p=":$_hex" -v st="$2" '
			{ n = split($2, a, ":"); if (":" a[n] == p && $4 == st) c++ }
			END { print c + 0 }'
}

kecho_loaded() {
	[ -d /sys/module/kecho ]
}

kecho_load() {
	_port=$KECHO_PORT
	for _a in "$@"; do
		case $_a in port=*) _port=${_a#port=} ;; esac
	done
	KECHO_LOAD_OUTPUT=$(modprobe kecho "$@" 2>&1)
	_rc=$?
	[ -n "$KECHO_LOAD_OUTPUT" ] && diag "modprobe kecho $*: $KECHO_LOAD_OUTPUT"
	[ $_rc -eq 0 ] || return $_rc
	if ! wait_for "port_listening $_port" 10; then
		diag "kecho loaded but nothing listens on port $_port after 10 s"
		return 1
	fi
	return 0
}

kecho_unload() {
	_out=$(rmmod kecho 2>&1)
	_rc=$?
	[ -n "$_out" ] && diag "rmmod kecho: $_out"
	[ $_rc -eq 0 ] || return $_rc
	wait_for "! kecho_loaded" 10
}

kecho_counter() {
	awk -v k="$1" '$1 == k { print $2; exit }' /proc/net/kecho 2>/dev/null
}

kecho_counters() {
	diag "kecho: $(tr '\n' ' ' </proc/net/kecho 2>/dev/null)"
}

kecho_param() {
	if [ $# -ge 2 ]; then
		echo "$2" >"/sys/module/kecho/parameters/$1"
		return $?
	fi
	cat "/sys/module/kecho/parameters/$1"
}

tc() {
	kecho-testclient "$@"
}

tc_served() {
	grep -v FAIL "$1" | grep -c 'echoed exactly'
}

dmesg_mark() {
	_VMT_DMESG_MARK=$(dmesg | wc -l)
}

dmesg_since() {
	dmesg | tail -n +$((${_VMT_DMESG_MARK:-0} + 1))
}

dmesg_has() {
	dmesg_since | grep -iE "$1"
}

tcp_stat() {
	awk -v k="$1" '$1 == "TCP:" { for (i = 2; i < NF; i++) if ($i == k) print $(i + 1) }' /proc/net/sockstat
}

tcp_mem_pages() { tcp_stat mem; }
snmp_counter() {
	cat /proc/net/snmp /proc/net/netstat | awk -v g="$1:" -v k="$2" '
		$1 == g { if (!(g in names)) { names[g] = $0; next }
			n = split(names[g], h); for (i = 2; i <= n; i++) if (h[i] == k) print $i }'
}
sock_alloc() { echo $(($(tcp_stat alloc) - $(tcp_stat orphan))); }
# Shrink the kmalloc caches first: KASAN (the debug kernel) keeps freed
# objects in quarantine, counted as active, until their cache shrinks.
kmalloc_bytes() {
	for f in /sys/kernel/slab/kmalloc-*/shrink; do echo 1 >"$f"; done 2>/dev/null
	_kmalloc_bytes
}
_kmalloc_bytes() { awk '/^kmalloc-[0-9]+k? / { s += $2 * $4 } END { print s }' /proc/slabinfo; }
# Every cache shrunk first, for the same reason (KASAN's quarantine).
unreclaim_kb() {
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
	awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo
}
# A cache's active objects, the cache shrunk first (KASAN's quarantine).
slab_active() {
	echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}
# kecho_conn and kecho_buf are counted exactly: under slub_debug (which
# every test boot passes) a cache is never merged with another, and SLUB
# allocates a debug cache's objects straight from its slabs, with no
# per-CPU slab (6.1: cpu_slabs stays 0), so active_objs is the number of
# objects allocated and not freed (checked on 6.1 against 1 to 2500 held
# connections). Without slub_debug it counts the free objects of per-CPU
# slabs as active too. slab_active shrinks the cache first, which empties
# KASAN's quarantine (the debug kernel), where freed objects still count.
kecho_objs() {
	echo "kecho_conn=$(slab_active kecho_conn) kecho_buf=$(slab_active kecho_buf)"
}
kecho_caches_gone() { ! grep -qE '^kecho_(conn|buf) ' /proc/slabinfo; }

# Memory gauges for "everything comes back" checks. mem_baseline records
# owned TCP sockets and kmalloc bytes (call it before loading kecho);
# check_mem_baseline, after unloading, waits up to 60 s for sockets to be
# back at the baseline and kmalloc bytes within 1 MiB of it (orphans hold
# queued skbs for a while), and reports both as test points.
mem_baseline() {
	_VMT_BASE_ALLOC=$(sock_alloc)
	_VMT_BASE_KMALLOC=$(kmalloc_bytes)
	diag "baseline: $(mem_line)"
}

check_mem_baseline() {
	check "owned TCP sockets back to the baseline ($_VMT_BASE_ALLOC)" \
		wait_for '[ "$(sock_alloc)" -le '"$_VMT_BASE_ALLOC"' ]' 60
	check "kmalloc cache bytes back within 1 MiB of the baseline" \
		wait_for '[ $(($(kmalloc_bytes) - _VMT_BASE_KMALLOC)) -le 1048576 ]' 60
	diag "kmalloc growth: $(($(kmalloc_bytes) - _VMT_BASE_KMALLOC)) bytes"
	diag "after: $(mem_line)"
}

mem_line() {
	echo "sockstat TCP owned $(sock_alloc) (orphans $(tcp_stat orphan)," \
		"TIME_WAIT $(tcp_stat tw)), TCP objs $(slab_active TCP)," \
		"TCPv6 objs $(slab_active TCPv6), kmalloc $(kmalloc_bytes) B," \
		"SUnreclaim $(unreclaim_kb) kB"
}

contains() { printf '%s\n' "$1" | grep -q -- "$2"; }
has_line() { printf '%s\n' "$1" | grep -qx -- "$2"; }
last_line_is() { [ "$(printf '%s\n' "$1" | tail -n 1)" = "$2" ]; }
first_line_matches() { printf '%s\n' "$1" | head -n 1 | grep -q -- "$2"; }

# Objects alive in chat mode's own slab caches (one per chat client, one
# per queued copy of a message), exact under slub_debug as kecho_objs.
chat_objs() {
	for _c in kecho_chat kecho_chat_item; do
		echo 1 >"/sys/kernel/slab/$_c/shrink"
	done 2>/dev/null
	echo "kecho_chat=$(slab_active kecho_chat) kecho_chat_item=$(slab_active kecho_chat_item)"
}

# The room is empty: no member, nothing queued, no message body alive.
room_empty() {
	wait_for '[ "$(kecho_counter chat_clients) $(kecho_counter queued_bytes) $(kecho_counter chat_body_bytes)" = "0 0 0" ]' 20
}

# kecho's io_work runs, from the workqueue_execute_start tracepoint.
io_work_trace_on() {
	_wq_t=/sys/kernel/tracing
	[ -d $_wq_t/events/workqueue ] || _wq_t=/sys/kernel/debug/tracing
	[ -d $_wq_t/events/workqueue ] || skip_all "no workqueue tracepoints"
	echo 0 >$_wq_t/tracing_on
	echo >$_wq_t/trace
	echo 1408 >$_wq_t/buffer_size_kb
	echo 1 >$_wq_t/events/workqueue/workqueue_execute_start/enable
	echo 1 >$_wq_t/tracing_on
}
io_works() { grep -c 'function kecho_conn_io_work' $_wq_t/trace; }
io_work_trace_off() {
	echo 0 >$_wq_t/tracing_on
	echo 0 >$_wq_t/events/workqueue/workqueue_execute_start/enable
	echo >$_wq_t/trace
}
