#!/bin/sh
# Self-test: the canary module WARNs when loaded, then floods the log so
# the WARNING is gone from the dmesg ring by the end of the run. The case
# itself passes; the harness must fail the run on the console's WARNING.
. /tests/lib.sh
check "insmod kecho_canary flood_kib=512 (it WARNs)" \
	insmod /lib/modules/canary/kecho_canary.ko flood_kib=512
check "its filler is in dmesg" sh -c 'dmesg | grep -q "kecho_canary: filler"'
check "rmmod kecho_canary" rmmod kecho_canary
