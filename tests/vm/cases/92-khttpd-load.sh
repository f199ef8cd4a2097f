#!/bin/sh
# khttpd under load and through its lifetime: 2,000 keep-alive connections
# held at once and each answered; rmmod while clients keep requests in
# flight (every response that arrived is whole, nothing stays behind), and
# again under Debian's wrk;
# 20 load/unload cycles with requests in each; memory back to the baseline
# after all of it.
. /tests/lib.sh
. /tests/khttpd-lib.sh
require_module khttpd
require_prog kecho-testclient
require_prog wrk

make_www
mem_baseline
# A slow guest (the debug kernel) takes longer than the default
# header_timeout to open 2,000 connections before the first request.
check "load khttpd header_timeout=300 keepalive_timeout=300" \
	khttpd_load header_timeout=300 keepalive_timeout=300

check "2,000 keep-alive connections, 3 requests each, all held open at once" \
	tc http --port $KHTTPD_PORT --conns 2000 --requests 3 --path /a.txt \
	--length 17 --hold-ms 2000 --timeout 240
khttpd_counters
check "... 6,000 answered with 200" test "$(khttpd_counter status_2xx)" -ge 6000
check_eq "... nothing refused" "$(khttpd_counter refused)" 0
check "the connections close once the clients do" wait_for '[ "$(khttpd_counter active)" = 0 ]' 30

# --- rmmod under load: clients keep requesting a 1.3 MB file
before=$(khttpd_counter requests)
tc http --port $KHTTPD_PORT --conns 64 --path /big.txt \
	--length "$(wc -c <$WWW/big.txt)" --until-closed --min-responses 100 --timeout 120 \
	>/tmp/load.out 2>&1 &
client=$!
# Each client connection asks again only once its response is whole, so
# 164 requests parsed on 64 connections mean at least 100 responses
# received: the client's --min-responses holds whatever the timing.
check "requests are flowing" \
	wait_for '[ "$(khttpd_counter requests)" -ge $((before + 164)) ] && [ "$(khttpd_counter active)" -ge 32 ]' 120
check "rmmod khttpd with 64 busy connections" khttpd_unload
wait $client
check_eq "the clients saw every response that arrived whole" $? 0
diag "$(cat /tmp/load.out)"
check "no khttpd slab cache left" sh -c "! grep -q '^khttpd_' /proc/slabinfo"

# --- rmmod under wrk's load: 64 keep-alive connections on two threads
check "load khttpd for wrk" khttpd_load
before=$(khttpd_counter requests)
wrk -t 2 -c 64 -d 20s "http://127.0.0.1:$KHTTPD_PORT/a.txt" >/tmp/wrk.out 2>&1 &
client=$!
check "wrk's requests are flowing" \
	wait_for '[ "$(khttpd_counter requests)" -ge $((before + 1000)) ]' 60
check "rmmod khttpd under wrk's load" khttpd_unload
# wrk sees resets and refused connects from here on, and must still finish.
wait $client
check_eq "wrk ran to its end after the rmmod" $? 0
check "wrk counted the responses it had" grep -Eq '^ +[1-9][0-9]* requests in' /tmp/wrk.out
diag "$(grep -E 'requests in|errors' /tmp/wrk.out)"
check "no khttpd slab cache left after wrk" sh -c "! grep -q '^khttpd_' /proc/slabinfo"

# --- 20 cycles
i=0
ok_cycles=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	khttpd_load >/dev/null 2>&1 &&
		[ "$(status_of "$(get /a.txt)")" = 200 ] &&
		tc http --port $KHTTPD_PORT --conns 20 --requests 2 --path / >/dev/null 2>&1 &&
		khttpd_unload >/dev/null 2>&1 &&
		ok_cycles=$((ok_cycles + 1))
	khttpd_loaded && rmmod khttpd 2>/dev/null
done
check_eq "20 load, serve, unload cycles" $ok_cycles 20
check_mem_baseline
