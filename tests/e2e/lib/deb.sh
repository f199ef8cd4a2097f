# shellcheck shell=bash
# build_debs OUTDIR [NEXTDIR]: build kecho-dkms and keechoctl with
# dpkg-buildpackage from a clean copy of the tree (tracked and new files,
# nothing ignored: no build/, no kernel build artefacts), check them with
# lintian, leave the .debs in OUTDIR; with NEXTDIR, also the same packages
# at next_version there (build_next_debs). Needs lib/common.sh.

build_debs() {
	local out=$1 next=${2:-} version src
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
	# lintian: pedantic; any warning or error fails the build. Its report
	# is kept in OUTDIR/lintian.txt.
	lintian --allow-root --pedantic --info --display-experimental --fail-on error,warning \
		"$out"/kecho_"$version"_*.changes >"$out/lintian.txt" 2>&1 || {
		cat "$out/lintian.txt"
		return 1
	}
	if [ -n "$next" ]; then
		build_next_debs "$src" "$next" || return 1
	fi
	rm -rf "$src"
}

# next_version: the version the upgrade test upgrades to
next_version() {
	echo "$(package_version)+upgrade1"
}

# build_next_debs SRC NEXTDIR: the same packages at next_version, for the
# upgrade test (tests/e2e/guest/phase-2.sh, piuparts). Only the version
# changes: a changelog entry, dkms.conf and MODULE_VERSION (debian/rules
# checks that they agree). The tree SRC was just built, so dh_clean (which
# keeps CMake's build directory) and a build without clean reuse every
# object: the second build packs, it does not compile.
build_next_debs() {
	local src=$1 next=$2 version from
	version=$(next_version)
	from=$(package_version)
	rm -rf "$next"
	mkdir -p "$next"
	next=$(cd "$next" && pwd)
	(
		cd "$src"
		{
			printf 'kecho (%s) unstable; urgency=medium\n\n' "$version"
			printf '  * Upgrade test build of %s: only the version differs.\n\n' "$from"
			printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -S Maintainer)" "$(date -R)"
			cat debian/changelog
		} >debian/changelog.new
		mv debian/changelog.new debian/changelog
		sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$version\"/" dkms.conf
		sed -i "s/^MODULE_VERSION(\"$from\");\$/MODULE_VERSION(\"$version\");/" src/kernel/*.c
		dh_clean
		dpkg-buildpackage -nc -b -us -uc -j"${JOBS:-2}"
	) || return 1
	mv "$(dirname "$src")"/*_"$version"_* "$next"/
}

# deb_paths OUTDIR: the binary packages built in OUTDIR (not -dbgsym)
deb_paths() {
	ls "$1"/kecho-dkms_*.deb "$1"/keechoctl_*.deb
}
