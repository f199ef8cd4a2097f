# shellcheck shell=bash
# Turn the cached root filesystem into a bootable disk image: unpack it,
# install the kecho packages (DKMS builds the modules in the chroot),
# optionally install a newer kernel, add the guest test driver and make an
# ext4 image with mkfs.ext4 -d (no loop devices). Needs lib/common.sh.

# in_chroot ROOT CMD...: run CMD inside ROOT with /proc, /sys, /dev and
# the host's resolv.conf, in a private mount namespace so that nothing
# stays mounted when CMD ends, however it ends.
in_chroot() {
	local root=$1
	shift
	cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	unshare --mount --propagation private -- /bin/sh -eu -c '
		root=$1
		shift
		mount -t proc proc "$root/proc"
		mount -t sysfs sysfs "$root/sys"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs tmpfs "$root/run"
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
	' in_chroot "$root" "$@"
}

# root_unpack TARBALL ROOT: a fresh root filesystem in ROOT
root_unpack() {
	rm -rf "$2"
	mkdir -p "$2"
	tar -xpf "$1" -C "$2" --numeric-owner
}

# root_install_from_repo ROOT REPO: as an admin would, add the signed apt
# repository REPO (scripts/make-repo, built for file:///srv/kecho-repo):
# its key, its kecho.sources, apt update, apt install kecho-dkms keechoctl.
# The postinst of kecho-dkms builds both modules for every kernel with
# headers. The update reads this source only, so the image's Debian lists
# stay as the cached root filesystem has them.
root_install_from_repo() {
	local root=$1 repo=$2
	rm -rf "$root/srv/kecho-repo"
	mkdir -p "$root/srv" "$root/usr/share/keyrings"
	cp -a "$repo" "$root/srv/kecho-repo"
	install -m 0644 "$repo/kecho-archive-keyring.gpg" "$root/usr/share/keyrings/"
	install -m 0644 "$repo/kecho.sources" "$root/etc/apt/sources.list.d/"
	in_chroot "$root" apt-get update -o Dir::Etc::SourceList=/dev/null \
		-o APT::Get::List-Cleanup=0 &&
		in_chroot "$root" apt-get install -y --no-install-recommends kecho-dkms keechoctl
}

# root_install_kernel ROOT ABI: install that kernel's image and headers
# (downloaded into the rootfs when it was built), as an upgrade would
root_install_kernel() {
	in_chroot "$1" apt-get install -y --no-install-recommends \
		"linux-image-$2" "linux-headers-$2"
}

# root_add_driver ROOT: install the guest side of the tests: the driver
# unit (enabled), the driver, the phase scripts, their lib.sh, the TAP
# library it sources and khttpd's helpers (tests/lib/tap.sh and
# khttpd-common.sh, shared with the VM cases) and the packaging's debian/
# for autopkgtest
root_add_driver() {
	local root=$1
	rm -rf "$root/usr/local/lib/kecho-e2e"
	mkdir -p "$root/usr/local/lib/kecho-e2e"
	cp "$E2E_DIR"/guest/*.sh "$E2E_DIR/guest/driver" "$REPO_ROOT/tests/lib/tap.sh" \
		"$REPO_ROOT/tests/lib/khttpd-common.sh" "$root/usr/local/lib/kecho-e2e/"
	cp "$E2E_DIR/guest/kecho-e2e.service" "$root/etc/systemd/system/"
	# debian/ (its tests/control above all), for autopkgtest in phase 2
	rm -rf "$root/usr/local/src/kecho"
	mkdir -p "$root/usr/local/src/kecho"
	cp -a "$REPO_ROOT/debian" "$root/usr/local/src/kecho/"
	[ "${E2E_AUTOPKGTEST:-0}" = 1 ] && touch "$root/usr/local/lib/kecho-e2e/run-autopkgtest"
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -sf /etc/systemd/system/kecho-e2e.service \
		"$root/etc/systemd/system/multi-user.target.wants/kecho-e2e.service"
	# no login prompts fighting for the console
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
	ln -sf /dev/null "$root/etc/systemd/system/serial-getty@ttyS1.service"
}

# root_add_upgrade ROOT REPO VERSION: the next version's repository and its
# version, which phase 2 publishes and upgrades to
root_add_upgrade() {
	local dir=$1/usr/local/lib/kecho-e2e/upgrade
	rm -rf "$dir"
	mkdir -p "$dir"
	cp -a "$2" "$dir/repo"
	echo "$3" >"$dir/version"
}

# root_kernel_files ROOT ABI OUTDIR: copy vmlinuz and initrd for QEMU
root_kernel_files() {
	mkdir -p "$3"
	cp "$1/boot/vmlinuz-$2" "$3/vmlinuz-$2"
	cp "$1/boot/initrd.img-$2" "$3/initrd.img-$2"
}

# make_disk ROOT IMG: an ext4 image holding ROOT, with room to spare
make_disk() {
	local root=$1 img=$2 mb
	mb=$(du -sm "$root" | cut -f1)
	rm -f "$img"
	mkfs.ext4 -q -F -L kecho-root -E lazy_itable_init=1 -d "$root" "$img" "$((mb + 1024))M"
}
