# shellcheck shell=bash
# Smoke phase: the image boots with systemd and DKMS built kecho.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
check "systemd is PID 1" test "$(cat /proc/1/comm)" = systemd
check "system reached multi-user" systemctl is-active --quiet multi-user.target
diag "kernel $(uname -r)"
diag "$(dkms status 2>/dev/null)"
check "kecho module installed for this kernel" modinfo -n kecho
check "drop_tcp_socket module installed for this kernel" modinfo -n drop_tcp_socket
check "modprobe kecho" modprobe kecho
check "kecho echoes on 12345" echo_ok 12345
check "rmmod kecho" rmmod kecho
