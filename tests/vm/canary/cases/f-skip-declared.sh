#!/bin/sh
# Self-test: a declared skip is reported as a skip, not a failure.
# vmtest-skip-ok: the self-test's example of an allowed skip
. /tests/lib.sh
skip_all "declared above"
