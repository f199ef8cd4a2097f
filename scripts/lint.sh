#!/usr/bin/env bash
# Static checks, each failing the run on any finding:
#   kernel:    W=1 warnings, sparse (C=2), checkpatch (from Debian's linux-source)
#   userspace: clang-format, clang-tidy, cppcheck
# Usage: scripts/lint.sh [kernel|userspace]...   (default: both)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
failed=0

note() { printf 'lint: %s\n' "$*"; }
flunk() {
	note "FAIL: $*"
	failed=1
}

# checkpatch.pl and its data files, unpacked once from linux-source-*.tar.xz.
checkpatch_dir() {
	local dir=$build/checkpatch tarball
	if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
		tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
		[ -n "$tarball" ] || {
			echo "lint: linux-source is not installed; run 'make deps'" >&2
			return 1
		}
		local name
		name=$(basename "$tarball" .tar.xz)
		mkdir -p "$dir"
		tar -xJf "$tarball" -C "$dir" --strip-components=1 \
			"$name/scripts/checkpatch.pl" "$name/scripts/spelling.txt" \
			"$name/scripts/const_structs.checkpatch"
	fi
	echo "$dir"
}

lint_kernel() {
	local kdir log cp
	kdir=${KDIR:-$("$top/scripts/kdir.sh")}
	log=$build/lint-kernel.log
	mkdir -p "$build"

	note "kernel: W=1 + sparse against $kdir"
	make -s -C "$top/src/kernel" KDIR="$kdir" clean >/dev/null
	if ! make -C "$kdir" M="$top/src/kernel" W=1 C=2 modules >"$log" 2>&1; then
		cat "$log"
		flunk "kernel build failed"
		return
	fi
	if grep -E '(warning|error):' "$log"; then
		flunk "kernel: compiler or sparse warnings (see above)"
	fi

	cp=$(checkpatch_dir) || {
		flunk "checkpatch unavailable"
		return
	}
	note "kernel: checkpatch"
	# --no-tree: an out-of-tree module; SPDX lines are checked like in-tree files.
	# Tracked sources only: Kbuild generates *.mod.c and compat_probe.h.
	local sources
	mapfile -t sources < <(cd "$top" && git ls-files 'src/kernel/*.[ch]')
	if ! (cd "$top" && perl "$cp/scripts/checkpatch.pl" --no-tree --quiet --show-types \
		--ignore FILE_PATH_CHANGES -f "${sources[@]}"); then
		flunk "kernel: checkpatch findings (see above)"
	fi
}

lint_userspace() {
	local db=$build/userspace/compile_commands.json files
	[ -f "$db" ] || {
		flunk "no $db: run 'make userspace' first"
		return
	}
	mapfile -t files < <(cd "$top" && git ls-files 'src/userspace/*.cc' 'src/userspace/*.cpp' \
		'src/userspace/*.h' 'tests/vm/client/*.cpp' 'tests/vm/client/*.h')
	[ ${#files[@]} -gt 0 ] || return 0

	note "userspace: clang-format (${#files[@]} files)"
	(cd "$top" && clang-format --dry-run --Werror "${files[@]}") || flunk "clang-format differences"

	local sources=()
	for f in "${files[@]}"; do
		case $f in *.cc | *.cpp) sources+=("$top/$f") ;; esac
	done
	note "userspace: clang-tidy (${#sources[@]} sources)"
	local tidy_log=$build/lint-clang-tidy.log
	# One clang-tidy per core; each file is independent.
	if ! printf '%s\0' "${sources[@]}" |
		xargs -0 -n 4 -P "$(nproc)" clang-tidy -p "$build/userspace" --quiet >"$tidy_log" 2>&1 ||
		grep -E '(warning|error):' "$tidy_log"; then
		grep -E '(warning|error):' "$tidy_log" || tail -n 20 "$tidy_log"
		flunk "clang-tidy findings"
	fi

	note "userspace: cppcheck"
	if ! cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c++20 --language=c++ \
		--enable=warning,style,performance,portability \
		--suppress=missingIncludeSystem --suppress=unusedFunction \
		--suppress='*:/usr/*' \
		-I "$top/src/userspace/common" "${sources[@]}"; then
		flunk "cppcheck findings"
	fi
}

what=("$@")
[ ${#what[@]} -gt 0 ] || what=(kernel userspace)
for w in "${what[@]}"; do
	case $w in
	kernel) lint_kernel ;;
	userspace) lint_userspace ;;
	*)
		echo "usage: $0 [kernel|userspace]..." >&2
		exit 1
		;;
	esac
done

if [ "$failed" -ne 0 ]; then
	note "static checks failed"
	exit 1
fi
note "all static checks clean"
