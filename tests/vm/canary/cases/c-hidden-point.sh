#!/bin/sh
# Self-test: a test point made inside $(...) is counted but never reaches
# the host; the plan (2) then disagrees with what the host saw (1).
. /tests/lib.sh
hidden=$(ok "a test point swallowed by a command substitution")
ok "a visible test point"
