# shellcheck shell=bash
# Functions for tests/kernels/run: find a series' headers, build the modules
# against them, boot them. Needs $top (the repository root) and $build.

# The mirror this host's apt uses, read at run time so no host is hard-coded.
debian_mirror() {
	local uri
	uri=$(grep -rhoE '^(URIs: |deb )https?://[^ ]+/debian/?( |$)' \
		/etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		head -n 1 | sed -E 's/^(URIs: |deb )//; s/ *$//; s:/$::')
	echo "${uri:-http://deb.debian.org/debian}"
}

# apt options for a private package list of SUITE (trixie, sid, ...).
# The lists live under $1 (a cache folder); sid's Release may have expired.
suite_apt_opts() {
	local suite=$1 dir=$2 mirror
	mirror=$(debian_mirror)
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	echo "deb $mirror $suite main" >"$dir/sources.list"
	printf '%s ' -o "Dir::Etc::SourceList=$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$dir/lists" \
		-o "Dir::Cache=$dir/cache" -o Acquire::Check-Valid-Until=false \
		-o Debug::NoLocking=1
}

# headers_abi META [APT-OPTS...]: the ABI a linux-headers meta-package
# (linux-headers-amd64, -cloud-amd64, -rt-amd64) points at now.
headers_abi() {
	local meta=$1
	shift
	apt-cache "$@" depends "$meta" 2>/dev/null |
		sed -nE 's/^ *Depends: linux-headers-(.*)$/\1/p' | grep -v '^common' |
		grep -vE '^(base|kbuild)' | head -n 1
}

# copy_source DEST: a private copy of the module source to build in, so
# src/kernel/*.ko (the host build) is never clobbered.
copy_source() {
	rm -rf "$1"
	mkdir -p "$1"
	(cd "$top/src/kernel" && git ls-files -co --exclude-standard . |
		grep -vE '\.(o|ko|mod|cmd)$' | cpio -pdm --quiet "$1")
}

# check_log LOG: fail when the build printed a warning or an error.
check_log() {
	! grep -E '(warning|error):' "$1"
}

# build_series SERIES OUT: build both modules; OUT/kver names the kernel.
build_series() {
	local s=$1 out=$2 meta abi
	mkdir -p "$out"
	case $s in
	bookworm | bookworm-cloud | bookworm-rt)
		meta=linux-headers-amd64
		[ "$s" = bookworm ] || meta=linux-headers-${s#bookworm-}-amd64
		abi=$(headers_abi "$meta")
		[ -n "$abi" ] || { echo "kernels: cannot resolve $meta" >&2; return 1; }
		if [ ! -d "/lib/modules/$abi/build" ]; then
			echo "kernels: installing linux-headers-$abi" >&2
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends "linux-headers-$abi" >"$out/apt.log" 2>&1 || return 1
		fi
		echo "$abi" >"$out/kver"
		copy_source "$out/src"
		make -C "/lib/modules/$abi/build" M="$out/src" W=1 modules >"$out/build.log" 2>&1 &&
			check_log "$out/build.log"
		;;
	trixie | sid)
		build_in_chroot "$s" "$out"
		;;
	*)
		echo "kernels: unknown series $s" >&2
		return 1
		;;
	esac
}

# build_in_chroot SUITE OUT: an mmdebstrap chroot of SUITE with its own
# compiler and current headers (cached, rebuilt when the ABI moves on).
build_in_chroot() {
	local suite=$1 out=$2 aptdir opts abi root stamp mirror
	aptdir=$out/apt
	read -r -a opts <<<"$(suite_apt_opts "$suite" "$aptdir")"
	apt-get "${opts[@]}" -q update >"$out/apt.log" 2>&1 || return 1
	abi=$(headers_abi linux-headers-amd64 "${opts[@]}")
	[ -n "$abi" ] || { echo "kernels: no linux-headers-amd64 in $suite" >&2; return 1; }
	echo "$abi" >"$out/kver"

	root=$out/chroot
	stamp=$root/.kecho-headers
	if [ "$(cat "$stamp" 2>/dev/null)" != "$abi" ]; then
		echo "kernels: building a $suite chroot with linux-headers-$abi" >&2
		rm -rf "$root"
		mirror=$(debian_mirror)
		mmdebstrap --variant=apt --quiet \
			--aptopt='Acquire::Check-Valid-Until "false"' \
			--include="build-essential,kmod,linux-headers-$abi" \
			"$suite" "$root" "deb $mirror $suite main" >"$out/mmdebstrap.log" 2>&1 || return 1
		echo "$abi" >"$stamp"
	fi

	copy_source "$root/build/kecho"
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	local rc=0
	chroot "$root" make -C "/lib/modules/$abi/build" M=/build/kecho W=1 modules \
		>"$out/build.log" 2>&1 || rc=$?
	umount "$root/proc"
	[ "$rc" -eq 0 ] && check_log "$out/build.log" || return 1
	mkdir -p "$out/src"
	cp "$root"/build/kecho/*.ko "$out/src/"
}

# boot_series SERIES OUT: run the VM module tests on that kernel. The
# harness fetches bookworm images itself; for other suites the image is
# put in its kernel cache first, from that suite's private package list.
boot_series() {
	local s=$1 out=$2 abi opts cache
	abi=$(cat "$out/kver")
	case $s in
	trixie | sid)
		# sid splits the image into linux-binary-* and linux-modules-*;
		# packages a suite does not have are simply not there.
		cache=$build/vm/kernels/$abi
		read -r -a opts <<<"$(suite_apt_opts "$s" "$out/apt")"
		mkdir -p "$cache"
		for pkg in linux-image-"$abi" linux-binary-"$abi" linux-modules-"$abi"; do
			ls "$cache/${pkg}"_*.deb >/dev/null 2>&1 ||
				(cd "$cache" && apt-get "${opts[@]}" -q download "$pkg") \
					>>"$out/apt.log" 2>&1 || true
		done
		;;
	esac
	"$top/tests/vm/run" --build "$build" --kver "$abi" --modules "$out/src" "${VM_CASES[@]}" \
		2>&1 | tee "$out/vm.log"
}
