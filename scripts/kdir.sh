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

# Newest version first; among equal versions the generic flavour beats
# cloud and rt (6.1.0-56-amd64 over 6.1.0-56-rt-amd64).
newest=$(for d in /lib/modules/*/build; do
	[ -d "$d" ] || continue
	v=$(basename "$(dirname "$d")")
	case $v in
	*-cloud-* | *-rt-*) rank=0 ;;
	*) rank=1 ;;
	esac
	echo "$(echo "$v" | sed -E 's/-(cloud|rt)-/-/') $rank $d"
done | sort -k1,1V -k2,2n | tail -n 1 | cut -d' ' -f3)
if [ -z "$newest" ]; then
	echo "kecho: no kernel headers under /lib/modules; run 'make deps' or pass KDIR=" >&2
	exit 1
fi
echo "kecho: no headers for the running kernel $running;" \
	"using the newest installed: $newest" >&2
echo "$newest"
