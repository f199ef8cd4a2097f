#!/usr/bin/env bash
# make check: every test, cheapest first, so a broken build fails in
# minutes. One step runs out of order: clang-tidy, the slowest static
# check (about 13 CPU-minutes), runs beside the VM suite, whose TCG guest
# leaves two thirds of the machine's CPU time idle while it waits on TCP
# timers; at the idle scheduling class it gets only that. It starts with
# the VM suite, not before: beside check-kernels it still slowed the
# builds and chroots from 4.4 to 8.6 minutes. Its findings fail the run
# at the end; `make lint` runs it in the foreground.
# Usage (from the Makefile): MAKE=make BUILD=DIR scripts/check.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${BUILD:-$top/build}
make=${MAKE:-make}
mkdir -p "$build"

step() {
	printf '==> %s (%s)\n' "$*" "$(date +%T)"
	"$make" "$@"
}

step modules userspace
printf '==> lint: kernel, clang-format, cppcheck (%s)\n' "$(date +%T)"
BUILD=$build scripts/lint.sh kernel format cppcheck

step unit
step check-repo
step fuzz
step check-kernels
tidy_out=$build/lint-tidy.out
printf '==> lint: clang-tidy in the background, at the idle class (%s; %s)\n' \
	"$(date +%T)" "$tidy_out"
# A process group of its own (setsid: this background child is no group
# leader, so it becomes one without forking), so that a failing step or a
# stopped run ends every clang-tidy it started, not just the script.
BUILD=$build setsid -w chrt --idle 0 scripts/lint.sh tidy >"$tidy_out" 2>&1 &
tidy=$!
trap 'kill -- -"$tidy" 2>/dev/null || true' EXIT

step vm-test
step check-e2e

printf '==> lint: waiting for clang-tidy (%s)\n' "$(date +%T)"
rc=0
wait "$tidy" || rc=$?
trap - EXIT
cat "$tidy_out"
if [ "$rc" -ne 0 ]; then
	echo "check: clang-tidy failed (exit $rc)" >&2
	exit "$rc"
fi
printf '==> make check passed (%s)\n' "$(date +%T)"
