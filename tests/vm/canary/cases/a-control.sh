#!/bin/sh
# Self-test control: a case that passes must not be reported as failing.
. /tests/lib.sh
check "true succeeds" true
check_eq "two equal strings" same same
