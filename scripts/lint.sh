#!/usr/bin/env bash
# Static checks, each failing the run on any finding:
#   kernel:    W=1 warnings, sparse (C=2), checkpatch (from Debian's linux-source)
#   userspace: clang-format, clang-tidy, cppcheck (each alone: format, tidy,
#              cppcheck)
# Usage: scripts/lint.sh [kernel|userspace|format|tidy|cppcheck]...
#        (default: kernel userspace)
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

# The userspace files lint checks (tracked ones only), into userspace_files;
# the translation units among them into userspace_sources.
userspace_files=()
userspace_sources=()
list_userspace() {
	local db=$build/userspace/compile_commands.json f
	[ -f "$db" ] || {
		flunk "no $db: run 'make userspace' first"
		return 1
	}
	mapfile -t userspace_files < <(cd "$top" && git ls-files 'src/userspace/*.cc' \
		'src/userspace/*.cpp' 'src/userspace/*.h' 'tests/vm/client/*.cpp' 'tests/vm/client/*.h')
	userspace_sources=()
	for f in "${userspace_files[@]}"; do
		case $f in *.cc | *.cpp) userspace_sources+=("$top/$f") ;; esac
	done
	[ ${#userspace_files[@]} -gt 0 ]
}

lint_format() {
	list_userspace || return 0
	note "userspace: clang-format (${#userspace_files[@]} files)"
	(cd "$top" && clang-format --dry-run --Werror "${userspace_files[@]}") ||
		flunk "clang-format differences"
}

lint_tidy() {
	list_userspace || return 0
	note "userspace: clang-tidy (${#userspace_sources[@]} sources)"
	local tidy_log=$build/lint-clang-tidy.log
	# One clang-tidy per core; each file is independent.
	if ! printf '%s\0' "${userspace_sources[@]}" |
		xargs -0 -n 4 -P "$(nproc)" clang-tidy -p "$build/userspace" --quiet >"$tidy_log" 2>&1 ||
		grep -E '(warning|error):' "$tidy_log"; then
		grep -E '(warning|error):' "$tidy_log" || tail -n 20 "$tidy_log"
		flunk "clang-tidy findings"
	fi
}

lint_cppcheck() {
	list_userspace || return 0
	note "userspace: cppcheck"
	if ! cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c++20 --language=c++ \
		--enable=warning,style,performance,portability \
		--suppress=missingIncludeSystem --suppress=unusedFunction \
		--suppress='*:/usr/*' \
		-I "$top/src/userspace/common" "${userspace_sources[@]}"; then
		flunk "cppcheck findings"
	fi
}

what=("$@")
[ ${#what[@]} -gt 0 ] || what=(kernel userspace)
for w in "${what[@]}"; do
	case $w in
	kernel) lint_kernel ;;
	userspace)
		lint_format
		lint_tidy
		lint_cppcheck
		;;
	format) lint_format ;;
	tidy) lint_tidy ;;
	cppcheck) lint_cppcheck ;;
	*)
		echo "usage: $0 [kernel|userspace|format|tidy|cppcheck]..." >&2
		exit 1
		;;
	esac
done

if [ "$failed" -ne 0 ]; then
	note "static checks failed"
	exit 1
fi
note "all static checks clean"
