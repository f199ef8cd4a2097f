#!/bin/sh
# /init of the VM test initramfs (busybox sh). Installed by vm_build_initramfs.
#
# Kernel command line parameters it reads:
#   vmtest.mode=run|demo|shell   run cases (default), run /tests/demo.sh on the
#                                console, or drop to a shell on the console
#   vmtest.cases=a.sh,b.sh       cases to run, in this order (default: all)
#   vmtest.timeout=SECONDS       per-case limit unless the case declares
#                                "# vmtest-timeout: N" in its first lines
#
# Results go to /dev/ttyS1 (the harness's results file):
#   # vmtest: begin NAME          then the case's own TAP lines
#   # vmtest: end NAME rc=R secs=S
#   not ok - NAME: <why>          added here when a case times out, exits
#                                 non-zero without reporting, reports nothing,
#                                 or leaves one of our modules loaded
#   # vmtest: dmesg-begin ... # vmtest: dmesg-end, then # vmtest: done
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
umask 022

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
exec </dev/null >/dev/console 2>&1

ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
ulimit -n 1048576 2>/dev/null || ulimit -n 65536
echo 65535 >/proc/sys/net/core/somaxconn
echo 65535 >/proc/sys/net/ipv4/tcp_max_syn_backlog
# Ephemeral ports stay above 32767 so a client's local port never takes a
# port a case listens on (cases use fixed ports below 32768).
echo "32768 65535" >/proc/sys/net/ipv4/ip_local_port_range
echo 1 >/proc/sys/net/ipv4/tcp_tw_reuse
echo 2097152 >/proc/sys/fs/file-max
hostname vmtest

mode=run
cases=""
timeout_default=300
for arg in $(cat /proc/cmdline); do
	case $arg in
	vmtest.mode=*) mode=${arg#*=} ;;
	vmtest.cases=*) cases=$(echo "${arg#*=}" | tr ',' ' ') ;;
	vmtest.timeout=*) timeout_default=${arg#*=} ;;
	esac
done

ABI=$(uname -r)
export ABI
RES=/dev/ttyS1
# Where the cases' TAP library (/tests/tap.sh) counts test points and
# failures: emptied before each case, read after it.
TAP_STATE=/tmp/vmtest
export TAP_STATE
stty -F $RES raw -echo 2>/dev/null

# Our own modules: the ones installed under extra/, by module name.
our_modules() {
	for ko in /lib/modules/"$ABI"/extra/*.ko; do
		[ -f "$ko" ] || continue
		basename "$ko" .ko | tr '-' '_'
	done
}

# Kill whatever a case left running (everything but init and kernel threads).
kill_leftovers() {
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[ "$pid" = 1 ] && continue
		[ "$pid" = $$ ] && continue
		[ -s "$d/cmdline" ] || continue
		kill -9 "$pid" 2>/dev/null
	done
}

case_timeout() {
	t=$(head -n 20 "$1" | sed -n 's/^# *vmtest-timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	echo "${t:-$timeout_default}"
}

run_case() {
	path=$1
	name=$(basename "$path")
	limit=$(case_timeout "$path")
	: >"$TAP_STATE.fails"
	: >"$TAP_STATE.count"
	echo "vmtest: begin $name" >/dev/kmsg
	echo "# vmtest: begin $name (limit ${limit}s)" >$RES
	start=$(date +%s)
	(cd /tmp && timeout -s KILL "$limit" sh "$path" >$RES 2>&1 </dev/null)
	rc=$?
	secs=$(($(date +%s) - start))
	kill_leftovers
	nfail=$(wc -l <"$TAP_STATE.fails")
	ncount=$(wc -l <"$TAP_STATE.count")
	if [ "$secs" -ge "$limit" ]; then
		echo "not ok - $name: timed out after ${limit}s" >$RES
	elif [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		echo "not ok - $name: exited with status $rc without reporting a failure" >$RES
	elif [ "$ncount" -eq 0 ]; then
		echo "not ok - $name: reported no result" >$RES
	fi
	for m in $(our_modules); do
		if [ -d "/sys/module/$m" ]; then
			echo "not ok - $name: left module $m loaded" >$RES
			rmmod "$m" >$RES 2>&1
		fi
	done
	echo "vmtest: end $name rc=$rc" >/dev/kmsg
	echo "# vmtest: end $name rc=$rc secs=$secs" >$RES
}

finish() {
	# Ask SLUB to check every cache now: corruption shows up in dmesg.
	# Not kmem_cache_node: sid's 7.2 kernel reports it "Freepointer
	# corrupt" with none of our modules ever loaded (the harness case
	# alone, "Not tainted"); the modules never allocate from it.
	for f in /sys/kernel/slab/*/validate; do
		case $f in */kmem_cache_node/*) continue ;; esac
		echo 1 >"$f" 2>/dev/null
	done
	echo "# vmtest: dmesg-begin" >$RES
	dmesg >$RES
	echo "# vmtest: dmesg-end" >$RES
	echo "# vmtest: done" >$RES
	sync
	poweroff -f
}

case $mode in
demo)
	if [ -x /tests/demo.sh ]; then
		sh /tests/demo.sh
	else
		echo "no /tests/demo.sh in this initramfs"
	fi
	echo "# vmtest: done" >$RES
	poweroff -f
	;;
shell)
	echo "vmtest: shell; 'poweroff -f' to leave"
	setsid cttyhack sh -l
	poweroff -f
	;;
esac

echo "# vmtest: ready kernel $ABI" >$RES
if [ -z "$cases" ]; then
	cases=$(cd /tests/cases && ls -- *.sh 2>/dev/null | sort)
fi
for c in $cases; do
	if [ -f "/tests/cases/$c" ]; then
		run_case "/tests/cases/$c"
	else
		echo "not ok - $c: no such case in the initramfs" >$RES
	fi
done
finish
