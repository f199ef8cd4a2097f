# shellcheck shell=bash
# Host-side pieces of the VM harness, shared by tests/vm/run, tests/vm/demo
# and later suites (bench, other kernels). Source it from bash:
#
#   . "$(dirname "$0")/lib/host.sh"
#   vm_init_paths                      # VM_REPO, VM_BUILD (honours --build)
#   abi=$(vm_pick_abi [MODULE_DIR])    # ABI the built modules were made for
#   vm_fetch_kernel ABI                # sets VM_KIMG (extracted linux-image)
#   vm_build_initramfs OUT.cpio.gz ABI MODULE_DIR [CASE_FILE...]
#   vm_boot KERNEL INITRD CMDLINE CONSOLE_OUT RESULTS_OUT [QEMU_ARGS...]
#   vm_scan_dmesg FILE                 # prints kernel-hygiene offenders
#
# Nothing here hard-codes a kernel version or a machine path.

VM_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Kernel modules from the distribution kernel that tests need in the guest
# (dependencies are added automatically; kcm: case 28, KCM over message mode).
VM_KERNEL_MODULES=${VM_KERNEL_MODULES:-"inet_diag tcp_diag udp_diag kcm"}

# Our modules (file names without .ko): every run needs all of them.
VM_OUR_MODULES=${VM_OUR_MODULES:-"kecho drop-tcp-socket"}

# Userspace programs copied from $VM_BUILD/userspace when they exist.
# NAME or BUILD-NAME:NAME (the build's bench is packaged as kecho-bench)
VM_USER_PROGRAMS=${VM_USER_PROGRAMS:-"keechoctl bench:kecho-bench user-echo-server uring-echo-server kecho-testclient"}

# Host tools copied into the guest with their libraries (real kmod for
# modprobe/modinfo error messages, iproute2's ss for socket listings,
# Prometheus's promtool for the metrics case; missing ones are left out).
VM_HOST_TOOLS=${VM_HOST_TOOLS:-"kmod ss promtool"}

# Debian packages unpacked into every guest: nginx and wrk, to compare
# khttpd with nginx and to benchmark both (nginx-light is only a transitional
# package for nginx in bookworm; nginx-common has /etc/nginx/mime.types).
# Fetched once with apt-get download into $VM_BUILD/vm/userland; without
# them (no apt access) the programs are left out and only the cases that
# need them fail.
VM_GUEST_DEBS=${VM_GUEST_DEBS:-"nginx nginx-common wrk libluajit-5.1-2"}
# Their programs installed in the guest (same path as in the package), each
# with the shared libraries it needs from the packages or the host.
VM_GUEST_DEB_PROGRAMS=${VM_GUEST_DEB_PROGRAMS:-"/usr/sbin/nginx /usr/bin/wrk"}

vm_log() { printf '%s\n' "vm: $*" >&2; }
vm_die() {
	printf '%s\n' "vm: error: $*" >&2
	exit 2
}

# Print the first of its arguments that exists (for globs that may not match).
vm_first() {
	local f
	for f in "$@"; do
		if [ -e "$f" ]; then
			echo "$f"
			return 0
		fi
	done
	return 0
}

vm_init_paths() {
	VM_REPO=$(cd "$VM_LIB_DIR/../../.." && pwd)
	VM_BUILD=${VM_BUILD:-$VM_REPO/build}
	mkdir -p "$VM_BUILD/vm"
	VM_BUILD=$(cd "$VM_BUILD" && pwd)
}

# The ABI (uname -r) the modules in DIR were built for, read from vermagic;
# falls back to the newest kernel headers installed on this machine.
vm_pick_abi() {
	local dir=${1:-$VM_REPO/src/kernel} ko abi
	for ko in "$dir/kecho.ko" "$dir"/*.ko; do
		[ -f "$ko" ] || continue
		abi=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{print $1}')
		if [ -n "$abi" ]; then
			echo "$abi"
			return 0
		fi
	done
	abi=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build 2>/dev/null |
		awk -F/ '{print $4}' | sort -V | tail -n 1)
	[ -n "$abi" ] || vm_die "no built module in $dir and no kernel headers under /lib/modules"
	echo "$abi"
}

# Download (once) and unpack linux-image-ABI under $VM_BUILD/vm/kernels/ABI.
# Sets VM_KIMG to the unpacked tree and VM_KERNEL to its vmlinuz.
vm_fetch_kernel() {
	local abi=$1 dir deb
	dir=$VM_BUILD/vm/kernels/$abi
	VM_KIMG=$dir/root
	VM_KERNEL=$VM_KIMG/boot/vmlinuz-$abi
	if [ -f "$VM_KERNEL" ] && [ -d "$VM_KIMG/lib/modules/$abi/kernel" ]; then
		return 0
	fi
	mkdir -p "$dir"
	deb=$(vm_first "$dir"/linux-image-"$abi"_*.deb)
	if [ -z "$deb" ]; then
		deb=$(vm_first /var/cache/apt/archives/linux-image-"$abi"_*.deb)
		[ -z "$deb" ] || cp "$deb" "$dir/"
	fi
	if [ -z "$deb" ]; then
		vm_log "fetching linux-image-$abi with apt-get download ..."
		# apt warns when _apt cannot write the target directory; harmless.
		(cd "$dir" && apt-get download -q "linux-image-$abi" 2>&1 |
			grep -v 'unsandboxed' >&2) || true
		deb=$(vm_first "$dir"/linux-image-"$abi"_*.deb)
		[ -n "$deb" ] || vm_die "could not download linux-image-$abi (is it in the apt archive? try 'apt-get update')"
	fi
	rm -rf "$VM_KIMG.tmp"
	# Newer suites split the image into linux-binary-* (vmlinuz) and
	# linux-modules-*; every package of this ABI in the cache is unpacked.
	for deb in "$dir"/*.deb; do
		vm_log "unpacking $(basename "$deb") ..."
		dpkg-deb -x "$deb" "$VM_KIMG.tmp" || vm_die "dpkg-deb -x $deb failed"
	done
	# Newer suites (trixie on) ship modules under /usr/lib (merged /usr).
	if [ ! -d "$VM_KIMG.tmp/lib/modules" ] && [ -d "$VM_KIMG.tmp/usr/lib/modules" ]; then
		mkdir -p "$VM_KIMG.tmp/lib"
		mv "$VM_KIMG.tmp/usr/lib/modules" "$VM_KIMG.tmp/lib/modules"
	fi
	# ... and sid keeps the kernel beside them.
	if [ ! -f "$VM_KIMG.tmp/boot/vmlinuz-$abi" ] && [ -f "$VM_KIMG.tmp/lib/modules/$abi/vmlinuz" ]; then
		mkdir -p "$VM_KIMG.tmp/boot"
		cp "$VM_KIMG.tmp/lib/modules/$abi/vmlinuz" "$VM_KIMG.tmp/boot/vmlinuz-$abi"
	fi
	rm -rf "$VM_KIMG"
	mv "$VM_KIMG.tmp" "$VM_KIMG"
	[ -f "$VM_KERNEL" ] || vm_die "no vmlinuz-$abi in $deb"
}

# Copy FILE into ROOT at the same absolute path (following symlinks).
vm_copy_abs() {
	local root=$1 file=$2
	[ -e "$root$file" ] && return 0
	mkdir -p "$root$(dirname "$file")"
	cp -L "$file" "$root$file"
}

# Copy the shared libraries (and the dynamic loader) BINARY needs.
vm_copy_libs() {
	local root=$1 bin=$2 lib
	# Static binaries make ldd fail; they need nothing.
	for lib in $(ldd "$bin" 2>/dev/null | awk '/=> \//{print $3} /^[[:space:]]*\//{print $1}'); do
		vm_copy_abs "$root" "$lib"
		# The loader is looked up through its canonical path as well.
		case $lib in */ld-linux*) vm_copy_abs "$root" "$(readlink -f "$lib")" ;; esac
	done
}

# Download (once) the packages in VM_GUEST_DEBS and unpack them under
# $VM_BUILD/vm/userland/root (VM_USERLAND). Returns 1, with a warning, when
# one cannot be had: the caller leaves their programs out.
vm_fetch_guest_debs() {
	local dir=$VM_BUILD/vm/userland p deb missing="" dl
	VM_USERLAND=$dir/root
	[ -n "$VM_GUEST_DEBS" ] || return 1
	if [ -f "$dir/root.list" ] && [ "$(cat "$dir/root.list")" = "$VM_GUEST_DEBS" ] &&
		[ -d "$VM_USERLAND" ]; then
		return 0
	fi
	mkdir -p "$dir/debs"
	for p in $VM_GUEST_DEBS; do
		[ -n "$(vm_first "$dir/debs/${p}"_*.deb)" ] && continue
		deb=$(vm_first /var/cache/apt/archives/"${p}"_*.deb)
		if [ -n "$deb" ]; then
			cp "$deb" "$dir/debs/"
		else
			missing="$missing $p"
		fi
	done
	if [ -n "$missing" ]; then
		vm_log "fetching${missing} with apt-get download ..."
		# Into a directory of its own, so that a run that fails halfway
		# leaves no partial .deb in the cache.
		dl=$(mktemp -d "$dir/dl.XXXXXX")
		# shellcheck disable=SC2086
		(cd "$dl" && apt-get download -q $missing 2>&1 | grep -v 'unsandboxed' >&2) || true
		mv "$dl"/*.deb "$dir/debs/" 2>/dev/null || true
		rm -rf "$dl"
	fi
	for p in $VM_GUEST_DEBS; do
		if [ -z "$(vm_first "$dir/debs/${p}"_*.deb)" ]; then
			vm_log "warning: could not download $p (no apt access? try 'apt-get update'): nginx and wrk are left out of the guest, cases that need them fail"
			return 1
		fi
	done
	rm -rf "$VM_USERLAND.tmp"
	for p in $VM_GUEST_DEBS; do
		deb=$(vm_first "$dir/debs/${p}"_*.deb)
		dpkg-deb -x "$deb" "$VM_USERLAND.tmp" || {
			vm_log "warning: dpkg-deb -x $deb failed: nginx and wrk are left out of the guest"
			rm -rf "$VM_USERLAND.tmp"
			return 1
		}
	done
	rm -rf "$VM_USERLAND"
	mv "$VM_USERLAND.tmp" "$VM_USERLAND"
	echo "$VM_GUEST_DEBS" >"$dir/root.list"
}

# Install VM_GUEST_DEB_PROGRAMS into ROOT with their libraries (those of the
# unpacked packages at the same path under ROOT, where the guest's loader
# looks, the others from the host), nginx's mime.types and the directories
# it expects. A program whose libraries cannot all be found is left out.
vm_install_guest_debs() {
	local root=$1 u prog libpath lib libs
	vm_fetch_guest_debs || return 0
	u=$VM_USERLAND
	libpath=$(find "$u" -name '*.so*' -printf '%h\n' | sort -u | paste -sd:)
	for prog in $VM_GUEST_DEB_PROGRAMS; do
		if [ ! -x "$u$prog" ]; then
			vm_log "warning: $prog is in none of $VM_GUEST_DEBS: left out of the guest"
			continue
		fi
		libs=$(LD_LIBRARY_PATH=$libpath ldd "$u$prog" 2>/dev/null) || true
		if printf '%s\n' "$libs" | grep -q 'not found'; then
			vm_log "warning: $prog needs libraries neither the host nor $VM_GUEST_DEBS have, left out of the guest:" \
				"$(printf '%s\n' "$libs" | grep 'not found' | awk '{print $1}' | tr '\n' ' ')"
			continue
		fi
		mkdir -p "$root$(dirname "$prog")"
		cp "$u$prog" "$root$prog"
		for lib in $(printf '%s\n' "$libs" | awk '/=> \//{print $3} /^[[:space:]]*\//{print $1}'); do
			case $lib in
			"$u"/*)
				mkdir -p "$root$(dirname "${lib#"$u"}")"
				cp -L "$lib" "$root${lib#"$u"}"
				;;
			*)
				vm_copy_abs "$root" "$lib"
				case $lib in */ld-linux*) vm_copy_abs "$root" "$(readlink -f "$lib")" ;; esac
				;;
			esac
		done
	done
	if [ -f "$u/etc/nginx/mime.types" ]; then
		mkdir -p "$root/etc/nginx"
		cp "$u/etc/nginx/mime.types" "$root/etc/nginx/"
	fi
	# nginx's built-in paths (its configs point them all to /tmp anyway)
	mkdir -p "$root/var/log/nginx" "$root/var/lib/nginx" "$root/usr/share/nginx"
}

# Install a host or build binary into ROOT/usr/bin under NAME, with libs.
vm_install_bin() {
	local root=$1 bin=$2 name=${3:-$(basename "$2")}
	mkdir -p "$root/usr/bin"
	cp -L "$bin" "$root/usr/bin/$name"
	chmod 0755 "$root/usr/bin/$name"
	vm_copy_libs "$root" "$bin"
}

# Find the .ko of module NAME (dashes and underscores are interchangeable).
vm_find_kmod() {
	local tree=$1 name=$2 alt
	alt=$(echo "$name" | tr '_-' '-_')
	find "$tree" \( -name "$name.ko*" -o -name "$alt.ko*" \) -print -quit
}

# Copy the distribution modules in VM_KERNEL_MODULES and their dependencies.
vm_copy_kernel_modules() {
	local root=$1 abi=$2 tree mods m ko deps rel
	tree=$VM_KIMG/lib/modules/$abi
	mods=$VM_KERNEL_MODULES
	local seen=" "
	while [ -n "$mods" ]; do
		set -- $mods
		m=$1
		shift
		mods=$*
		case $seen in *" $m "*) continue ;; esac
		seen="$seen$m "
		ko=$(vm_find_kmod "$tree/kernel" "$m")
		if [ -z "$ko" ]; then
			# Built in (or absent): nothing to copy.
			continue
		fi
		rel=${ko#"$tree"/}
		mkdir -p "$root/lib/modules/$abi/$(dirname "$rel")"
		cp "$ko" "$root/lib/modules/$abi/$rel"
		deps=$(modinfo -F depends "$ko" | tr ',' ' ')
		mods="$mods $deps"
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$tree/$f" ] && cp "$tree/$f" "$root/lib/modules/$abi/"
	done
	return 0
}

# Build the guest initramfs.
#   OUT        cpio.gz to write
#   ABI        kernel release the guest boots
#   MODDIR     directory holding our built *.ko (usually src/kernel)
#   CASES...   case scripts to install under /tests/cases
# Extra files: set VM_EXTRA_FILES="src:dest src:dest" (dest inside guest).
vm_build_initramfs() {
	local out=$1 abi=$2 moddir=$3
	shift 3
	local root p bin ko f
	root=$out.d
	rm -rf "$root"
	mkdir -p "$root"

	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root,tests/cases}
	mkdir -p "$root/lib/modules/$abi/extra"

	# busybox and its applets (never overwriting real tools installed later)
	local bb
	bb=$(command -v busybox) || vm_die "busybox not found (apt-get install busybox-static)"
	ldd "$bb" >/dev/null 2>&1 && vm_die "$bb is dynamically linked; install busybox-static"
	cp "$bb" "$root/bin/busybox"
	for p in $("$bb" --list-full); do
		[ "$p" = bin/busybox ] && continue
		mkdir -p "$root/$(dirname "$p")"
		ln -sf /bin/busybox "$root/$p"
	done

	# real kmod (modprobe, insmod, rmmod, lsmod, modinfo, depmod)
	for bin in $VM_HOST_TOOLS; do
		p=$(command -v "$bin" || true)
		[ -n "$p" ] || continue
		rm -f "$root/usr/bin/$bin" "$root/bin/$bin" "$root/sbin/$bin"
		vm_install_bin "$root" "$p" "$bin"
	done
	if [ -x "$root/usr/bin/kmod" ]; then
		for p in modprobe insmod rmmod lsmod modinfo depmod; do
			rm -f "$root/sbin/$p" "$root/bin/$p" "$root/usr/sbin/$p" "$root/usr/bin/$p"
			ln -s /usr/bin/kmod "$root/sbin/$p"
		done
	fi

	# distribution modules, ours, and the dependency index
	vm_copy_kernel_modules "$root" "$abi"
	for ko in "$moddir"/*.ko; do
		[ -f "$ko" ] || continue
		cp "$ko" "$root/lib/modules/$abi/extra/"
	done
	depmod -b "$root" "$abi" || vm_die "depmod failed"

	# userspace programs, found by name under the build tree
	if [ -d "$VM_BUILD/userspace" ]; then
		for bin in $VM_USER_PROGRAMS; do
			p=$(find "$VM_BUILD/userspace/" -type f -name "${bin%%:*}" -perm -u+x -print -quit)
			[ -n "$p" ] || continue
			vm_install_bin "$root" "$p" "${bin#*:}"
		done
	fi

	# nginx and wrk from Debian's packages (absent without apt access)
	vm_install_guest_debs "$root"

	# tests: the TAP library both guest suites share, and ours on top of it
	cp "$VM_LIB_DIR/../../lib/tap.sh" "$root/tests/tap.sh"
	cp "$VM_LIB_DIR/guest-lib.sh" "$root/tests/lib.sh"
	cp "$VM_LIB_DIR/dts-lib.sh" "$root/tests/dts-lib.sh"
	cp "$VM_LIB_DIR/../../lib/khttpd-common.sh" "$root/tests/khttpd-common.sh"
	cp "$VM_LIB_DIR/khttpd-lib.sh" "$root/tests/khttpd-lib.sh"
	cp "$VM_LIB_DIR/nginx-lib.sh" "$root/tests/nginx-lib.sh"
	cp "$VM_LIB_DIR/perf-lib.sh" "$root/tests/perf-lib.sh"
	cp "$VM_LIB_DIR/nginx-khttpd.conf" "$root/tests/nginx-khttpd.conf"
	for f in "$@"; do
		cp "$f" "$root/tests/cases/"
	done
	for p in ${VM_EXTRA_FILES:-}; do
		mkdir -p "$root/$(dirname "${p#*:}")"
		cp "${p%%:*}" "$root/${p#*:}"
	done
	cp "$VM_LIB_DIR/init.sh" "$root/init"
	chmod 0755 "$root/init"
	printf '%s\n' "root:x:0:0:root:/root:/bin/sh" \
		"nobody:x:65534:65534:nobody:/nonexistent:/bin/sh" >"$root/etc/passwd"
	printf '%s\n' "root:x:0:" "nogroup:x:65534:" >"$root/etc/group"
	printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$root/etc/hosts"

	(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp" ||
		vm_die "cpio failed"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

# Boot KERNEL with INITRD. Serial 0 goes to CONSOLE_OUT (or "stdio"),
# serial 1 to RESULTS_OUT. Replaces the calling shell: run it in a subshell
# or in the background. VM_QEMU_WRAP (e.g. "timeout 300") prefixes QEMU.
vm_boot() {
	local kernel=$1 initrd=$2 cmdline=$3 console=$4 results=$5
	shift 5
	local serial0
	if [ "$console" = stdio ]; then
		# Ctrl-C on the terminal stops QEMU.
		serial0=stdio
	else
		serial0=file:$console
	fi
	# sercon-port=0: SeaBIOS stays off the serial console (no screen reset).
	# shellcheck disable=SC2086
	exec ${VM_QEMU_WRAP:-} qemu-system-x86_64 -accel tcg -cpu max -smp "${VM_SMP:-2}" -m "${VM_MEM:-2048}" \
		-nographic -no-reboot -nodefaults -display none \
		-fw_cfg name=etc/sercon-port,string=0 \
		-serial "$serial0" -serial "file:$results" \
		-kernel "$kernel" -initrd "$initrd" -append "$cmdline" "$@" \
		2> >(grep --line-buffered -v 'fw_cfg item names should be prefixed' >&2)
}

# Kernel hygiene: print every dmesg line that means a kernel bug.
VM_DMESG_BAD='WARNING:|(^|[^A-Za-z_])BUG[: ]|Oops|[Ss]lab corruption|Poison overwritten|general protection|KASAN|UBSAN|refcount_t|Kernel panic|kernel BUG|INFO: task .* blocked|list_(add|del) corruption|Object already free|Redzone overwritten|Padding overwritten'
vm_scan_dmesg() {
	grep -aE "$VM_DMESG_BAD" "$1" || true
}
