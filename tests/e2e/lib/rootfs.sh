# shellcheck shell=bash
# Build (or reuse) the cached Debian bookworm root filesystem tarball:
# systemd, dkms and an OLDER kernel ABI's image and headers, plus the
# current ABI's packages downloaded (not installed) for the upgrade step.
# Needs lib/common.sh.

# Packages beyond minbase. The kecho .debs are installed later, per run.
ROOTFS_PACKAGES="systemd systemd-sysv udev dbus kmod dkms initramfs-tools
	iproute2 procps less bash-completion openssl autopkgtest
	libkmod2 libsystemd0 libmnl0 liburing2 libstdc++6"

# rootfs_tarball OLD_ABI NEW_ABI: print the path of the cached tarball,
# building it first when its inputs changed.
rootfs_tarball() {
	local old=$1 new=$2 mirror security key tar
	mirror=$(apt_uri_for "$SUITE")
	security=$(apt_uri_for "$SUITE-security")
	[ -n "$mirror" ] || die "no apt source for $SUITE in /etc/apt"
	[ -n "$security" ] || security=$mirror-security
	# The key covers every input: the sources, the ABIs, the package list
	# and the recipe itself.
	key=$( {
		echo "$mirror $security $old $new $ROOTFS_PACKAGES"
		declare -f _rootfs_build
	} | sha256sum | cut -c1-16)
	tar=$E2E_WORK/rootfs-$SUITE-$key.tar
	if [ ! -s "$tar" ]; then
		mkdir -p "$E2E_WORK"
		rm -f "$E2E_WORK"/rootfs-"$SUITE"-*.tar
		say "building the $SUITE root filesystem (kernel $old; cached as $(basename "$tar"))"
		run_logged mmdebstrap _rootfs_build "$tar.tmp" "$old" "$new" \
			"$mirror" "$security" || return 1
		mv "$tar.tmp" "$tar"
	fi
	echo "$tar"
}

_rootfs_build() {
	local out=$1 old=$2 new=$3 mirror=$4 security=$5 pkgs
	pkgs=$(echo $ROOTFS_PACKAGES linux-image-"$old" linux-headers-"$old" | tr ' ' ',')
	# No initramfs-tools conffile is touched: modules come from modules.d
	# and MODULES=list keeps each initrd small and quick to build.
	mmdebstrap --variant=minbase --format=tar \
		--skip=cleanup/apt --skip=cleanup/reproducible \
		--include="$pkgs" \
		--essential-hook='mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/usr/share/initramfs-tools/modules.d"' \
		--essential-hook='echo MODULES=list > "$1/etc/initramfs-tools/conf.d/kecho-e2e"' \
		--essential-hook='printf "%s\n" virtio_pci virtio_blk ext4 crc32c_generic > "$1/usr/share/initramfs-tools/modules.d/kecho-e2e"' \
		--customize-hook='cat /proc/sys/kernel/random/uuid | tr -d - > "$1/etc/machine-id"' \
		--customize-hook='echo kecho-e2e > "$1/etc/hostname"' \
		--customize-hook='printf "127.0.0.1\tlocalhost\n127.0.1.1\tkecho-e2e\n::1\tlocalhost\n" > "$1/etc/hosts"' \
		--customize-hook='echo "/dev/vda / ext4 rw,errors=remount-ro 0 1" > "$1/etc/fstab"' \
		--customize-hook='chroot "$1" passwd -d root' \
		--customize-hook="chroot \"\$1\" apt-get install -y --download-only linux-image-$new linux-headers-$new" \
		"$SUITE" "$out" \
		"deb $mirror $SUITE main" \
		"deb $mirror $SUITE-updates main" \
		"deb $security $SUITE-security main"
}
