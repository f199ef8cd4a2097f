# What both guest suites (the VM cases' busybox sh, the e2e's bash) use to
# check khttpd: its counters and the parts of a response. Installed beside
# their own libraries (tests/vm/lib/khttpd-lib.sh, the e2e's phase-1.sh).
# A response here has its CRs removed.

# khttpd_counter NAME: its value in /proc/net/khttpd (empty if none)
khttpd_counter() {
	awk -v k="$1" '$1 == k { print $2; exit }' /proc/net/khttpd 2>/dev/null
}

# status_of RESPONSE: the status code of its first status line
status_of() {
	printf '%s\n' "$1" | awk 'NR == 1 { print $2 }'
}

# statuses RESPONSE: every status code in it, in order, space-separated
statuses() {
	printf '%s\n' "$1" | awk '/^HTTP\/1\.1 [0-9][0-9][0-9] / { printf "%s%s", s, $2; s = " " } END { print "" }'
}

# header RESPONSE NAME: the value of the first header NAME (any case)
header() {
	printf '%s\n' "$1" | awk -v n="$2" '
		/^$/ { exit }
		{ i = index($0, ":"); if (tolower(substr($0, 1, i - 1)) == tolower(n)) { v = substr($0, i + 1); sub(/^ */, "", v); print v; exit } }'
}

# body RESPONSE: what follows the first blank line
body() {
	printf '%s\n' "$1" | awk 'f { print } /^$/ { f = 1 }'
}
