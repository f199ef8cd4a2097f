# shellcheck shell=bash
# Phase 2, second boot (the newer kernel, installed after the packages):
# DKMS built kecho for it, the enabled service starts it with the
# configuration phase 1 left, and purging the packages removes everything.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
. /var/lib/kecho-e2e/expected
kver=$(uname -r)
diag "kernel $kver"

check "DKMS built kecho for $kver" test "$(modinfo -n kecho)" = "/lib/modules/$kver/updates/dkms/kecho.ko"
check "DKMS built drop-tcp-socket for $kver" test "$(modinfo -n drop_tcp_socket)" = "/lib/modules/$kver/updates/dkms/drop-tcp-socket.ko"
check "kecho.service was started at boot" wait_for "active kecho" 60
check "kecho is loaded" loaded kecho
check "same config: port $PORT" test "$(param port)" = "$PORT"
check "same config: backlog $BACKLOG" test "$(param backlog)" = "$BACKLOG"
check "echo on $PORT" echo_ok "$PORT"
check "keechoctl health: healthy" keechoctl health

# --- 6b. Debian's autopkgtest on the installed packages (debian/tests),
# when the image was built for it (make check-autopkgtest; it adds about
# 7 minutes of DKMS builds under TCG, too long for make check):
# dkms-autopkgtest purges, reinstalls (from the repository) and builds
# kecho-dkms for both kernels; keechoctl-smoke loads, checks and unloads.
# Exit 0: every test passed (2 would be a skip, which is not a pass).
# The null testbed is this throwaway VM itself, so the tests that need a
# whole machine or may break it can run here.
if [ -e /usr/local/lib/kecho-e2e/run-autopkgtest ]; then
	out=$(autopkgtest --no-built-binaries --output-dir /var/tmp/autopkgtest \
		--ignore-restrictions=isolation-machine,breaks-testbed \
		/usr/local/src/kecho -- null 2>&1)
	rc=$?
	diag "$(printf '%s\n' "$out" | tail -n 25)"
	check_eq "autopkgtest: every test passed" "$rc" 0
	check "autopkgtest: dkms-autopkgtest passed" \
		grep -Eq '^command1 +PASS' /var/tmp/autopkgtest/summary
	check "autopkgtest: keechoctl-smoke passed" \
		grep -Eq '^keechoctl-smoke +PASS' /var/tmp/autopkgtest/summary
	check "the packages are installed again for the purge below" \
		sh -c 'apt-get install -y kecho-dkms keechoctl >/dev/null 2>&1'
	rm -rf /var/tmp/autopkgtest
fi
rm -rf /usr/local/src/kecho

# --- 7. purge ---
check "apt-get purge keechoctl kecho-dkms" apt-get purge -y keechoctl kecho-dkms
check "kecho is unloaded" not_loaded kecho
check "no kecho modules under /lib/modules" sh -c '! ls /lib/modules/*/updates/dkms/kecho.ko /lib/modules/*/updates/dkms/drop-tcp-socket.ko 2>/dev/null | grep .'
check "no DKMS tree (/var/lib/dkms/kecho)" test ! -e /var/lib/dkms/kecho
check "no sources (/usr/src/kecho-*)" sh -c '! ls -d /usr/src/kecho-* 2>/dev/null'
check "no /etc/modprobe.d/kecho.conf" test ! -e /etc/modprobe.d/kecho.conf
check "no packages left in dpkg" sh -c '! dpkg -l keechoctl kecho-dkms 2>/dev/null | grep -E "^(ii|rc)"'
# The apt repository the admin added (source, key, its apt lists) stays, as
# any third-party source does after its packages are purged.
left=$(find / -xdev \( -path /proc -o -path /sys -o -path /var/log/journal -o -path /srv/kecho-repo \) \
	-prune -o -iname '*kecho*' -print 2>/dev/null | grep -v -e kecho-e2e -e '^/var/lib/kecho-e2e' \
	-e '^/etc/apt/sources.list.d/kecho.sources$' -e '^/usr/share/keyrings/kecho-archive-keyring.gpg$' \
	-e '^/var/lib/apt/lists/_srv_kecho-repo_' -e '^/srv/kecho-repo$')
check "the repository is still configured (the admin's, not the package's)" \
	test -f /etc/apt/sources.list.d/kecho.sources
check "nothing else named *kecho* left on disk" test -z "$left"
if [ -n "$left" ]; then diag "left: $left"; fi
