# shellcheck shell=bash
# build_debs OUTDIR: build kecho-dkms and keechoctl with dpkg-buildpackage
# from a clean copy of the tree (tracked and new files, nothing ignored:
# no build/, no kernel build artefacts), check them with lintian, leave the
# .debs in OUTDIR. Needs lib/common.sh.

build_debs() {
	local out=$1 version src
	version=$(package_version)
	rm -rf "$out"
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	src=$out/kecho-$version
	mkdir -p "$src"
	(cd "$REPO_ROOT" && git ls-files -z -c -o --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf -) | tar -xf - -C "$src"
	(cd "$src" && dpkg-buildpackage -us -uc -j"${JOBS:-2}") || return 1
	rm -rf "$src"
	# lintian: pedantic; any warning or error fails the build. Its report
	# is kept in OUTDIR/lintian.txt.
	lintian --allow-root --pedantic --info --display-experimental --fail-on error,warning \
		"$out"/kecho_"$version"_*.changes >"$out/lintian.txt" 2>&1 || {
		cat "$out/lintian.txt"
		return 1
	}
}

# deb_paths OUTDIR: the binary packages built in OUTDIR (not -dbgsym)
deb_paths() {
	ls "$1"/kecho-dkms_*.deb "$1"/keechoctl_*.deb
}
