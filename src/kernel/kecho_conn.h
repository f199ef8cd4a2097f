/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kecho connections: what the connection's lifetime and process-context
 * echo (kecho_conn.c) share with the softirq fast path (kecho_fastpath.c).
 * Private to those two files.
 */
#ifndef KECHO_CONN_H
#define KECHO_CONN_H

#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/net.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/sock.h>

#include "kecho.h"

/* Messages up to this size are echoed from the stack, not a buffer. */
#define KECHO_SMALL_SIZE	512
/*
 * Message mode's inbound queue pauses the parser at this many messages
 * (or KECHO_BUF_SIZE bytes): each queued one is an skb clone, so bound
 * them for tiny messages too.
 */
#define KECHO_MSG_QUEUE_LEN	64

enum {
	KECHO_CONN_CLOSING,	/* being released (io_work or release_work) */
	KECHO_CONN_ABORT,	/* close with a reset, not an orderly FIN */
	KECHO_CONN_IO,		/* io_work or the callback is reading/sending */
	KECHO_CONN_IO_MISSED,	/* io_work found IO taken: rerun it after */
};

struct kecho_msg;
struct kecho_chat;

struct kecho_conn {
	struct socket *sock;
	struct kecho_msg *msg;		/* message mode; NULL for a stream */
	struct list_head node;		/* in kecho_conns */
	struct work_struct io_work;
	struct work_struct release_work;
	unsigned long flags;

	/*
	 * Only the holder of KECHO_CONN_IO touches these (release_work after
	 * cancelling io_work and detaching the callbacks).
	 */
	u8 *buf;			/* NULL while idle */
	unsigned int off;		/* first unsent byte in buf */
	unsigned int len;		/* unsent bytes from off */
	bool eof;			/* peer shut its write side */
	bool draining;			/* our FIN sent, waiting for its ACK */

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
};

/*
 * Bytes waiting in the receive queue. Read without the socket lock, as
 * tcp_poll() does, it is a hint for choosing the path, never trusted for
 * more; under the socket lock (the callback's echo) it is exact.
 */
static inline unsigned int kecho_conn_inq_hint(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return READ_ONCE(tp->rcv_nxt) - READ_ONCE(tp->copied_seq);
}

static inline void kecho_conn_io_end(struct kecho_conn *c)
{
	clear_bit_unlock(KECHO_CONN_IO, &c->flags);
}

/* kecho_fastpath.c */
int kecho_fastpath_init(void);
void kecho_fastpath_exit(void);
bool kecho_conn_echo_in_softirq(struct kecho_conn *c, struct sock *sk);
int kecho_fastpath_send(struct sock *sk, const struct sk_buff *skb,
			int offset, int len);

/* kecho_strp.c: what both message layers do with strparser alike */
struct strparser;
void kecho_strp_sock_setup(struct sock *sk, unsigned int largest,
			   unsigned int timeout);
int kecho_strp_parse_now(struct strparser *strp, struct sock *sk);

/* kecho_zerocopy.c */
int kecho_conn_echo_zerocopy(struct kecho_conn *c);

/* kecho_msg.c: message mode, where the kernel has strparser */
#if KECHO_HAVE_STREAM_PARSER
int kecho_msg_init(void);
void kecho_msg_exit(void);
int kecho_msg_create(struct kecho_conn *c, bool chat);
void kecho_msg_join(struct kecho_msg *m);
void kecho_msg_data_ready(struct kecho_msg *m);
void kecho_msg_stop(struct kecho_msg *m);
void kecho_msg_done(struct kecho_msg *m);
bool kecho_msg_pending(const struct kecho_msg *m);
void kecho_msg_free(struct kecho_msg *m);
int kecho_msg_do_io(struct kecho_conn *c, unsigned int budget);

/* kecho_chat.c: chat mode, on top of message mode's framing */
int kecho_chat_init(void);
void kecho_chat_exit(void);
struct kecho_chat *kecho_chat_create(struct kecho_conn *c);
void kecho_chat_join(struct kecho_chat *cl);
void kecho_chat_leave(struct kecho_chat *cl);
void kecho_chat_free(struct kecho_chat *cl);
void kecho_chat_stamp(struct kecho_chat *cl, unsigned int queued);
unsigned int kecho_chat_take_stamps(struct kecho_chat *cl, u64 *stamps);
int kecho_chat_relay(struct kecho_chat *cl, struct sk_buff_head *msgs,
		     const u64 *stamps, unsigned int nr);
int kecho_chat_flush(struct kecho_chat *cl, unsigned int *budget);
#else
/* mode=message is refused at the parameter: no conn ever has c->msg. */
static inline int kecho_msg_init(void) { return 0; }
static inline void kecho_msg_exit(void) { }
static inline int kecho_msg_create(struct kecho_conn *c, bool chat)
{
	return -EOPNOTSUPP;
}

static inline void kecho_msg_join(struct kecho_msg *m) { }
static inline void kecho_msg_data_ready(struct kecho_msg *m) { }
static inline void kecho_msg_stop(struct kecho_msg *m) { }
static inline void kecho_msg_done(struct kecho_msg *m) { }
static inline bool kecho_msg_pending(const struct kecho_msg *m) { return false; }
static inline void kecho_msg_free(struct kecho_msg *m) { }
static inline int kecho_msg_do_io(struct kecho_conn *c, unsigned int budget)
{
	return -EOPNOTSUPP;
}
#endif

#endif /* KECHO_CONN_H */
