// SPDX-License-Identifier: GPL-2.0
/*
 * The engine's counters, and the /proc/net file that shows them (kecho's
 * and khttpd's; each module has its own counters and its own show()).
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

u16 kecho_stats_port(void)
{
	return READ_ONCE(kecho_served_port);
}

void kecho_stats_sum(u64 sum[KECHO_STAT_NR])
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

/**
 * kecho_stats_init - allocate the counters and create /proc/net/@name
 * @name: the file's name, the module's
 * @show: what the file shows
 *
 * Return: 0 or -ENOMEM.
 */
int kecho_stats_init(const char *name,
		     int (*show)(struct seq_file *m, void *v))
{
	int cpu;

	kecho_stats = alloc_percpu(struct kecho_pcpu_stats);
	if (!kecho_stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(kecho_stats, cpu)->syncp);

	if (!proc_create_single(name, 0444, init_net.proc_net, show)) {
		pr_err("cannot create /proc/net/%s\n", name);
		free_percpu(kecho_stats);
		return -ENOMEM;
	}
	return 0;
}

void kecho_stats_exit(const char *name)
{
	remove_proc_entry(name, init_net.proc_net);
	free_percpu(kecho_stats);
}
