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
