#!/bin/sh
# Self-test: a skip without a "vmtest-skip-ok" declaration fails the run.
. /tests/lib.sh
skip_all "nothing declared that this case may skip"
