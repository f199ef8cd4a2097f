// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/kecho: kecho's counters and gauges, one "name value" per line.
 * keechoctl reads it; docs/ARCHITECTURE.md lists the names.
 */
#include <linux/seq_file.h>

#include "kecho.h"

int kecho_stats_show(struct seq_file *m, void *v)
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
	seq_printf(m, "port %u\n", kecho_stats_port());
	return 0;
}
