// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd's message layer: each kecho conn in khttpd.ko carries one of
 * these (kecho_conn.h's kecho_msg_* interface, which kecho_msg.c
 * implements for kecho's echo and chat).
 *
 * Requests are framed by the kernel's stream parser, driven as kecho's
 * message mode drives it: parse_msg runs the request parser
 * (khttpd_parse.c) over the head, and a request is the head plus the
 * body its Content-Length announces (read and discarded; past
 * KHTTPD_BODY_MAX the request gets 413). rcv_msg queues each whole
 * request; io_work answers them oldest first, one response at a time,
 * so pipelined requests are answered in order. A request the parser
 * refuses stops the parser (abort_parser): io_work answers the requests
 * before it, then the error (400, 408, 413, 414, 431, 501, 505), then
 * closes.
 *
 * Timeouts: the head (and body) of a request must arrive within
 * header_timeout of its first byte: strparser's assembly timer, armed
 * from sk_rcvtimeo, answers 408. A connection idle between requests
 * (or silent from the start) is closed after keepalive_timeout (or
 * header_timeout) by idle_work, which io_work re-arms each time it goes
 * idle. A closing connection lingers (khttpd_linger()): our FIN goes out
 * and what still comes is dropped for up to KHTTPD_LINGER_SECS.
 *
 * Backpressure: once KHTTPD_QUEUE_LEN requests wait, rcv_msg pauses the
 * parser and TCP's window closes, until io_work has answered them.
 *
 * Locking: as in kecho_msg.c, parse_msg, rcv_msg and abort_parser run
 * under the socket's lock, and io_work takes the queue under it.
 */
#include <linux/errno.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/strparser.h>
#include <net/tcp.h>

#include "khttpd.h"
#include "kecho_conn.h"

/* Whole requests queued before the parser pauses. */
#define KHTTPD_QUEUE_LEN	16
/* A closing connection reads and drops this long, and this much, at most. */
#define KHTTPD_LINGER_SECS	5
#define KHTTPD_LINGER_BYTES	(1024 * 1024)

struct kecho_msg {
	struct strparser strp;
	struct kecho_conn *conn;
	struct sk_buff_head queue;	/* whole requests, oldest first */
	struct khttpd_resp *resp;	/* being sent; io_work's alone */
	struct khttpd_request *req;	/* io_work's; NULL while idle */
	struct delayed_work idle_work;
	unsigned int queued;		/* bytes in queue */
	unsigned int answered;		/* requests answered so far */
	int status;			/* the refused request's answer, or 0 */
	bool refused_head;		/* and it was a HEAD request */
	bool idle;			/* idle_work ran: close if still idle */
	bool closing;			/* answered "Connection: close" */
	bool lingering;			/* our FIN sent, reading to drop */
	unsigned int lingered;		/* bytes dropped since */
};

/*
 * The parser's scratch, one per CPU, used with bottom halves off: the
 * head, linear, and what parse_msg made of it.
 */
struct khttpd_scratch {
	char head[KHTTPD_HEAD_MAX];
	struct khttpd_request req;
};

static struct kmem_cache *khttpd_msg_cache;
static struct kmem_cache *khttpd_req_cache;
static struct khttpd_scratch __percpu *khttpd_scratch;

static struct kecho_msg *khttpd_msg_of(struct strparser *strp)
{
	return container_of(strp, struct kecho_msg, strp);
}

/*
 * The request's length, head and body, once its head is in; 0 while it
 * is not. A request the parser refuses stops the parser: its status is
 * kept for io_work to answer.
 */
static int khttpd_msg_parse(struct strparser *strp, struct sk_buff *skb)
{
	struct kecho_msg *m = khttpd_msg_of(strp);
	unsigned int offset = strp_msg(skb)->offset;
	unsigned int len = min_t(unsigned int, skb->len - offset,
				 KHTTPD_HEAD_MAX);
	struct khttpd_scratch *s;
	bool head_only;
	u64 body;
	int ret;

	/* In softirq, or in strparser's work under lock_sock. */
	local_bh_disable();
	s = this_cpu_ptr(khttpd_scratch);
	ret = -400;
	if (!skb_copy_bits(skb, offset, s->head, len))
		ret = khttpd_parse_request(s->head, len, &s->req);
	body = s->req.has_content_length ? s->req.content_length : 0;
	head_only = s->req.method == KHTTPD_METHOD_HEAD;
	local_bh_enable();

	if (ret > 0 && body > KHTTPD_BODY_MAX)
		ret = -413;
	if (ret < 0) {
		m->status = -ret;
		m->refused_head = ret == -413 && head_only;
		return -EPROTO;
	}
	return ret ? ret + body : 0;
}

/* A whole request: queue it, and pause parsing past the limit. */
static void khttpd_msg_rcv(struct strparser *strp, struct sk_buff *skb)
{
	struct kecho_msg *m = khttpd_msg_of(strp);
	unsigned int len = strp_msg(skb)->full_len;

	kecho_stat_add(KECHO_STAT_BYTES_IN, len);
	__skb_queue_tail(&m->queue, skb);
	m->queued += len;
	if (skb_queue_len(&m->queue) >= KHTTPD_QUEUE_LEN)
		strp_pause(strp);
	queue_work(kecho_wq, &m->conn->io_work);
}

/*
 * The parser refused a request (m->status is set), or the assembly timer
 * ran out (408), or the request outgrew the receive buffer: the parser
 * stops for good and io_work answers and closes. Only the first reason
 * counts.
 */
static void khttpd_msg_abort(struct strparser *strp, int err)
{
	struct kecho_msg *m = khttpd_msg_of(strp);
	bool stopped = strp->stopped;

	strp_stop(strp);
	if (stopped)
		return;
	if (!m->status) {
		if (err == -ETIMEDOUT) {
			m->status = 408;
			kecho_stat_add(KECHO_STAT_HTTP_HEAD_TIMEOUTS, 1);
		} else {
			m->status = err == -EMSGSIZE ? 413 : 400;
		}
	}
	queue_work(kecho_wq, &m->conn->io_work);
}

static const struct strp_callbacks khttpd_strp_cb = {
	.parse_msg = khttpd_msg_parse,
	.rcv_msg = khttpd_msg_rcv,
	.abort_parser = khttpd_msg_abort,
};

/* keepalive_timeout (or header_timeout) ran out: io_work decides. */
static void khttpd_idle_work(struct work_struct *work)
{
	struct kecho_msg *m = container_of(to_delayed_work(work),
					   struct kecho_msg, idle_work);

	WRITE_ONCE(m->idle, true);
	queue_work(kecho_wq, &m->conn->io_work);
}


/**
 * kecho_msg_create - frame a new connection's input as HTTP requests
 * @c: the connection, its callbacks not attached yet
 * @chat: unused (kecho's chat mode)
 *
 * Return: 0 or -ENOMEM.
 */
int kecho_msg_create(struct kecho_conn *c, bool chat)
{
	struct sock *sk = c->sock->sk;
	struct kecho_msg *m;
	int ret;

	m = kmem_cache_zalloc(khttpd_msg_cache, GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	ret = strp_init(&m->strp, sk, &khttpd_strp_cb);
	if (ret) {
		kmem_cache_free(khttpd_msg_cache, m);
		return ret;
	}
	m->conn = c;
	__skb_queue_head_init(&m->queue);
	INIT_DELAYED_WORK(&m->idle_work, khttpd_idle_work);
	/* header_timeout is strparser's assembly timer: 408. */
	kecho_strp_sock_setup(sk, KHTTPD_HEAD_MAX + KHTTPD_BODY_MAX,
			      READ_ONCE(khttpd_header_timeout));
	c->msg = m;
	return 0;
}

void kecho_msg_join(struct kecho_msg *m)
{
}

/* data_ready, with sk_callback_lock held and the socket's lock. */
void kecho_msg_data_ready(struct kecho_msg *m)
{
	if (READ_ONCE(m->lingering))
		queue_work(kecho_wq, &m->conn->io_work);
	else
		strp_data_ready(&m->strp);
}

/* With the callbacks, under sk_callback_lock: no more parsing from here. */
void kecho_msg_stop(struct kecho_msg *m)
{
	strp_stop(&m->strp);
}

/*
 * After kecho_msg_stop(), without the socket's lock: wait for strparser's
 * work and timer and for idle_work, which could still queue io_work.
 */
void kecho_msg_done(struct kecho_msg *m)
{
	strp_done(&m->strp);
	cancel_delayed_work_sync(&m->idle_work);
}

/* Requests received and not (wholly) answered. */
bool kecho_msg_pending(const struct kecho_msg *m)
{
	return m->resp || !skb_queue_empty(&m->queue);
}

/* The end of a connection's requests, once nothing can call back. */
void kecho_msg_free(struct kecho_msg *m)
{
	if (m->resp)
		khttpd_resp_free(m->resp);
	if (m->req)
		kmem_cache_free(khttpd_req_cache, m->req);
	__skb_queue_purge(&m->queue);
	kmem_cache_free(khttpd_msg_cache, m);
}

/* Parse what waits (kecho_strp_parse_now()): whether requests are queued. */
static int khttpd_parse_now(struct kecho_msg *m, struct sock *sk)
{
	int ret = kecho_strp_parse_now(&m->strp, sk);

	return ret ?: !skb_queue_empty_lockless(&m->queue);
}

/*
 * Parse a queued request again into @req (parse_msg's result went with
 * its CPU's scratch): the same bytes give the same answer.
 */
static int khttpd_reparse(struct sk_buff *skb, struct khttpd_request *req)
{
	const struct strp_msg *stm = strp_msg(skb);
	struct khttpd_scratch *s;
	unsigned int len;
	int ret;

	len = min_t(unsigned int, stm->full_len, KHTTPD_HEAD_MAX);
	local_bh_disable();
	s = this_cpu_ptr(khttpd_scratch);
	ret = -400;
	if (!skb_copy_bits(skb, stm->offset, s->head, len))
		ret = khttpd_parse_request(s->head, len, req);
	local_bh_enable();
	return ret;
}

/* The response to the oldest queued request; 0 when none waits. */
static int khttpd_next_request(struct kecho_msg *m, struct sock *sk)
{
	struct sk_buff *skb;
	int ret;

	lock_sock(sk);
	skb = __skb_dequeue(&m->queue);
	if (skb)
		m->queued -= strp_msg(skb)->full_len;
	release_sock(sk);
	if (!skb)
		return 0;
	/* Busy again: the idle timer starts over when this is answered. */
	cancel_delayed_work(&m->idle_work);
	WRITE_ONCE(m->idle, false);

	if (!m->req)
		m->req = kmem_cache_alloc(khttpd_req_cache, GFP_KERNEL);
	if (m->req) {
		ret = khttpd_reparse(skb, m->req);
		if (WARN_ON_ONCE(ret <= 0))
			m->resp = khttpd_resp_error(500, false);
		else
			m->resp = khttpd_resp_answer(m->req);
	}
	consume_skb(skb);
	return m->resp ? 1 : -ENOMEM;
}

/*
 * Nothing to answer and nothing to send: wait for the next request, for
 * at most keepalive_timeout (header_timeout before the first). Returns
 * -EAGAIN, or 0 when the wait is over and the connection should close.
 */
static int khttpd_go_idle(struct kecho_msg *m, struct sock *sk)
{
	unsigned int secs;

	if (m->req) {
		kmem_cache_free(khttpd_req_cache, m->req);
		m->req = NULL;
	}
	if (READ_ONCE(m->idle)) {
		WRITE_ONCE(m->idle, false);
		/* A request begun is the header timeout's to end. */
		if (!m->strp.skb_head && !kecho_conn_inq_hint(sk)) {
			kecho_stat_add(KECHO_STAT_HTTP_IDLE_TIMEOUTS, 1);
			return 0;
		}
	}
	secs = m->answered ? READ_ONCE(khttpd_keepalive_timeout) :
			     READ_ONCE(khttpd_header_timeout);
	mod_delayed_work(kecho_wq, &m->idle_work, (unsigned long)secs * HZ);
	return -EAGAIN;
}

/* tcp_read_sock() actor: drop what came, up to desc->count. */
static int khttpd_drop_actor(read_descriptor_t *desc, struct sk_buff *skb,
			     unsigned int offset, size_t len)
{
	len = min_t(size_t, len, desc->count);
	desc->count -= len;
	return len;
}

/*
 * After a closing connection's last response: our FIN follows it, and
 * what the client still sends (the rest of a refused request, requests
 * after "Connection: close") is read and dropped, as nginx's lingering
 * close does. Releasing a socket with unread data resets the connection,
 * and a reset can make the client's TCP drop our answer before it was
 * read. Until the client's FIN or an error, or KHTTPD_LINGER_BYTES, or
 * KHTTPD_LINGER_SECS (idle_work). Returns 0 when done, else -EAGAIN
 * (data_ready queues io_work while lingering).
 */
static int khttpd_linger(struct kecho_msg *m, struct socket *sock)
{
	struct sock *sk = sock->sk;
	read_descriptor_t desc = { };
	int ret;

	if (!m->lingering) {
		lock_sock(sk);
		strp_stop(&m->strp);
		WRITE_ONCE(m->lingering, true);
		release_sock(sk);
		WRITE_ONCE(m->idle, false);
		mod_delayed_work(kecho_wq, &m->idle_work,
				 KHTTPD_LINGER_SECS * HZ);
		kernel_sock_shutdown(sock, SHUT_WR);
	}
	desc.count = KHTTPD_LINGER_BYTES - m->lingered;
	lock_sock(sk);
	ret = tcp_read_sock(sk, &desc, khttpd_drop_actor);
	release_sock(sk);
	if (ret > 0)
		m->lingered += ret;
	if (ret < 0 || READ_ONCE(m->idle) ||
	    m->lingered >= KHTTPD_LINGER_BYTES || READ_ONCE(sk->sk_err) ||
	    (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;
}

/**
 * kecho_msg_do_io - io_work in khttpd: answer the queued requests
 * @c: the connection; io_work holds KECHO_CONN_IO
 * @budget: socket operations allowed in this run
 *
 * Return: as kecho_conn_do_io(): -EAGAIN (idle), -EINPROGRESS (budget
 * spent, or strparser's work is busy: run again), 0 (close after what
 * was sent: "Connection: close", a refused request, the peer's FIN or
 * an idle timeout) or the error that ends the connection.
 */
int kecho_msg_do_io(struct kecho_conn *c, unsigned int budget)
{
	struct kecho_msg *m = c->msg;
	struct sock *sk = c->sock->sk;
	int ret;

	for (;;) {
		if (m->resp) {
			ret = khttpd_resp_send(m->resp, c->sock, &budget);
			if (ret)
				return ret;
			m->closing = m->resp->close;
			khttpd_resp_free(m->resp);
			m->resp = NULL;
			m->answered++;
		}
		/* What comes after a close is not answered. */
		if (m->closing)
			return khttpd_linger(m, c->sock);
		if (!budget)
			return -EINPROGRESS;
		budget--;

		ret = khttpd_next_request(m, sk);
		if (ret > 0)
			continue;
		if (ret < 0)
			return ret;
		/* Every request before the refused one is answered. */
		if (m->status) {
			m->resp = khttpd_resp_error(m->status, m->refused_head);
			m->status = 0;
			if (!m->resp)
				return -ENOMEM;
			continue;
		}
		ret = -READ_ONCE(sk->sk_err);
		if (ret)
			return ret;
		ret = khttpd_parse_now(m, sk);
		/* Requests came, or the parser refused one: answer first. */
		if (ret > 0 || READ_ONCE(m->status))
			continue;
		if (ret == -EBUSY)
			return -EINPROGRESS;
		if (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN)
			return 0;
		return khttpd_go_idle(m, sk);
	}
}

int kecho_msg_init(void)
{
	khttpd_scratch = alloc_percpu(struct khttpd_scratch);
	khttpd_msg_cache = kmem_cache_create("khttpd_msg",
					     sizeof(struct kecho_msg), 0, 0,
					     NULL);
	khttpd_req_cache = kmem_cache_create("khttpd_request",
					     sizeof(struct khttpd_request), 0,
					     0, NULL);
	if (!khttpd_scratch || !khttpd_msg_cache || !khttpd_req_cache) {
		kecho_msg_exit();
		return -ENOMEM;
	}
	return 0;
}

void kecho_msg_exit(void)
{
	kmem_cache_destroy(khttpd_req_cache);
	kmem_cache_destroy(khttpd_msg_cache);
	free_percpu(khttpd_scratch);
}
