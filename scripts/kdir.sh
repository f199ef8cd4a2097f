#!/bin/sh
# Print the kernel build directory to compile the modules against:
# the running kernel's headers when installed, else the newest installed.
# The choice is reported on stderr so `make modules` says which it used.
set -eu

running=$(cat /proc/sys/kernel/osrelease)
if [ -d "/lib/modules/$running/build" ]; then
	echo "kecho: building for the running kernel $running" >&2
	echo "/lib/modules/$running/build"
	exit 0
fi

newest=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$newest" ]; then
	echo "kecho: no kernel headers under /lib/modules; run 'make deps' or pass KDIR=" >&2
	exit 1
fi
echo "kecho: no headers for the running kernel $running;" \
	"using the newest installed: $newest" >&2
echo "$newest"
