# Guest-side helper for the benchmark cases (busybox sh), installed as
# /tests/perf-lib.sh: where the guest's CPU goes while a load runs, from
# perf (linux-perf, installed from the host when it has it), and the
# "# bench-info:" line each case starts with. Sourced after /tests/lib.sh.

# bench_info [KEY=VALUE...]: print the run's "# bench-info:" line (the guest
# and how it keeps time; ICOUNT comes from tests/bench/run --icount through
# /tests/bench.conf), with the case's own fields after it.
bench_info() {
	echo "# bench-info: kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo)" \
		"cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1 | tr ' ,' '__')" \
		"clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)" \
		"cmdline_tsc=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^tsc=//p' | head -n 1)" \
		"icount=${ICOUNT:-off}" "$@"
}

# perf_sample PREFIX WORKLOAD SERVER TASK: record every CPU for 3 s and print
# "# PREFIX: workload,server,task|symbol|copy,name,%" rows. The caller starts
# the load first and keeps it running for 3 s more than perf needs to start
# (seconds, under TCG). perf samples on the cpu-clock timer (TCG emulates no
# PMU); the task "swapper" is idle time. "copy" is the share of all samples
# spent copying payload (copy_*, memcpy, memmove, rep_movs) in TASK, the
# server's own tasks; "copy-task-total" is TASK's whole share;
# "task-symbol" rows are TASK's 15 hottest symbols.
perf_sample() {
	# Underscored: the caller's own $server and $workload stay as they were.
	_prefix=$1 _workload=$2 _server=$3 _task=$4
	command -v perf >/dev/null || { diag "no perf in the guest: perf profile skipped"; return 0; }
	echo -1 >/proc/sys/kernel/perf_event_paranoid
	echo 0 >/proc/sys/kernel/kptr_restrict
	perf record -a -g -F 250 -o /tmp/perf.data -- sleep 3 >/dev/null 2>&1
	# Tasks by name, without the kworker's CPU and work suffix.
	perf report -i /tmp/perf.data --stdio --no-children -g none --sort comm 2>/dev/null |
		awk -v p="$_prefix" -v w="$_workload" -v s="$_server" '$1 ~ /%$/ && $1 + 0 >= 0.5 {
			c = $2; sub(/\/.*/, "", c); t[c] += $1 + 0
		} END { for (c in t) printf "# %s: %s,%s,task,%s,%.1f\n", p, w, s, c, t[c] }'
	perf report -i /tmp/perf.data --stdio --no-children -g none --sort sym 2>/dev/null |
		awk -v p="$_prefix" -v w="$_workload" -v s="$_server" '$1 ~ /%$/ && n < 12 {
			n++; sym = $0; sub(/^[^]]*\] /, "", sym); gsub(/[, ]+$/, "", sym); gsub(/,/, ";", sym)
			printf "# %s: %s,%s,symbol,%s,%.1f\n", p, w, s, sym, $1 + 0
		}'
	# TASK's symbols, summed over its threads (kworker/0:1, ...): its
	# copies and whole share here, its hottest symbols (sorted) after.
	perf report -i /tmp/perf.data --stdio --no-children -g none --sort comm,sym 2>/dev/null |
		awk -v p="$_prefix" -v w="$_workload" -v s="$_server" -v task="$_task" '$1 ~ /%$/ {
			c = $2; sub(/\/.*/, "", c)
			if (c != task) next
			sym = $0; sub(/^[^]]*\] /, "", sym); gsub(/[, ]+$/, "", sym); gsub(/,/, ";", sym)
			t[sym] += $1
			all += $1
			if (sym ~ /(copy_|memcpy|memmove|rep_movs)/) copy += $1
		} END { printf "# %s: %s,%s,copy,%s,%.2f\n", p, w, s, task, copy + 0
			printf "# %s: %s,%s,copy-task-total,%s,%.2f\n", p, w, s, task, all + 0
			for (sym in t) printf "%.2f %s\n", t[sym], sym >"/tmp/perf.task-syms" }'
	sort -rn /tmp/perf.task-syms 2>/dev/null | head -n 15 |
		while read -r _pct _sym; do
			printf '# %s: %s,%s,task-symbol,%s,%.1f\n' "$_prefix" "$_workload" "$_server" "$_sym" "$_pct"
		done
	# shellcheck disable=SC2086 # one word per symbol
	[ -z "${PERF_UNDER:-}" ] || perf_under "$_prefix" "$_workload" "$_server" "$_task" $PERF_UNDER
	rm -f /tmp/perf.data /tmp/perf.task-syms
}

# perf_under PREFIX WORKLOAD SERVER TASK SYMBOL...: from /tmp/perf.data, for
# each SYMBOL the share of all samples that TASK spent in it or anything it
# called, "# PREFIX: workload,server,under,SYMBOL,%" rows (a sample counts
# once however deep the symbol recurs). Called by perf_sample when
# PERF_UNDER names the symbols. Softirq work is in the call chain of what
# it interrupted: loopback's receive runs under the send that queued it.
perf_under() {
	_prefix=$1 _workload=$2 _server=$3 _task=$4
	shift 4
	perf script -i /tmp/perf.data -F comm,ip,sym 2>/dev/null |
		awk -v p="$_prefix" -v w="$_workload" -v s="$_server" -v task="$_task" -v syms="$*" '
		BEGIN { n = split(syms, want, " "); for (i = 1; i <= n; i++) wanted[want[i]] = 1 }
		# A sample: its task on a line of its own, then a frame a line
		# (address, symbol), then a blank line.
		/^[^\t]/ && NF {
			all++
			c = $0; gsub(/^[ \t]+|[ \t]+$/, "", c); sub(/\/.*/, "", c)
			mine = c == task
			split("", seen)
			next
		}
		mine && ($2 in wanted) && !($2 in seen) { seen[$2] = 1; hit[$2]++ }
		END {
			for (i = 1; i <= n; i++)
				printf "# %s: %s,%s,under,%s,%.2f\n", p, w, s, want[i], all ? 100 * hit[want[i]] / all : 0
		}'
}
