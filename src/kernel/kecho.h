/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kecho: an event-driven in-kernel TCP echo server.
 *
 * Shared declarations between the parts of the module:
 *   kecho_main.c     parameters, module init/exit, the workqueue
 *   kecho_listener.c the listening socket, accept work, rebinding
 *   kecho_conn.c     per-connection state, io_work, callbacks, release
 *   kecho_fastpath.c the echo in data_ready, in softirq (kecho_conn.h is
 *                    what it and kecho_zerocopy.c share with kecho_conn.c)
 *   kecho_zerocopy.c bulk echo in io_work, the received pages sent back
 *   kecho_msg.c      message mode: strparser frames, whole-message echo
 *   kecho_chat.c     chat mode: the room, relaying messages to everyone
 *   kecho_stats.c    per-CPU counters, and the /proc/net file for them
 *   kecho_procfs.c   what /proc/net/kecho shows
 * docs/ARCHITECTURE.md describes who owns which object.
 *
 * The engine (listener, conn, fastpath, zerocopy, stats) is also built
 * into khttpd.ko (khttpd_engine.c), which gives the conn its own message
 * layer: each module defines the engine's globals below for itself.
 */
#ifndef KECHO_H
#define KECHO_H

#include <linux/socket.h>
#include <linux/types.h>

struct seq_file;
struct socket;
struct workqueue_struct;
struct kecho_listener;

/* Bytes a connection may hold between receiving and echoing them. */
#define KECHO_BUF_SIZE		(16 * 1024)

/*
 * Message mode is built where the kernel has its stream parser, unless
 * Kbuild was told to build as if it had none (KECHO_NO_STREAM_PARSER).
 */
#if IS_ENABLED(CONFIG_STREAM_PARSER) && !defined(KECHO_NO_STREAM_PARSER)
#define KECHO_HAVE_STREAM_PARSER	1
#else
#define KECHO_HAVE_STREAM_PARSER	0
#endif

/* Message mode's frame: this many bytes of length, then the body. */
#define KECHO_MSG_HDR		4
/* The largest max_msg allowed. */
#define KECHO_MSG_MAX		(16 * 1024 * 1024)

enum kecho_mode {
	KECHO_MODE_STREAM,
	KECHO_MODE_MESSAGE,
	KECHO_MODE_CHAT,
};

enum kecho_order {
	KECHO_ORDER_BE,
	KECHO_ORDER_LE,
};

/* kecho_main.c */
extern struct workqueue_struct *kecho_wq;
extern unsigned int kecho_max_conns;
extern unsigned int kecho_keepalive;
extern unsigned int kecho_user_timeout;
extern unsigned int kecho_mode;
extern unsigned int kecho_max_msg;
extern unsigned int kecho_msg_order;
extern unsigned int kecho_msg_timeout;
extern unsigned int kecho_chat_queue;
extern unsigned int kecho_chat_echo;
extern unsigned int kecho_chat_split;

/* kecho_listener.c */
int kecho_addr_parse(const char *bind, struct sockaddr_storage *addr);
struct kecho_listener *kecho_listener_start(const struct sockaddr_storage *addr,
					    u16 port, unsigned int backlog);
int kecho_listener_set_backlog(struct kecho_listener *l, unsigned int backlog);
u16 kecho_listener_port(const struct kecho_listener *l);
void kecho_listener_stop(struct kecho_listener *l, bool adopt);

/* kecho_conn.c */
int kecho_conns_init(void);
void kecho_conns_exit(void);
int kecho_conn_create(struct socket *sock);
unsigned int kecho_conns_active(void);
void kecho_conns_close_all(void);

/* kecho_stats.c */
enum kecho_stat {
	KECHO_STAT_ACCEPTED,
	KECHO_STAT_REFUSED,
	KECHO_STAT_BYTES_IN,
	KECHO_STAT_BYTES_OUT,
	KECHO_STAT_ERRORS,
	KECHO_STAT_DROPPED,	/* buffered bytes discarded at close */
	KECHO_STAT_CLOSED_UNSENT, /* connections closed before their echo */
	KECHO_STAT_ACCEPT_BACKOFFS, /* accept failures that paused accepting */
	KECHO_STAT_MESSAGES_IN,	/* whole messages received (message mode) */
	KECHO_STAT_MESSAGES_OUT, /* whole messages echoed */
	KECHO_STAT_OVERSIZE,	/* connections reset for a header over max_msg */
	KECHO_STAT_MSG_TIMEOUTS, /* connections reset for a stalled message */
	KECHO_STAT_CHAT_DELIVERED, /* messages wholly written to a receiver */
	KECHO_STAT_SLOW_DROPPED, /* chat clients reset for a full queue */
	KECHO_STAT_RELAYED,	/* bytes received and relayed to the room */
	KECHO_STAT_CHAT_BYTES_OUT, /* bytes written from chat queues */
	KECHO_STAT_ZEROCOPY,	/* bytes echoed by sending received pages */
	/* khttpd's: requests answered, by status class, and timeouts */
	KECHO_STAT_HTTP_REQUESTS,
	KECHO_STAT_HTTP_2XX,
	KECHO_STAT_HTTP_3XX,
	KECHO_STAT_HTTP_4XX,
	KECHO_STAT_HTTP_5XX,
	KECHO_STAT_HTTP_HEAD_TIMEOUTS,	/* 408: a head or body too slow */
	KECHO_STAT_HTTP_IDLE_TIMEOUTS,	/* keep-alive connections closed */
	KECHO_STAT_HTTP_FILE_BYTES,	/* file bytes sent from the page cache */
	KECHO_STAT_NR
};

void kecho_stat_add(enum kecho_stat stat, unsigned long n);

/* kecho_chat.c: the room's gauges */
#if KECHO_HAVE_STREAM_PARSER
unsigned int kecho_chat_clients(void);
unsigned long kecho_chat_queued(void);
unsigned long kecho_chat_bodies(void);
#else
static inline unsigned int kecho_chat_clients(void) { return 0; }
static inline unsigned long kecho_chat_queued(void) { return 0; }
static inline unsigned long kecho_chat_bodies(void) { return 0; }
#endif

void kecho_stats_set_port(u16 port);
u16 kecho_stats_port(void);
void kecho_stats_sum(u64 sum[KECHO_STAT_NR]);
int kecho_stats_init(const char *name,
		     int (*show)(struct seq_file *m, void *v));
void kecho_stats_exit(const char *name);

/* kecho_procfs.c */
int kecho_stats_show(struct seq_file *m, void *v);

#endif /* KECHO_H */
