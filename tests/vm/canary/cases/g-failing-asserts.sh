#!/bin/sh
# Self-test: every assertion of the shared TAP library (tests/lib/tap.sh)
# reports a failure when it should: each of the 7 test points here must be
# "not ok", and the case must exit 1 (it had failures).
. /tests/lib.sh
check "check: a failing command" false
check_fails "check_fails: a succeeding command" true
check_errno "check_errno: another error than the one expected" ECONNREFUSED cat /nonexistent
check_eq "check_eq: different strings" same other
check_le "check_le: 2 <= 1" 2 1
check "wait_for: a condition that stays false" wait_for false 1
fail "fail: by hand"
