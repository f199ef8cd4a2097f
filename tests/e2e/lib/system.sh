# shellcheck shell=bash
# build_system MODE: everything up to a bootable disk, shared by the e2e
# test and the demo. Sets OLD_ABI, NEW_ABI, DEB_DIR, NEXT_DEB_DIR, REPO,
# ROOT, DISK, BOOT_DIR.
#   MODE=e2e   packages installed with only the older kernel present, then
#              the newer kernel installed on top (DKMS must build for it);
#              the next version's packages built too (for piuparts), and
#              with E2E_UPGRADE=1 their signed repository put in the image
#              for phase 2's apt upgrade (guest/upgrade.sh)
#   MODE=demo  packages installed, no kernel upgrade
# E2E_DEBS=DIR uses the .debs in DIR instead of building them, and those
# of the next version in E2E_NEXT_DEBS (default: DIR-next).
# Every step prints a progress line; logs are in $E2E_LOG.
# Needs lib/common.sh, lib/deb.sh, lib/rootfs.sh, lib/image.sh.

# host-side results, counted with the guest's
HOST_PASSED=0
HOST_FAILED=0

# installed_from_repo PKG: apt's policy for PKG names the kecho repository
installed_from_repo() {
	in_chroot "$ROOT" apt-cache policy "$1" | grep -q ' file:/srv/kecho-repo bookworm/main '
}

host_check() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		HOST_PASSED=$((HOST_PASSED + 1))
		echo "ok - host: $desc"
	else
		HOST_FAILED=$((HOST_FAILED + 1))
		echo "not ok - host: $desc"
	fi
}

build_system() {
	local mode=$1 tar d
	NEW_ABI=$(current_abi)
	[ -n "$NEW_ABI" ] || die "apt-cache knows no linux-headers-amd64 (run apt-get update)"
	OLD_ABI=$(older_abi "$NEW_ABI")
	[ -n "$OLD_ABI" ] || die "no kernel ABI older than $NEW_ABI in the archive"
	DEB_DIR=$E2E_WORK/deb
	NEXT_DEB_DIR=
	[ "$mode" = e2e ] && NEXT_DEB_DIR=$E2E_WORK/deb-next
	REPO=$E2E_WORK/repo
	ROOT=$E2E_WORK/root-$mode
	DISK=$E2E_WORK/disk-$mode.img
	BOOT_DIR=$E2E_WORK/boot-$mode
	say "kernels: $OLD_ABI (in the image), $NEW_ABI (the upgrade)"

	if [ -n "${E2E_DEBS:-}" ]; then
		# iterating on the tests: reuse packages built before
		DEB_DIR=$E2E_DEBS
		[ "$mode" = e2e ] && NEXT_DEB_DIR=${E2E_NEXT_DEBS:-$E2E_DEBS-next}
		say "using the packages in $DEB_DIR (E2E_DEBS)${NEXT_DEB_DIR:+ and $NEXT_DEB_DIR}"
	else
		# The unit tests are `make unit`'s job: not run twice here.
		say "building the Debian packages (as make deb, without the unit tests)${NEXT_DEB_DIR:+, and again at $(next_version)}"
		(
			export DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}"
			run_logged dpkg-buildpackage build_debs "$DEB_DIR" "$NEXT_DEB_DIR"
		) || return 1
	fi
	tar=$(rootfs_tarball "$OLD_ABI" "$NEW_ABI")
	say "preparing the system image"
	run_logged unpack root_unpack "$tar" "$ROOT"
	run_logged "make-repo: a signed apt repository of the packages" \
		"$REPO_ROOT/scripts/make-repo" --debs "$DEB_DIR" --out "$REPO" \
		--uri file:///srv/kecho-repo
	run_logged "add the repository, apt update, apt install kecho-dkms keechoctl (DKMS builds the modules)" \
		root_install_from_repo "$ROOT" "$REPO"
	host_check "keechoctl was installed from the signed repository" installed_from_repo keechoctl
	host_check "kecho-dkms was installed from the signed repository" installed_from_repo kecho-dkms
	if [ "$mode" = e2e ]; then
		for d in kecho drop-tcp-socket; do
			host_check "DKMS built $d.ko for $OLD_ABI on install" \
				test -f "$ROOT/lib/modules/$OLD_ABI/updates/dkms/$d.ko"
		done
		run_logged "kernel upgrade to $NEW_ABI" root_install_kernel "$ROOT" "$NEW_ABI"
		for d in kecho drop-tcp-socket; do
			host_check "DKMS built $d.ko for $NEW_ABI when the kernel was installed" \
				test -f "$ROOT/lib/modules/$NEW_ABI/updates/dkms/$d.ko"
		done
		host_check "dkms status: installed for both kernels" \
			test "$(in_chroot "$ROOT" dkms status kecho 2>/dev/null | grep -c ': installed')" -ge 2
	fi
	root_add_driver "$ROOT"
	if [ -n "$NEXT_DEB_DIR" ] && [ "${E2E_UPGRADE:-0}" = 1 ]; then
		# the same URI and key: what the admin configured stays valid
		run_logged "make-repo: the next version's repository" \
			"$REPO_ROOT/scripts/make-repo" --debs "$NEXT_DEB_DIR" --out "$REPO-next" \
			--uri file:///srv/kecho-repo
		root_add_upgrade "$ROOT" "$REPO-next" "$(next_version)"
	fi
	root_kernel_files "$ROOT" "$OLD_ABI" "$BOOT_DIR"
	[ "$mode" = e2e ] && root_kernel_files "$ROOT" "$NEW_ABI" "$BOOT_DIR"
	run_logged "mkfs.ext4 -d" make_disk "$ROOT" "$DISK"
	# the directory is in the image now; free the space
	rm -rf "$ROOT"
}
