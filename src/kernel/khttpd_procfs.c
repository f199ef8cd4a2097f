// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/khttpd: khttpd's counters, one "name value" per line.
 */
#include <linux/seq_file.h>

#include "khttpd.h"

int khttpd_stats_show(struct seq_file *m, void *v)
{
	u64 sum[KECHO_STAT_NR];

	kecho_stats_sum(sum);
	seq_printf(m, "accepted %llu\n", sum[KECHO_STAT_ACCEPTED]);
	seq_printf(m, "active %u\n", kecho_conns_active());
	seq_printf(m, "refused %llu\n", sum[KECHO_STAT_REFUSED]);
	seq_printf(m, "requests %llu\n", sum[KECHO_STAT_HTTP_REQUESTS]);
	seq_printf(m, "status_2xx %llu\n", sum[KECHO_STAT_HTTP_2XX]);
	seq_printf(m, "status_3xx %llu\n", sum[KECHO_STAT_HTTP_3XX]);
	seq_printf(m, "status_4xx %llu\n", sum[KECHO_STAT_HTTP_4XX]);
	seq_printf(m, "status_5xx %llu\n", sum[KECHO_STAT_HTTP_5XX]);
	seq_printf(m, "bytes_in %llu\n", sum[KECHO_STAT_BYTES_IN]);
	seq_printf(m, "bytes_out %llu\n", sum[KECHO_STAT_BYTES_OUT]);
	seq_printf(m, "file_bytes %llu\n", sum[KECHO_STAT_HTTP_FILE_BYTES]);
	seq_printf(m, "header_timeouts %llu\n",
		   sum[KECHO_STAT_HTTP_HEAD_TIMEOUTS]);
	seq_printf(m, "idle_timeouts %llu\n",
		   sum[KECHO_STAT_HTTP_IDLE_TIMEOUTS]);
	seq_printf(m, "closed_unsent %llu\n", sum[KECHO_STAT_CLOSED_UNSENT]);
	seq_printf(m, "errors %llu\n", sum[KECHO_STAT_ERRORS]);
	seq_printf(m, "accept_backoffs %llu\n",
		   sum[KECHO_STAT_ACCEPT_BACKOFFS]);
	seq_printf(m, "port %u\n", kecho_stats_port());
	return 0;
}
