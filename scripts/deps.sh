#!/bin/sh
# Install everything that building, testing and packaging need (Debian 12).
# Idempotent: packages already present are not touched and apt is not
# called at all when nothing is missing.
set -eu

pkgs="build-essential cmake pkg-config git
	linux-headers-amd64 sparse bc flex bison libelf-dev linux-source-6.1
	libkmod-dev libsystemd-dev libmnl-dev liburing-dev catch2 nlohmann-json3-dev
	clang-format clang-tidy cppcheck clang libclang-rt-dev
	qemu-system-x86 qemu-utils busybox-static cpio kmod e2fsprogs
	mmdebstrap dkms dh-dkms debhelper devscripts lintian fakeroot
	gnuplot-nox linux-perf python3 iproute2 net-tools xz-utils
	prometheus apt-utils gnupg piuparts"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done

if [ -z "$missing" ]; then
	echo "deps: all installed"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	sudo="sudo"
else
	sudo=""
fi
echo "deps: installing:$missing"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
