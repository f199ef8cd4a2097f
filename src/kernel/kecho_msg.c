// SPDX-License-Identifier: GPL-2.0
/*
 * kecho's message mode: echo whole length-prefixed messages.
 *
 * A message is a 4-byte length (of the body only; big-endian, or
 * little-endian with msg_order=le), then the body. The kernel's stream
 * parser (net/strparser, the engine under KCM and sockmap) frames them,
 * driven as KCM drives it: data_ready calls strp_data_ready(); parse_msg
 * reads the header at the message's offset; rcv_msg hands over each whole
 * message as an skb chain. kecho queues those and io_work sends each one,
 * header and body, with skb_send_sock_locked(): no copy, and no other
 * message's bytes start before the head one is fully sent. A small message
 * that finds the queue empty is sent at once from softirq instead, as the
 * stream echo does (kecho_fastpath_send()).
 *
 * Backpressure: once KECHO_MSG_QUEUE_BYTES or KECHO_MSG_QUEUE_LEN wait to
 * be echoed, rcv_msg pauses the parser. The rest stays in TCP's receive
 * queue, whose window closes, until io_work has sent the queue and
 * resumes parsing. What a connection holds is therefore bounded: TCP's
 * receive buffer, one message being assembled (at most max_msg + 4) and
 * the queue (below the limits plus one message). docs/ARCHITECTURE.md
 * gives the bound in bytes.
 *
 * Limits: a header announcing more than max_msg ends the connection with
 * a reset (counted as oversize). A message must be complete within
 * msg_timeout seconds of its first byte: strparser's assembly timer,
 * which it arms from sk_rcvtimeo; on expiry the connection is reset
 * (counted in msg_timeouts). Either way the parser stops itself through
 * abort_parser, and io_work ends the connection.
 *
 * Locking: parse_msg, rcv_msg and abort_parser run under the socket's
 * lock: bh_lock_sock with no process owning the socket (data_ready, and
 * io_work's own parse), or lock_sock (strparser's work); io_work sends
 * under lock_sock. So the queue is only touched by the socket lock's
 * holder. The conn's release
 * stops the parser with the callbacks (kecho_msg_stop()) and then waits
 * for its work (kecho_msg_done()) before io_work is cancelled, so nothing
 * can queue io_work after that.
 */
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/preempt.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/strparser.h>

#include "kecho.h"
#include "kecho_conn.h"

/* Echo queue limits that pause the parser: 16 KiB, like a stream buffer. */
#define KECHO_MSG_QUEUE_BYTES	KECHO_BUF_SIZE

struct kecho_msg {
	struct strparser strp;
	struct kecho_conn *conn;
	struct kecho_chat *chat;	/* chat mode: relay, don't echo */
	/* Whole messages waiting to be echoed (relayed), oldest first. */
	struct sk_buff_head queue;
	unsigned int queued;		/* bytes in queue */
	unsigned int sent;		/* bytes of the head message sent */
	int err;			/* why the parser stopped, or 0 */
	u32 announced;			/* body length an oversize header gave */
	bool le;			/* length header is little-endian */
};

static struct kmem_cache *kecho_msg_cache;

static struct kecho_msg *kecho_msg_of(struct strparser *strp)
{
	return container_of(strp, struct kecho_msg, strp);
}

/*
 * The message's total length (header and body) once its header is in,
 * 0 while it is not, -EMSGSIZE past max_msg.
 */
static int kecho_msg_parse(struct strparser *strp, struct sk_buff *skb)
{
	struct kecho_msg *m = kecho_msg_of(strp);
	const struct strp_msg *stm = strp_msg(skb);
	union {
		__be32 be;
		__le32 le;
	} hdr;
	u32 len;

	BUILD_BUG_ON(sizeof(hdr) != KECHO_MSG_HDR);
	if (skb->len - stm->offset < KECHO_MSG_HDR)
		return 0;
	if (skb_copy_bits(skb, stm->offset, &hdr, KECHO_MSG_HDR))
		return -EPROTO;
	len = m->le ? le32_to_cpu(hdr.le) : be32_to_cpu(hdr.be);
	/* Kept for the log, also when strparser finds it too big. */
	m->announced = len;
	if (len > READ_ONCE(kecho_max_msg))
		return -EMSGSIZE;
	return KECHO_MSG_HDR + len;
}

/*
 * Echo a small message from data_ready, in softirq, as the stream echo
 * does (kecho_fastpath.c), when nothing waits before it. True when it went
 * out whole; a part sent is noted in m->sent, and io_work sends the rest.
 */
static bool kecho_msg_echo_in_softirq(struct kecho_msg *m, struct sk_buff *skb)
{
	const struct strp_msg *stm = strp_msg(skb);
	struct sock *sk = m->strp.sk;
	int sent;

	if (!in_serving_softirq() || !skb_queue_empty(&m->queue) ||
	    stm->full_len > KECHO_SMALL_SIZE ||
	    sk->sk_state != TCP_ESTABLISHED ||
	    (sk->sk_shutdown & SEND_SHUTDOWN) || sk->sk_err ||
	    !sk_stream_memory_free(sk))
		return false;
	sent = kecho_fastpath_send(sk, skb, stm->offset, stm->full_len);
	if (sent <= 0)
		return false;
	kecho_stat_add(KECHO_STAT_BYTES_OUT, sent);
	if (sent < stm->full_len) {
		m->sent = sent;
		return false;
	}
	kecho_stat_add(KECHO_STAT_MESSAGES_OUT, 1);
	consume_skb(skb);
	return true;
}

/* A whole message: echo or queue it, and pause parsing past the limits. */
static void kecho_msg_rcv(struct strparser *strp, struct sk_buff *skb)
{
	struct kecho_msg *m = kecho_msg_of(strp);
	unsigned int len = strp_msg(skb)->full_len;

	kecho_stat_add(KECHO_STAT_MESSAGES_IN, 1);
	kecho_stat_add(KECHO_STAT_BYTES_IN, len);
	if (m->chat)
		kecho_chat_stamp(m->chat, skb_queue_len(&m->queue));
	else if (kecho_msg_echo_in_softirq(m, skb))
		return;
	__skb_queue_tail(&m->queue, skb);
	m->queued += len;
	if (m->queued >= KECHO_MSG_QUEUE_BYTES ||
	    skb_queue_len(&m->queue) >= KECHO_MSG_QUEUE_LEN)
		strp_pause(strp);
	queue_work(kecho_wq, &m->conn->io_work);
}

/*
 * An oversize header, a malformed one, or the assembly timer: the parser
 * stops for good and io_work resets the connection. The timer may still
 * fire once after a header error, or after the release stopped the
 * parser (strp_done() waits for it): only the first reason counts.
 */
static void kecho_msg_abort(struct strparser *strp, int err)
{
	struct kecho_msg *m = kecho_msg_of(strp);
	bool stopped = strp->stopped;

	strp_stop(strp);
	if (m->err || stopped)
		return;
	WRITE_ONCE(m->err, err);
	if (err == -EMSGSIZE)
		kecho_stat_add(KECHO_STAT_OVERSIZE, 1);
	else if (err == -ETIMEDOUT)
		kecho_stat_add(KECHO_STAT_MSG_TIMEOUTS, 1);
	queue_work(kecho_wq, &m->conn->io_work);
}

static const struct strp_callbacks kecho_msg_strp_cb = {
	.parse_msg = kecho_msg_parse,
	.rcv_msg = kecho_msg_rcv,
	.abort_parser = kecho_msg_abort,
};


/**
 * kecho_msg_create - frame a new connection's input as messages
 * @c: the connection, its callbacks not attached yet
 * @chat: relay the messages to the room (chat mode) instead of echoing
 *
 * Return: 0 or -ENOMEM.
 */
int kecho_msg_create(struct kecho_conn *c, bool chat)
{
	struct sock *sk = c->sock->sk;
	struct kecho_msg *m;
	int ret;

	m = kmem_cache_zalloc(kecho_msg_cache, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	if (chat) {
		m->chat = kecho_chat_create(c);
		if (!m->chat) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	ret = strp_init(&m->strp, sk, &kecho_msg_strp_cb);
	if (ret)
		goto err_chat;
	m->conn = c;
	m->le = READ_ONCE(kecho_msg_order) == KECHO_ORDER_LE;
	__skb_queue_head_init(&m->queue);
	kecho_strp_sock_setup(sk, KECHO_MSG_HDR + READ_ONCE(kecho_max_msg),
			      READ_ONCE(kecho_msg_timeout));
	c->msg = m;
	return 0;

err_chat:
	if (m->chat)
		kecho_chat_free(m->chat);
err_free:
	kmem_cache_free(kecho_msg_cache, m);
	return ret;
}

/* The connection is ready: a chat client joins the room. */
void kecho_msg_join(struct kecho_msg *m)
{
	if (m->chat)
		kecho_chat_join(m->chat);
}

/* data_ready, with sk_callback_lock held and the socket's lock. */
void kecho_msg_data_ready(struct kecho_msg *m)
{
	strp_data_ready(&m->strp);
}

/* With the callbacks, under sk_callback_lock: no more parsing from here. */
void kecho_msg_stop(struct kecho_msg *m)
{
	strp_stop(&m->strp);
}

/*
 * After kecho_msg_stop(), without the socket's lock: wait for strparser's
 * work and timer, which could still call back, and drop a half-assembled
 * message. A chat client leaves the room, so nobody else can queue its
 * io_work from here on.
 */
void kecho_msg_done(struct kecho_msg *m)
{
	strp_done(&m->strp);
	if (m->chat)
		kecho_chat_leave(m->chat);
}

/* Messages received and not (wholly) echoed. */
bool kecho_msg_pending(const struct kecho_msg *m)
{
	return !skb_queue_empty(&m->queue);
}

/* The end of a connection's messages, once nothing can call back. */
void kecho_msg_free(struct kecho_msg *m)
{
	if (m->queued)
		kecho_stat_add(KECHO_STAT_DROPPED, m->queued - m->sent);
	__skb_queue_purge(&m->queue);
	if (m->chat)
		kecho_chat_free(m->chat);
	kmem_cache_free(kecho_msg_cache, m);
}

/* Say who sent an oversize header: rate-limited, it is the peer's doing. */
static void kecho_msg_log_oversize(struct kecho_conn *c)
{
	struct sockaddr_storage peer;

	if (kernel_getpeername(c->sock, (struct sockaddr *)&peer) < 0)
		peer.ss_family = AF_UNSPEC;
	pr_warn_ratelimited("%pISpc: message of %u bytes is over max_msg (%u): connection reset\n",
			    &peer, c->msg->announced, READ_ONCE(kecho_max_msg));
}

/*
 * Send queued messages, oldest first, as far as the socket takes them.
 * Returns 0 once the queue is empty, -EAGAIN when the socket is full
 * (write_space queues io_work again), -EINPROGRESS when @budget is spent,
 * or the send's error.
 */
static int kecho_msg_send_queue(struct kecho_msg *m, struct sock *sk,
				unsigned int *budget)
{
	struct sk_buff *skb;
	int ret;

	while ((skb = skb_peek(&m->queue))) {
		const struct strp_msg *stm = strp_msg(skb);

		if (!*budget)
			return -EINPROGRESS;
		(*budget)--;
		ret = skb_send_sock_locked(sk, skb, stm->offset + m->sent,
					   stm->full_len - m->sent);
		if (ret <= 0)
			return ret ? ret : -EAGAIN;
		kecho_stat_add(KECHO_STAT_BYTES_OUT, ret);
		m->sent += ret;
		if (m->sent < stm->full_len)
			continue;	/* the next send finds the socket full */
		__skb_unlink(skb, &m->queue);
		m->queued -= stm->full_len;
		m->sent = 0;
		consume_skb(skb);
		kecho_stat_add(KECHO_STAT_MESSAGES_OUT, 1);
	}
	return 0;
}

/*
 * Parse what waits, here and now (kecho_strp_parse_now()). Returns whether
 * the echo queue has messages, or -EBUSY when strparser's work owns the
 * socket. A message framed meanwhile by softirq queues io_work itself.
 */
static int kecho_msg_parse_now(struct kecho_msg *m, struct sock *sk)
{
	int ret = kecho_strp_parse_now(&m->strp, sk);

	return ret ?: !skb_queue_empty_lockless(&m->queue);
}

/*
 * io_work in chat mode: write what the room queued for this client, relay
 * what it sent, parse more; a FIN means it leaves. Returns as
 * kecho_msg_do_io().
 */
static int kecho_msg_chat_io(struct kecho_msg *m, struct sock *sk,
			     unsigned int budget)
{
	u64 stamps[KECHO_MSG_QUEUE_LEN];
	struct sk_buff_head msgs;
	unsigned int nr;
	int ret;

	__skb_queue_head_init(&msgs);
	for (;;) {
		if (!budget)
			return -EINPROGRESS;
		budget--;
		/* A full socket (-EAGAIN) must not keep us from relaying. */
		ret = kecho_chat_flush(m->chat, &budget);
		if (ret && ret != -EAGAIN)
			return ret;

		/* A receiver's run mostly finds nothing to relay: no lock. */
		if (!skb_queue_empty_lockless(&m->queue)) {
			lock_sock(sk);
			skb_queue_splice_init(&m->queue, &msgs);
			nr = kecho_chat_take_stamps(m->chat, stamps);
			m->queued = 0;
			release_sock(sk);
			ret = kecho_chat_relay(m->chat, &msgs, stamps, nr);
			if (ret)
				return ret;
		}

		ret = READ_ONCE(m->err) ?: -READ_ONCE(sk->sk_err);
		if (ret)
			return ret;
		/*
		 * Nothing in TCP's queue and the parser running: whatever
		 * arrives calls data_ready (or strparser's work), which
		 * queues io_work for each message. Only a paused parser or
		 * the FIN needs us to look.
		 */
		if (!READ_ONCE(m->strp.paused) &&
		    skb_queue_empty_lockless(&sk->sk_receive_queue) &&
		    !(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
			return -EAGAIN;
		ret = kecho_msg_parse_now(m, sk);
		if (ret > 0)
			continue;
		if (ret == -EBUSY)
			return -EINPROGRESS;
		if (!(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
			return -EAGAIN;
		/* The client's FIN: it leaves; what it was sent is its own. */
		kecho_chat_leave(m->chat);
		return 0;
	}
}

/**
 * kecho_msg_do_io - io_work's echo in message mode
 * @c: the connection; io_work holds KECHO_CONN_IO
 * @budget: socket operations allowed in this run
 *
 * Return: as kecho_conn_do_io(): -EAGAIN (idle), -EINPROGRESS (budget
 * spent, or strparser's work is busy: run again), 0 (the peer shut its
 * write side and every whole message was echoed; a partial one is
 * dropped) or the error that ends the connection.
 */
int kecho_msg_do_io(struct kecho_conn *c, unsigned int budget)
{
	struct kecho_msg *m = c->msg;
	struct sock *sk = c->sock->sk;
	int ret;

	if (m->chat) {
		ret = kecho_msg_chat_io(m, sk, budget);
		goto out;
	}
	for (;;) {
		lock_sock(sk);
		ret = kecho_msg_send_queue(m, sk, &budget);
		release_sock(sk);
		if (ret)
			break;
		ret = READ_ONCE(m->err) ?: -READ_ONCE(sk->sk_err);
		if (ret)
			break;
		/*
		 * Queue empty: parse what waits. This also catches input
		 * whose data_ready found the socket owned (strparser then
		 * defers to its work) before a FIN is taken for the end.
		 */
		ret = kecho_msg_parse_now(m, sk);
		if (ret > 0)
			continue;
		if (ret == -EBUSY)
			ret = -EINPROGRESS;
		else
			ret = READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN ?
			      0 : -EAGAIN;
		break;
	}

out:
	if (ret == -EMSGSIZE)
		kecho_msg_log_oversize(c);
	return ret;
}

int kecho_msg_init(void)
{
	int ret;

	kecho_msg_cache = KMEM_CACHE(kecho_msg, 0);
	if (!kecho_msg_cache)
		return -ENOMEM;
	ret = kecho_chat_init();
	if (ret)
		kmem_cache_destroy(kecho_msg_cache);
	return ret;
}

void kecho_msg_exit(void)
{
	kecho_chat_exit();
	kmem_cache_destroy(kecho_msg_cache);
}
