# shellcheck shell=bash
# Shared helpers for tests/e2e/run and tests/e2e/demo: paths, logging,
# the host's Debian mirror and the kernel ABIs, all found at run time.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_ROOT=$(cd "$E2E_DIR/../.." && pwd)
BUILD=${BUILD:-$REPO_ROOT/build}
E2E_WORK=${E2E_WORK:-$BUILD/e2e}
E2E_LOG=${E2E_LOG:-$E2E_WORK/log}
SUITE=bookworm
# VM_DMESG_BAD, the kernel-hygiene pattern the VM harness uses too
# shellcheck source=../../vm/lib/host.sh
. "$REPO_ROOT/tests/vm/lib/host.sh"

# say MSG: one progress line for the person watching
say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 1; }

# run_logged NAME CMD...: run CMD with its output in $E2E_LOG/NAME.log;
# prints a spinner line with the elapsed time meanwhile and the log's
# tail if CMD fails.
run_logged() {
	local name=$1 log rc start
	shift
	mkdir -p "$E2E_LOG"
	log=$E2E_LOG/$name.log
	start=$SECONDS
	"$@" >"$log" 2>&1 &
	local pid=$!
	if [ -t 2 ]; then
		while kill -0 "$pid" 2>/dev/null; do
			printf '\r    %s ... %ds  (%s)\033[K' "$name" $((SECONDS - start)) \
				"$(tail -n 1 "$log" 2>/dev/null | tr -cd '[:print:]' | cut -c1-60)" >&2
			sleep 1
		done
		printf '\r\033[K' >&2
	fi
	rc=0
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "e2e: '$name' failed (exit $rc); first errors and last lines of $log:" >&2
		grep -n -E '^(CMake Error|[^ ]*: error|E: |W: |make(\[[0-9]+\])?: \*\*\*|.*[0-9]+:[0-9]+: error:)' "$log" |
			head -n 15 >&2 || true
		echo "..." >&2
		tail -n 15 "$log" >&2
		return "$rc"
	fi
	printf '    %s: done in %ds\n' "$name" $((SECONDS - start)) >&2
}

# apt_uri_for SUITE: the URI the host's apt uses for SUITE (deb822
# .sources files and one-line .list files are both read).
apt_uri_for() {
	local want=$1 f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		case $f in
		*.sources)
			awk -v want="$want" '
				function flush() { if (ok && uri != "") { print uri; found = 1; exit } ok = 0; uri = "" }
				/^[ \t]*$/ { flush(); next }
				/^URIs:/ { uri = $2 }
				/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) ok = 1 }
				/^Types:/ { deb = 0; for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1; if (!deb) ok = -99 }
				END { if (!found && ok > 0 && uri != "") print uri }' "$f"
			;;
		*)
			sed -E 's/\[[^]]*\]//' "$f" |
				awk -v want="$want" '$1 == "deb" && $3 == want { print $2; exit }'
			;;
		esac
	done | head -n 1
}

# current_abi: the ABI linux-headers-amd64 points at (e.g. 6.1.0-56-amd64)
current_abi() {
	apt-cache depends linux-headers-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\([0-9].*-amd64\)$/\1/p' | head -n 1
}

# older_abi CURRENT: the newest ABI below CURRENT with both an image and
# headers in the archive
older_abi() {
	local cur=$1 abi
	apt-cache pkgnames linux-headers- 2>/dev/null |
		sed -n 's/^linux-headers-\([0-9][0-9.]*-[0-9]*-amd64\)$/\1/p' |
		sort -V -r | while read -r abi; do
		[ "$(printf '%s\n%s\n' "$abi" "$cur" | sort -V | tail -n 1)" = "$cur" ] || continue
		[ "$abi" = "$cur" ] && continue
		if apt-cache show "linux-image-$abi" >/dev/null 2>&1; then
			echo "$abi"
			break
		fi
	done
}

# package_version: the version in debian/changelog
package_version() {
	dpkg-parsechangelog -l "$REPO_ROOT/debian/changelog" -S Version
}
