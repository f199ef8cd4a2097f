# shellcheck shell=bash
# check_phase PHASE TAP CONSOLE QEMU_RC: the host's verdict on one boot,
# beyond its own test points. Prints a "not ok - boot PHASE: ..." line for
# each problem and adds them to $failed (the caller's counter):
#   - the guest did not finish, or QEMU failed or timed out;
#   - the phase script exited non-zero ("phase N finished (exit R)");
#   - no TAP plan, more than one, or one that disagrees with the test
#     points received (a phase that died midway, a lost line);
#   - a skipped test point (the TAP library has skip; a phase must not);
#   - a kernel WARNING/BUG/Oops/... in the guest's kernel log (the
#     journal's, dumped by the driver) or anywhere in the console log.
# The kernel log is kept beside TAP as PHASE.kernel.log. Needs
# tests/vm/lib/host.sh's VM_DMESG_BAD (sourced by lib/common.sh).
check_phase() {
	local phase=$1 tap=$2 console=$3 qemu_rc=$4 clean finished rc points plans skips bad
	local klog=${tap%.tap}.kernel.log
	clean=$(tr -d '\r' <"$tap")
	finished=$(grep -E "^# kecho-e2e: phase $phase finished \(exit [0-9]+\)$" <<<"$clean" || true)
	if [ "$qemu_rc" -ne 0 ] || [ -z "$finished" ]; then
		echo "not ok - boot $phase did not finish (QEMU exit $qemu_rc); console tail:"
		tail -n 20 "$console" | tr -d '\r' | sed 's/^/#   /'
		failed=$((failed + 1))
	else
		rc=$(sed -n 's/.*(exit \([0-9]*\))$/\1/p' <<<"$finished")
		if [ "$rc" != 0 ]; then
			echo "not ok - boot $phase: the phase script exited $rc"
			failed=$((failed + 1))
		fi
	fi
	points=$(grep -cE '^(not )?ok [0-9]+ ' <<<"$clean" || true)
	plans=$(grep -E '^1\.\.[0-9]+$' <<<"$clean" || true)
	if [ -z "$plans" ]; then
		echo "not ok - boot $phase: no TAP plan (the phase's shell was killed or replaced)"
		failed=$((failed + 1))
	elif [ "$(grep -c . <<<"$plans")" -ne 1 ] || [ "${plans#1..}" -ne "$points" ]; then
		echo "not ok - boot $phase: TAP plan $(tr '\n' ' ' <<<"$plans")but $points test points"
		failed=$((failed + 1))
	fi
	skips=$(grep -E '^ok [0-9]+ .*# SKIP' <<<"$clean" || true)
	if [ -n "$skips" ]; then
		echo "not ok - boot $phase: a phase must not skip:"
		sed 's/^/#   /' <<<"$skips"
		failed=$((failed + 1))
	fi
	sed -n '/^# kecho-e2e: kernel-log-begin$/,/^# kecho-e2e: kernel-log-end$/p' <<<"$clean" |
		sed '1d;$d' >"$klog"
	if [ -n "$finished" ] && ! grep -q . "$klog"; then
		echo "not ok - boot $phase: the guest's kernel log is missing"
		failed=$((failed + 1))
	fi
	bad=$( (grep -aE "$VM_DMESG_BAD" "$klog" | sed 's/^/kernel log: /'
		tr -d '\r' <"$console" | grep -aE "$VM_DMESG_BAD" | sed 's/^/console: /') || true)
	if [ -n "$bad" ]; then
		echo "not ok - boot $phase: kernel warnings (logs: $klog, $console)"
		sed 's/^/#   /' <<<"$bad" | head -n 40
		failed=$((failed + 1))
	fi
}
