#!/bin/sh
# The guest environment the other cases rely on: loopback, file limits,
# module tooling (kmod + depmod'ed tree) and the kernel's diag modules.
. /tests/lib.sh

check "loopback is up" sh -c 'ip addr show lo | grep -q "inet 127.0.0.1"'
check "IPv6 loopback is up" sh -c 'ip addr show lo | grep -q "inet6 ::1"'
check "open-file limit is large" test "$(ulimit -n)" -ge 65536
check "modules.dep exists for $(uname -r)" test -s "/lib/modules/$(uname -r)/modules.dep"
check "modprobe tcp_diag (pulls inet_diag)" modprobe tcp_diag
check "inet_diag is loaded" test -d /sys/module/inet_diag
check "rmmod tcp_diag inet_diag" rmmod tcp_diag inet_diag
# (the cases need it: a missing client fails here, it is not skipped)
check "kecho-testclient runs" kecho-testclient --help
for m in kecho drop_tcp_socket; do
	check "$m is installed for $(uname -r)" modinfo -F vermagic "$m"
done
