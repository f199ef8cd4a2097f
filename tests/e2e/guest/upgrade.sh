# shellcheck shell=bash
# Sourced by phase-2.sh when the image holds the next version's repository
# (E2E_UPGRADE=1, make check-upgrade): apt upgrades kecho-dkms and
# keechoctl to it while kecho serves. The edited conffile must be kept,
# DKMS must build the new version for every kernel and remove the old one,
# an open connection must be reset rather than left hanging, and
# kecho.service must come back on the new module with the same settings.
# Uses phase 2's PORT and BACKLOG.
#
# The repository is signed with the same key as the first
# (tests/e2e/lib/system.sh); publishing it replaces /srv/kecho-repo. kecho
# runs with the modprobe.d file phase 1 edited, and one connection is
# open. The guest has no network, so only the kecho source is updated.
UPGRADE=/usr/local/lib/kecho-e2e/upgrade
next=$(cat "$UPGRADE/version")
old=$(dpkg-query -W -f='${Version}' keechoctl)
conf_sum=$(sha256sum /etc/modprobe.d/kecho.conf)
pid=$(main_pid)
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
check "a connection to kecho is open before the upgrade" send_on 4
rm -rf /srv/kecho-repo
cp -a "$UPGRADE/repo" /srv/kecho-repo
apt-get update -o Dir::Etc::SourceList=/dev/null -o APT::Get::List-Cleanup=0 >/dev/null 2>&1
check "apt sees $next in the repository" \
	sh -c "apt-cache policy kecho-dkms keechoctl | grep -c 'Candidate: $next' | grep -qx 2"
out=$(apt-get upgrade -y 2>&1)
rc=$?
diag "$(printf '%s\n' "$out" | grep -E '^(Unpacking|Setting up|Building|Module build|Deleting)|kecho' | head -n 30)"
check_eq "apt-get upgrade, $old to $next, with kecho running" "$rc" 0
check "keechoctl is at $next" test "$(dpkg-query -W -f='${Version}' keechoctl)" = "$next"
check "kecho-dkms is at $next" test "$(dpkg-query -W -f='${Version}' kecho-dkms)" = "$next"
check "the edited /etc/modprobe.d/kecho.conf is kept (conffile)" \
	test "$(sha256sum /etc/modprobe.d/kecho.conf)" = "$conf_sum"
check "no .dpkg-dist or .dpkg-new copy beside it" sh -c '! ls /etc/modprobe.d/kecho.conf.dpkg-* 2>/dev/null'
for k in /lib/modules/*/; do
	k=${k%/}
	k=${k##*/}
	check "DKMS built kecho $next for $k" test "$(modinfo -k "$k" -F version kecho)" = "$next"
	check "DKMS built drop-tcp-socket $next for $k" \
		test "$(modinfo -k "$k" -F version drop_tcp_socket)" = "$next"
done
diag "$(dkms status kecho 2>/dev/null)"
check "DKMS removed $old: no kecho/$old in dkms status" \
	sh -c "! dkms status kecho 2>/dev/null | grep -F 'kecho/$old,'"
check "DKMS removed $old: no /var/lib/dkms/kecho/$old, no /usr/src/kecho-$old" \
	test ! -e "/var/lib/dkms/kecho/$old" -a ! -e "/usr/src/kecho-$old"
check "the open connection was ended (reset), not left hanging" ended 4
exec 4>&-
check "kecho.service was restarted by the upgrade" wait_for "restarted $pid" 60
check "the loaded kecho is $next" test "$(cat /sys/module/kecho/version)" = "$next"
check "the loaded kecho is the installed build (srcversion)" \
	test "$(cat /sys/module/kecho/srcversion)" = "$(modinfo -F srcversion kecho)"
check "keechoctl status: no stale module warning" sh -c '! keechoctl status | grep -q "run the new code"'
check "same config after the upgrade: port $PORT" test "$(param port)" = "$PORT"
check "same config after the upgrade: backlog $BACKLOG" test "$(param backlog)" = "$BACKLOG"
check "echo on $PORT after the upgrade" wait_for "echo_ok $PORT" 30
check "keechoctl health: healthy after the upgrade" keechoctl health
