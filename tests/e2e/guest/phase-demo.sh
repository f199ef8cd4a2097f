# shellcheck shell=bash
# The demo (make demo): what a person sees after `apt install kecho-dkms
# keechoctl` on Debian: kecho under systemd, echoing, keechoctl status, a
# short benchmark and keechoctl drop at work. Output is for reading.
PORT=12345
B=$'\033[1m' D=$'\033[2m' N=$'\033[0m'
STEP=0
step() {
	STEP=$((STEP + 1))
	printf '\n%s== %d. %s ==%s\n' "$B" "$STEP" "$*" "$N"
}
note() { printf '%s%s%s\n' "$D" "$*" "$N"; }
# show CMD...: print the command as typed, then run it
show() {
	printf '%s# %s%s\n' "$B" "$*" "$N"
	"$@" 2>&1
}
tw_count() { ss -Htan state time-wait "( dport = :$PORT )" | wc -l; }

note "Debian $(cat /etc/debian_version), kernel $(uname -r), systemd $(systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p')"

step "the packages: DKMS built kecho for this kernel"
printf '%s# %s%s\n' "$B" "dkms status" "$N"
dkms status 2>/dev/null # (dkms 3.0.10 complains of a broken pipe on a tty)
show modinfo -F filename kecho

step "kecho under systemd"
show grep '^options' /etc/modprobe.d/kecho.conf
show systemctl enable --now kecho
show systemctl status kecho --no-pager --full --lines=4

step "echoing, from the kernel"
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
for msg in "hello, kernel" "kecho echoes every byte"; do
	printf '%s\n' "$msg" >&3
	read -r -t 5 reply <&3
	printf 'sent %-28s got back: %s\n' "'$msg'" "'$reply'"
done
exec 3>&-
exec 3<>"/dev/tcp/::1/$PORT"
printf 'over IPv6 too\n' >&3
read -r -t 5 reply <&3
printf 'sent %-28s got back: %s\n' "'over IPv6 too' ([::1])" "'$reply'"
exec 3>&-

step "keechoctl status"
show keechoctl status
show keechoctl health

step "a short benchmark"
if command -v kecho-bench >/dev/null; then
	show kecho-bench --mode rr --port "$PORT" --conns 8 --duration 5
else
	note "(kecho-bench is not in this build)"
fi

step "keechoctl drop: TIME_WAIT connections"
note "8 clients connect, echo a line and hang up first, leaving TIME_WAIT behind:"
for i in $(seq 8); do
	exec 3<>"/dev/tcp/127.0.0.1/$PORT"
	printf 'bye %s\n' "$i" >&3
	read -r -t 5 reply <&3
	exec 3>&-
done
for _ in $(seq 50); do # until the eight closes reach TIME_WAIT (10 s at most)
	[ "$(tw_count)" -ge 8 ] && break
	sleep 0.2
done
exec 4<>"/dev/tcp/127.0.0.1/$PORT"
note "one more client stays connected."
show ss -tan "( sport = :$PORT or dport = :$PORT )"
note "TIME_WAIT to port $PORT (these clients, the benchmark's, the daemon's health checks): $(tw_count)"
show keechoctl drop --state TIME_WAIT --port "$PORT"
note "TIME_WAIT to port $PORT now: $(tw_count)"
printf 'still here?\n' >&4
read -r -t 5 reply <&4
note "the connected client still gets its echo: '$reply'"
exec 4>&-

step "stopping"
show systemctl stop kecho
show journalctl -u kecho --no-pager -o short-monotonic --lines=8
test -d /sys/module/kecho && note "kecho is still loaded!" || note "kecho is unloaded."
