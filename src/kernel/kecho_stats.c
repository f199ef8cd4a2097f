// SPDX-License-Identifier: GPL-2.0
/*
 * kecho counters and /proc/net/kecho.
 *
 * Event counters are per-CPU (u64_stats) so the data path never bounces a
 * shared cache line; readers sum them. "buffered" is derived rather than
 * kept: bytes received minus bytes echoed minus bytes discarded at close,
 * which is exactly what the per-connection buffers hold when the counters
 * are quiescent.
 */
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/u64_stats_sync.h>
#include <net/net_namespace.h>

#include "kecho.h"

struct kecho_pcpu_stats {
	u64_stats_t v[KECHO_STAT_NR];
	struct u64_stats_sync syncp;
};

static struct kecho_pcpu_stats __percpu *kecho_stats;
static u16 kecho_served_port;

/*
 * From the workqueue and from softirq (the callback's echo), so a writer
 * may be interrupted by another on its CPU: the irqsave variant, which
 * costs nothing where 64-bit counters are atomic.
 */
void kecho_stat_add(enum kecho_stat stat, unsigned long n)
{
	struct kecho_pcpu_stats *s = get_cpu_ptr(kecho_stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->v[stat], n);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(kecho_stats);
}

void kecho_stats_set_port(u16 port)
{
	WRITE_ONCE(kecho_served_port, port);
}

static void kecho_stats_sum(u64 sum[KECHO_STAT_NR])
{
	int cpu, i;

	memset(sum, 0, sizeof(u64) * KECHO_STAT_NR);
	for_each_possible_cpu(cpu) {
		const struct kecho_pcpu_stats *s = per_cpu_ptr(kecho_stats, cpu);
		u64 v[KECHO_STAT_NR];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < KECHO_STAT_NR; i++)
				v[i] = u64_stats_read(&s->v[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));

		for (i = 0; i < KECHO_STAT_NR; i++)
			sum[i] += v[i];
	}
}

static int kecho_stats_show(struct seq_file *m, void *v)
{
	u64 sum[KECHO_STAT_NR];
	u64 gone;

	kecho_stats_sum(sum);
	/*
	 * Summed without a global snapshot: never report a negative level.
	 * Chat input is done with once relayed; its output is counted in
	 * queued_bytes instead.
	 */
	gone = sum[KECHO_STAT_BYTES_OUT] - sum[KECHO_STAT_CHAT_BYTES_OUT] +
	       sum[KECHO_STAT_RELAYED] + sum[KECHO_STAT_DROPPED];

	seq_printf(m, "accepted %llu\n", sum[KECHO_STAT_ACCEPTED]);
	seq_printf(m, "active %u\n", kecho_conns_active());
	seq_printf(m, "refused %llu\n", sum[KECHO_STAT_REFUSED]);
	seq_printf(m, "bytes_in %llu\n", sum[KECHO_STAT_BYTES_IN]);
	seq_printf(m, "bytes_out %llu\n", sum[KECHO_STAT_BYTES_OUT]);
	seq_printf(m, "errors %llu\n", sum[KECHO_STAT_ERRORS]);
	seq_printf(m, "buffered %llu\n",
		   sum[KECHO_STAT_BYTES_IN] > gone ?
		   sum[KECHO_STAT_BYTES_IN] - gone : 0);
	seq_printf(m, "bytes_zerocopy %llu\n", sum[KECHO_STAT_ZEROCOPY]);
	seq_printf(m, "closed_unsent %llu\n", sum[KECHO_STAT_CLOSED_UNSENT]);
	seq_printf(m, "accept_backoffs %llu\n",
		   sum[KECHO_STAT_ACCEPT_BACKOFFS]);
	seq_printf(m, "messages_in %llu\n", sum[KECHO_STAT_MESSAGES_IN]);
	seq_printf(m, "messages_out %llu\n", sum[KECHO_STAT_MESSAGES_OUT]);
	seq_printf(m, "oversize %llu\n", sum[KECHO_STAT_OVERSIZE]);
	seq_printf(m, "msg_timeouts %llu\n", sum[KECHO_STAT_MSG_TIMEOUTS]);
	seq_printf(m, "chat_clients %u\n", kecho_chat_clients());
	seq_printf(m, "chat_delivered %llu\n", sum[KECHO_STAT_CHAT_DELIVERED]);
	seq_printf(m, "slow_dropped %llu\n", sum[KECHO_STAT_SLOW_DROPPED]);
	seq_printf(m, "queued_bytes %lu\n", kecho_chat_queued());
	seq_printf(m, "chat_body_bytes %lu\n", kecho_chat_bodies());
	seq_printf(m, "port %u\n", READ_ONCE(kecho_served_port));
	return 0;
}

int kecho_stats_init(void)
{
	int cpu;

	kecho_stats = alloc_percpu(struct kecho_pcpu_stats);
	if (!kecho_stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(kecho_stats, cpu)->syncp);

	if (!proc_create_single("kecho", 0444, init_net.proc_net,
				kecho_stats_show)) {
		pr_err("cannot create /proc/net/kecho\n");
		free_percpu(kecho_stats);
		return -ENOMEM;
	}
	return 0;
}

void kecho_stats_exit(void)
{
	remove_proc_entry("kecho", init_net.proc_net);
	free_percpu(kecho_stats);
}
