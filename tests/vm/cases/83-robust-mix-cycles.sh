#!/bin/sh
# Robustness 4: for 60 s a seeded random mix of good, slow, resetting and
# vanishing clients (50 at a time, IPv4 and IPv6), while kecho is unloaded
# and loaded again every 2-5 s. /tmp/kecho.gen says "N up" while the N-th
# load serves and "N down" from just before its unload: a good or slow
# client that saw the same "N up" when it started and when it ended was
# served by one load throughout and must have got an exact echo. Clients
# cut by an unload (EOF, RST, refused) are counted apart, never as
# corruption; corruption (any received byte differing from what was sent)
# fails the case whenever it happens. Every unload must destroy kecho's
# slab caches, i.e. find no connection or buffer object left in them. The
# seed is printed (diag line).
# vmtest-timeout: 300
. /tests/lib.sh
require_module kecho
require_prog kecho-testclient

set_gen() { echo "$1" >/tmp/kecho.gen.new && mv /tmp/kecho.gen.new /tmp/kecho.gen; }

SEED=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
diag "seed $SEED (cycle lengths and both clients' mixes derive from it)"
mem_baseline

set_gen "0 down"
MIX=good=3,slow=1,reset=1,vanish=1
tc chaos --seconds 60 --parallel 30 --mix $MIX --size 64k --vanish-size 512k \
	--gen-file /tmp/kecho.gen --seed "$SEED" --timeout 30 --min-good 50 >/tmp/chaos4.out 2>&1 &
c4=$!
tc chaos --seconds 60 --parallel 20 --mix $MIX --size 64k --vanish-size 512k \
	--gen-file /tmp/kecho.gen --seed "$((SEED + 1))" --timeout 30 --min-good 20 \
	--family 6 >/tmp/chaos6.out 2>&1 &
c6=$!

# Up for 2-5 s, down for 0-1 s, seeded.
awk -v s="$SEED" 'BEGIN { srand(s); for (i = 0; i < 40; i++)
	printf "%d.%d %d.%d\n", 2 + int(rand() * 3), int(rand() * 10), 0, int(rand() * 10) }' >/tmp/cycles
gen=0
bad=0
while read -r up down; do
	kill -0 $c4 2>/dev/null || kill -0 $c6 2>/dev/null || break
	gen=$((gen + 1))
	if ! kecho_load </dev/null >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $gen: load failed: $(cat /tmp/cycle.out)"
		kecho_unload >/dev/null 2>&1
		continue
	fi
	set_gen "$gen up"
	sleep "$up"
	set_gen "$gen down"
	if ! kecho_unload >/tmp/cycle.out 2>&1; then
		bad=$((bad + 1))
		diag "cycle $gen: unload failed: $(cat /tmp/cycle.out)"
	elif ! kecho_caches_gone; then
		bad=$((bad + 1))
		diag "cycle $gen: kecho's caches outlived the unload: $(grep '^kecho_' /proc/slabinfo)"
	fi
	sleep "$down"
done </tmp/cycles
wait $c4
r4=$?
wait $c6
r6=$?
kecho_loaded && kecho_unload
while read -r l; do diag "$l"; done </tmp/chaos4.out
while read -r l; do diag "$l"; done </tmp/chaos6.out
check_eq "$gen load/unload cycles all succeeded, each unload leaving no object in kecho's caches" $bad 0
check_eq "IPv4 mix: no corruption, every protected client exact" $r4 0
check_eq "IPv6 mix: no corruption, every protected client exact" $r6 0
check "kecho is not loaded" test ! -d /sys/module/kecho
check "kecho's caches are destroyed" kecho_caches_gone
check_mem_baseline
