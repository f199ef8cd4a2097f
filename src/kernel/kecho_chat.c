// SPDX-License-Identifier: GPL-2.0
/*
 * kecho's chat mode: one room, and every whole message any client sends
 * is relayed to every other client in it.
 *
 * Framing is message mode's (kecho_msg.c): strparser hands over whole
 * messages, which wait in the sender's inbound queue until its io_work
 * publishes them here. Publishing copies a message, header and body, once
 * into a refcounted body: however many receivers, one copy. A receiver
 * with nothing queued is sent the body there and then, from the
 * publisher's work item (no item, no work item of the receiver's); what
 * its socket does not take, and anything for a receiver with a queue,
 * becomes a small item pointing at the body on the receiver's outbound
 * queue. Each receiver's io_work writes its queue to its socket, whole
 * and in order, and drops its reference once a message is fully written.
 * The last reference frees the body. A body that fits in a page is carved
 * from a page of its sender's own, and TCP sends it by reference: the
 * receivers' socket buffers hold references to that one copy, not copies
 * of their own.
 *
 * Bounds: each queued item is charged its message's length plus
 * KECHO_CHAT_ITEM_CHARGE. A receiver whose queue holds something and
 * would go past chat_queue is dropped at once (reset, slow_dropped): the
 * sender never waits for it and nobody else is delayed. A queue always
 * takes one message, so one larger than chat_queue still reaches an idle
 * reader. docs/ARCHITECTURE.md gives the room's bound in bytes.
 *
 * Order and joining: a client's messages are published by its own io_work
 * only, one after another, so every receiver gets them in the order they
 * were sent. Every message is stamped from the room's sequence when
 * strparser completes it, and every client when it joins; a message only
 * goes to clients that joined before it was completed.
 *
 * A large room's fan-out is split (from chat_split members): the member
 * list is in one part per online CPU (up to KECHO_CHAT_PARTS_MAX),
 * balanced at joining, and a publisher hands a part to a helper work item
 * for each CPU no other publisher keeps busy, sends to
 * its own part, and waits for the helpers before its next message: one
 * message to a large room is not bound to one CPU.
 *
 * Locking: kecho_room.lock (an rwsem: publishers and helpers fan out side
 * by side, for reading; joining and leaving write) guards the member list. A
 * receiver's socket lock makes its writers take turns: a publisher's
 * direct send, and its io_work's flush. A client's spinlock guards its
 * outbound queue and the decision to drop it; anyone in the room may
 * append to the queue, and only a holder of the socket lock takes from
 * it or writes its head. Order: room lock, then a receiver's socket lock,
 * then its spinlock. The sender's own socket lock is never held here.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/lockdep.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/overflow.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/strparser.h>
#include <net/tcp.h>

#include "compat.h"
#include "kecho.h"
#include "kecho_conn.h"

/* Queued messages one flush round writes (one unit of io_work's budget). */
#define KECHO_CHAT_BATCH	16
/*
 * The room's member list is split in up to this many parts, one per
 * online CPU, and a large room's fan-out runs them side by side.
 */
#define KECHO_CHAT_PARTS_MAX	4
/* What a queued item is charged on top of its message's bytes. */
#define KECHO_CHAT_ITEM_CHARGE	32

/*
 * One message, header and body, shared by every receiver it is queued to.
 * One that fits in a page is carved from its sender's current page (see
 * kecho_chat_body_alloc()), and TCP is handed the page: the receivers'
 * socket buffers hold references to it, not copies of it. A larger one
 * is kvmalloc'ed and copied into each socket by TCP.
 */
struct kecho_chat_body {
	refcount_t ref;
	u32 len;
	bool in_page;			/* carved from a sender's page */
	u8 data[];
};

/* One receiver's reference to a body, on its outbound queue. */
struct kecho_chat_item {
	struct list_head node;
	struct kecho_chat_body *body;
};

struct kecho_chat {
	struct kecho_conn *conn;
	struct list_head member;	/* in kecho_room.parts[part]; empty once out */
	unsigned int part;
	u64 joined;			/* room sequence when it joined */

	/*
	 * The page its small message bodies are carved from, and where the
	 * next one starts; only its own io_work publishes, so only that
	 * touches them. The page holds a reference of ours, and one per
	 * body in it.
	 */
	struct page *page;
	unsigned int page_off;

	spinlock_t lock;		/* out, queued, sent, dropped */
	struct list_head out;		/* items, oldest first */
	unsigned int queued;		/* bytes charged for the items */
	unsigned int sent;		/* bytes of the head item written */
	bool dropped;			/* gets nothing more: io_work resets */

	/*
	 * Sequence of each message in the inbound queue when strparser
	 * completed it, in queue order; under the socket's lock, like the
	 * queue (which holds at most KECHO_MSG_QUEUE_LEN messages).
	 */
	unsigned int nr_stamps;
	u64 stamps[KECHO_MSG_QUEUE_LEN];
};

/* One part of the room's members. */
struct kecho_room_part {
	struct list_head members;
	unsigned int len;
};

static struct {
	struct rw_semaphore lock;
	/* Members, in nr_parts parts of about the same length. */
	struct kecho_room_part parts[KECHO_CHAT_PARTS_MAX];
	unsigned int nr_parts;		/* set once, at init */
	atomic_t publishing;		/* publishers fanning out now */
	atomic_t nr;			/* members not dropped */
	atomic64_t seq;
} kecho_room = {
	.lock = __RWSEM_INITIALIZER(kecho_room.lock),
	.publishing = ATOMIC_INIT(0),
	.nr = ATOMIC_INIT(0),
	.seq = ATOMIC64_INIT(0),
};

/* A message's fan-out: what every part of the room is sent. */
struct kecho_chat_fanout {
	const struct kecho_chat *from;
	struct kecho_chat_body *body;	/* the publisher's reference */
	u64 stamp;
	bool echo;
};

/*
 * One part of a fan-out, run by another worker while the publisher runs
 * part 0; on the publisher's stack, and the publisher waits for it.
 */
struct kecho_chat_fanout_helper {
	struct work_struct work;
	struct completion done;
	const struct kecho_chat_fanout *f;
	unsigned int part;
};

/*
 * The fan-out helpers' own workqueue: publishers wait for them, so they
 * must never wait for a publisher's slot in kecho_wq.
 */
static struct workqueue_struct *kecho_fanout_wq;

/* Gauges for /proc/net/kecho. */
static atomic_long_t kecho_chat_queued_bytes = ATOMIC_LONG_INIT(0);
static atomic_long_t kecho_chat_body_bytes = ATOMIC_LONG_INIT(0);

static struct kmem_cache *kecho_chat_cache;
static struct kmem_cache *kecho_chat_item_cache;

unsigned int kecho_chat_clients(void)
{
	return atomic_read(&kecho_room.nr);
}

unsigned long kecho_chat_queued(void)
{
	return atomic_long_read(&kecho_chat_queued_bytes);
}

unsigned long kecho_chat_bodies(void)
{
	return atomic_long_read(&kecho_chat_body_bytes);
}

static unsigned int kecho_chat_charge(const struct kecho_chat_body *body)
{
	return body->len + KECHO_CHAT_ITEM_CHARGE;
}

static void kecho_chat_body_put(struct kecho_chat_body *body)
{
	if (!refcount_dec_and_test(&body->ref))
		return;
	atomic_long_sub(body->len, &kecho_chat_body_bytes);
	if (body->in_page)
		put_page(virt_to_page(body));
	else
		kvfree(body);
}

/*
 * A body of @size bytes from @from's current page, or a fresh page when it
 * does not fit; NULL without memory. A page holds one sender's messages
 * only, in the order they were published, and every receiver gets every
 * one of them: a receiver that lags holds an unbroken run of them, and so
 * keeps alive about the pages its bytes fill, plus one at either end (see
 * "Memory bound" in docs/ARCHITECTURE.md). A page shared with others'
 * messages could be kept whole by one small message.
 */
static void *kecho_chat_page_carve(struct kecho_chat *from, size_t size)
{
	size = ALIGN(size, SMP_CACHE_BYTES);	/* refcounts apart */
	if (!from->page || from->page_off + size > PAGE_SIZE) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			return NULL;
		if (from->page)
			put_page(from->page);
		from->page = page;
		from->page_off = 0;
	}
	get_page(from->page);			/* the body's */
	from->page_off += size;
	return page_address(from->page) + from->page_off - size;
}

/*
 * A body for @len bytes published by @from, in one of its pages when it
 * fits (TCP then sends it by reference), else kvmalloc'ed; NULL without
 * memory.
 */
static struct kecho_chat_body *kecho_chat_body_alloc(struct kecho_chat *from,
						     unsigned int len)
{
	size_t size = struct_size_t(struct kecho_chat_body, data, len);
	struct kecho_chat_body *body = NULL;
	bool in_page;

	if (size <= PAGE_SIZE)
		body = kecho_chat_page_carve(from, size);
	in_page = body;
	if (!body)
		body = kvmalloc(size, GFP_KERNEL);
	if (!body)
		return NULL;
	refcount_set(&body->ref, 1);	/* the publisher's */
	body->len = len;
	body->in_page = in_page;
	atomic_long_add(len, &kecho_chat_body_bytes);
	return body;
}

/* Free items taken off a queue; @bytes were charged for them. */
static void kecho_chat_free_items(struct list_head *items, unsigned int bytes)
{
	struct kecho_chat_item *it, *next;

	list_for_each_entry_safe(it, next, items, node) {
		kecho_chat_body_put(it->body);
		kmem_cache_free(kecho_chat_item_cache, it);
	}
	atomic_long_sub(bytes, &kecho_chat_queued_bytes);
}

/*
 * Everything still queued goes, unsent. Nobody queues more: the client
 * has left the room, or was dropped (under the socket lock, as a flush).
 */
static void kecho_chat_purge(struct kecho_chat *cl)
{
	unsigned int queued;
	LIST_HEAD(items);

	spin_lock(&cl->lock);
	list_splice_init(&cl->out, &items);
	queued = cl->queued;
	cl->queued = 0;
	cl->sent = 0;
	spin_unlock(&cl->lock);

	kecho_chat_free_items(&items, queued);
}

/*
 * Under @cl's lock: it gets nothing more, and its io_work resets the
 * connection. It stays on the member list, skipped, until it leaves.
 */
static void kecho_chat_drop(struct kecho_chat *cl)
{
	lockdep_assert_held(&cl->lock);
	if (cl->dropped)
		return;
	WRITE_ONCE(cl->dropped, true);
	atomic_dec(&kecho_room.nr);
	queue_work(kecho_wq, &cl->conn->io_work);
}

/*
 * Queue @body to @to, or drop @to if that would overfill its queue.
 * @sent > 0: that much of it is on the wire already, so it goes first;
 * the caller holds @to's socket lock, under which nobody else has written
 * to the socket since the queue was empty.
 */
static void kecho_chat_enqueue(struct kecho_chat *to,
			       struct kecho_chat_body *body, int sent)
{
	unsigned int charge = kecho_chat_charge(body);
	unsigned int limit = READ_ONCE(kecho_chat_queue);
	struct kecho_chat_item *it;

	lockdep_assert_held_read(&kecho_room.lock);
	it = kmem_cache_alloc(kecho_chat_item_cache, GFP_KERNEL);
	spin_lock(&to->lock);
	if (to->dropped)
		goto out_free;
	if (!it) {
		/* It would miss a message: better no connection at all. */
		kecho_stat_add(KECHO_STAT_ERRORS, 1);
		kecho_chat_drop(to);
		goto out_free;
	}
	if (to->queued && to->queued + charge > limit) {
		kecho_stat_add(KECHO_STAT_SLOW_DROPPED, 1);
		kecho_chat_drop(to);
		goto out_free;
	}
	refcount_inc(&body->ref);
	it->body = body;
	if (sent > 0) {
		list_add(&it->node, &to->out);
		to->sent = sent;
	} else {
		list_add_tail(&it->node, &to->out);
	}
	to->queued += charge;
	spin_unlock(&to->lock);

	atomic_long_add(charge, &kecho_chat_queued_bytes);
	queue_work(kecho_wq, &to->conn->io_work);
	return;

out_free:
	spin_unlock(&to->lock);
	if (it)
		kmem_cache_free(kecho_chat_item_cache, it);
}

/*
 * Write @body from @off on to @sk, by reference when it lives in a
 * page, never waiting; the caller holds the socket's lock. @more:
 * another message follows at once (TCP holds a part-filled segment).
 */
static int kecho_chat_send_body_locked(struct sock *sk,
				       const struct kecho_chat_body *body,
				       unsigned int off, bool more)
{
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0);
	struct msghdr msg = { .msg_flags = flags };
	size_t len = body->len - off;
	struct kvec vec;

	sock_owned_by_me(sk);
	if (body->in_page)
		return kecho_send_page_locked(sk, virt_to_page(body),
					      offset_in_page(body->data + off),
					      len, flags);
	vec = (struct kvec){ .iov_base = (void *)body->data + off,
			     .iov_len = len };
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &vec, 1, len);
	return tcp_sendmsg_locked(sk, &msg, len);
}

/* Bytes written to a chat client's socket, for the counters. */
static void kecho_chat_count_out(int bytes)
{
	kecho_stat_add(KECHO_STAT_BYTES_OUT, bytes);
	kecho_stat_add(KECHO_STAT_CHAT_BYTES_OUT, bytes);
}

/*
 * Deliver @body to @to: sent at once if nothing waits before it, else
 * queued. The send never blocks (MSG_DONTWAIT): what the socket does not
 * take, or a failed send, is queued for @to's io_work, which goes on
 * from there or meets the error.
 */
static void kecho_chat_deliver(struct kecho_chat *to,
			       struct kecho_chat_body *body)
{
	struct sock *sk = to->conn->sock->sk;
	bool idle;
	int ret;

	lockdep_assert_held_read(&kecho_room.lock);
	/*
	 * Hints without the locks: a busy receiver costs no socket lock, and
	 * a socket someone owns (another publisher, or the receiver's own
	 * io_work) is not waited for. Publishers all walk the room in the
	 * same order: waiting there would queue them up behind each other
	 * at every receiver, with the room lock held, and delay the owner's
	 * own work (a reset, a leave) behind all of them.
	 */
	if (!list_empty_careful(&to->out) || READ_ONCE(to->dropped) ||
	    sock_owned_by_user_nocheck(sk)) {
		kecho_chat_enqueue(to, body, 0);
		return;
	}
	lock_sock(sk);
	spin_lock(&to->lock);
	idle = list_empty(&to->out) && !to->dropped;
	spin_unlock(&to->lock);
	if (!idle) {
		release_sock(sk);
		kecho_chat_enqueue(to, body, 0);
		return;
	}
	ret = kecho_chat_send_body_locked(sk, body, 0, false);
	if (ret > 0)
		kecho_chat_count_out(ret);
	if (ret == body->len)
		kecho_stat_add(KECHO_STAT_CHAT_DELIVERED, 1);
	else
		kecho_chat_enqueue(to, body, ret);
	release_sock(sk);
}

/* Deliver @f's message to the members of one part of the room. */
static void kecho_chat_fanout_part(const struct kecho_chat_fanout *f,
				   unsigned int part)
{
	struct kecho_chat *to;

	lockdep_assert_held_read(&kecho_room.lock);
	list_for_each_entry(to, &kecho_room.parts[part].members, member) {
		if ((to == f->from && !f->echo) || to->joined > f->stamp)
			continue;
		kecho_chat_deliver(to, f->body);
	}
}

static void kecho_chat_fanout_work(struct work_struct *work)
{
	struct kecho_chat_fanout_helper *h =
		container_of(work, struct kecho_chat_fanout_helper, work);

	down_read(&kecho_room.lock);
	kecho_chat_fanout_part(h->f, h->part);
	up_read(&kecho_room.lock);
	complete(&h->done);
}

/*
 * Relay one whole message (@skb, as strparser framed it) from @from to
 * the room: everyone who joined before @stamp, @from too with chat_echo.
 * A large room's parts beyond the first go to helpers on other CPUs,
 * and the publisher waits for them before its next message, which keeps
 * its messages in order at every receiver. It holds no lock while it
 * waits, and helpers wait for nothing but the room lock and sockets.
 * Returns 0 or -ENOMEM (no body: the message cannot be relayed).
 */
static int kecho_chat_publish(struct kecho_chat *from, struct sk_buff *skb,
			      u64 stamp)
{
	struct kecho_chat_fanout_helper helpers[KECHO_CHAT_PARTS_MAX - 1];
	unsigned int split = READ_ONCE(kecho_chat_split);
	const struct strp_msg *stm = strp_msg(skb);
	unsigned int i, busy, nr_split = 1;
	struct kecho_chat_fanout f;
	struct kecho_chat_body *body;

	body = kecho_chat_body_alloc(from, stm->full_len);
	if (!body)
		return -ENOMEM;
	if (skb_copy_bits(skb, stm->offset, body->data, stm->full_len)) {
		kecho_chat_body_put(body);
		return -EPROTO;
	}
	f = (struct kecho_chat_fanout){
		.from = from,
		.body = body,
		.stamp = stamp,
		.echo = READ_ONCE(kecho_chat_echo),
	};

	/*
	 * Parts are balanced at joining: a large room has large parts. Only
	 * CPUs no other publisher keeps busy get one: where publishers
	 * already fill them, helpers would only contend for the same
	 * receivers' sockets, and a socket found owned costs an item and
	 * its receiver's io_work.
	 */
	busy = atomic_inc_return(&kecho_room.publishing);
	if (split && atomic_read(&kecho_room.nr) >= split &&
	    busy < kecho_room.nr_parts)
		nr_split = kecho_room.nr_parts + 1 - busy;
	for (i = 1; i < nr_split; i++) {
		struct kecho_chat_fanout_helper *h = &helpers[i - 1];

		INIT_WORK_ONSTACK(&h->work, kecho_chat_fanout_work);
		init_completion(&h->done);
		h->f = &f;
		h->part = i;
		queue_work(kecho_fanout_wq, &h->work);
	}

	down_read(&kecho_room.lock);
	kecho_chat_fanout_part(&f, 0);
	/* The parts no helper took are ours. */
	for (i = nr_split; i < kecho_room.nr_parts; i++)
		kecho_chat_fanout_part(&f, i);
	up_read(&kecho_room.lock);

	for (i = 1; i < nr_split; i++) {
		wait_for_completion(&helpers[i - 1].done);
		destroy_work_on_stack(&helpers[i - 1].work);
	}
	atomic_dec(&kecho_room.publishing);
	kecho_chat_body_put(body);
	return 0;
}

/**
 * kecho_chat_stamp - note that strparser completed a message
 * @cl: the sender
 * @queued: messages in its inbound queue before this one
 *
 * Under the socket's lock, as the inbound queue.
 */
void kecho_chat_stamp(struct kecho_chat *cl, unsigned int queued)
{
	/* The queue pauses the parser at KECHO_MSG_QUEUE_LEN messages. */
	queued = min_t(unsigned int, queued, KECHO_MSG_QUEUE_LEN - 1);
	cl->stamps[queued] = atomic64_inc_return(&kecho_room.seq);
	cl->nr_stamps = queued + 1;
}

/**
 * kecho_chat_relay - publish messages taken off the sender's inbound queue
 * @cl: the sender
 * @msgs: its messages, oldest first, as strparser framed them; consumed
 * @stamps: their stamps, from kecho_chat_take_stamps()
 * @nr: how many stamps
 *
 * Return: 0, or the error that ends the sender's connection (what could
 * not be relayed then counts as dropped).
 */
int kecho_chat_relay(struct kecho_chat *cl, struct sk_buff_head *msgs,
		     const u64 *stamps, unsigned int nr)
{
	struct sk_buff *skb;
	unsigned int i = 0;
	int ret = 0;

	while ((skb = __skb_dequeue(msgs))) {
		unsigned int len = strp_msg(skb)->full_len;

		/* One stamp per message; never fewer, but never trust that. */
		u64 stamp = i < nr ? stamps[i] : atomic64_read(&kecho_room.seq);

		i++;
		if (!ret)
			ret = kecho_chat_publish(cl, skb, stamp);
		kecho_stat_add(ret ? KECHO_STAT_DROPPED : KECHO_STAT_RELAYED,
			       len);
		consume_skb(skb);
	}
	return ret;
}

/*
 * Under the socket's lock, as the inbound queue is taken whole: the
 * stamps of its messages, in order. Returns how many.
 */
unsigned int kecho_chat_take_stamps(struct kecho_chat *cl, u64 *stamps)
{
	unsigned int nr = cl->nr_stamps;

	memcpy(stamps, cl->stamps, nr * sizeof(*stamps));
	cl->nr_stamps = 0;
	return nr;
}

/* @done bytes of the queue were written: let go of what is fully sent. */
static void kecho_chat_consume(struct kecho_chat *cl, unsigned int done)
{
	struct kecho_chat_item *it, *next;
	unsigned int freed = 0, whole = 0;
	LIST_HEAD(items);

	spin_lock(&cl->lock);
	list_for_each_entry_safe(it, next, &cl->out, node) {
		unsigned int left = it->body->len - cl->sent;

		if (done < left) {
			cl->sent += done;
			break;
		}
		done -= left;
		cl->sent = 0;
		freed += kecho_chat_charge(it->body);
		whole++;
		list_move_tail(&it->node, &items);
	}
	cl->queued -= freed;
	spin_unlock(&cl->lock);

	kecho_stat_add(KECHO_STAT_CHAT_DELIVERED, whole);
	kecho_chat_free_items(&items, freed);
}

/* kecho_chat_flush(), under the socket's lock. */
static int kecho_chat_flush_locked(struct kecho_chat *cl, struct sock *sk,
				   unsigned int *budget)
{
	struct {
		const struct kecho_chat_body *body;
		unsigned int off;
	} batch[KECHO_CHAT_BATCH];
	struct kecho_chat_item *it;
	unsigned int i, n, off;
	size_t written;
	int ret;

	for (;;) {
		if (READ_ONCE(cl->dropped)) {
			/* A reset, not an error: io_work counts none. */
			set_bit(KECHO_CONN_ABORT, &cl->conn->flags);
			kecho_chat_purge(cl);
			return -ECONNABORTED;
		}
		n = 0;
		spin_lock(&cl->lock);
		off = cl->sent;
		list_for_each_entry(it, &cl->out, node) {
			batch[n].body = it->body;
			batch[n].off = off;
			off = 0;
			if (++n == KECHO_CHAT_BATCH)
				break;
		}
		spin_unlock(&cl->lock);
		if (!n)
			return 0;
		if (!*budget)
			return -EINPROGRESS;
		(*budget)--;

		/*
		 * One message a send, each but the last with MSG_MORE: TCP
		 * fills its segments as one sendmsg of them all would, and
		 * bodies in pages go by reference. Every message has its
		 * header, so no send is of 0 bytes.
		 */
		written = 0;
		for (i = 0; i < n; i++) {
			unsigned int len = batch[i].body->len - batch[i].off;

			ret = kecho_chat_send_body_locked(sk, batch[i].body,
							  batch[i].off,
							  i + 1 < n);
			if (ret < 0)
				break;
			written += ret;
			if (ret < len)
				break;
		}
		if (written) {
			kecho_chat_count_out(written);
			kecho_chat_consume(cl, written);
		}
		if (i < n)
			return ret < 0 ? ret : -EAGAIN;
	}
}

/**
 * kecho_chat_flush - write the outbound queue to the client's socket
 * @cl: the client; its io_work holds KECHO_CONN_IO
 * @budget: socket operations left in this io_work run
 *
 * Only a holder of the socket's lock takes items off the queue, so the
 * ones seen under the spinlock stay valid while they are written.
 *
 * Return: 0 once the queue is empty, -EAGAIN when the socket is full
 * (write_space queues io_work again), -EINPROGRESS when @budget is spent,
 * -ECONNABORTED when the client was dropped from the room, or the send's
 * error.
 */
int kecho_chat_flush(struct kecho_chat *cl, unsigned int *budget)
{
	struct sock *sk = cl->conn->sock->sk;
	int ret;

	/* Mostly nothing: publishers send to an idle client themselves. */
	if (list_empty_careful(&cl->out) && !READ_ONCE(cl->dropped))
		return 0;
	lock_sock(sk);
	ret = kecho_chat_flush_locked(cl, sk, budget);
	release_sock(sk);
	return ret;
}

/**
 * kecho_chat_create - a chat client for a new connection
 * @c: the connection
 *
 * It joins the room with kecho_chat_join(), once the connection is ready.
 *
 * Return: the client, or NULL without memory.
 */
struct kecho_chat *kecho_chat_create(struct kecho_conn *c)
{
	struct kecho_chat *cl;

	cl = kmem_cache_zalloc(kecho_chat_cache, GFP_KERNEL);
	if (!cl)
		return NULL;
	cl->conn = c;
	INIT_LIST_HEAD(&cl->member);
	INIT_LIST_HEAD(&cl->out);
	spin_lock_init(&cl->lock);
	return cl;
}

/* From now on, messages completed by anyone reach @cl. */
void kecho_chat_join(struct kecho_chat *cl)
{
	unsigned int i;

	down_write(&kecho_room.lock);
	cl->joined = atomic64_inc_return(&kecho_room.seq);
	/* The shortest part: a fan-out's parts take about as long. */
	cl->part = 0;
	for (i = 1; i < kecho_room.nr_parts; i++)
		if (kecho_room.parts[i].len < kecho_room.parts[cl->part].len)
			cl->part = i;
	list_add_tail(&cl->member, &kecho_room.parts[cl->part].members);
	kecho_room.parts[cl->part].len++;
	atomic_inc(&kecho_room.nr);
	up_write(&kecho_room.lock);
}

/*
 * Out of the room, and its queue freed: at the client's FIN, and before
 * its connection stops its io_work for good (nobody can queue it after).
 */
void kecho_chat_leave(struct kecho_chat *cl)
{
	down_write(&kecho_room.lock);
	if (!list_empty(&cl->member)) {
		list_del_init(&cl->member);
		kecho_room.parts[cl->part].len--;
		spin_lock(&cl->lock);
		if (!cl->dropped)
			atomic_dec(&kecho_room.nr);
		spin_unlock(&cl->lock);
	}
	up_write(&kecho_room.lock);
	kecho_chat_purge(cl);
}

/* After kecho_chat_leave(). */
void kecho_chat_free(struct kecho_chat *cl)
{
	if (cl->page)
		put_page(cl->page);	/* its bodies keep their own references */
	kmem_cache_free(kecho_chat_cache, cl);
}

int kecho_chat_init(void)
{
	unsigned int i;

	BUILD_BUG_ON(sizeof(struct kecho_chat_item) > KECHO_CHAT_ITEM_CHARGE);
	kecho_room.nr_parts = min_t(unsigned int, num_online_cpus(),
				    KECHO_CHAT_PARTS_MAX);
	for (i = 0; i < KECHO_CHAT_PARTS_MAX; i++) {
		INIT_LIST_HEAD(&kecho_room.parts[i].members);
		kecho_room.parts[i].len = 0;
	}
	kecho_chat_cache = KMEM_CACHE(kecho_chat, 0);
	kecho_chat_item_cache = KMEM_CACHE(kecho_chat_item, 0);
	kecho_fanout_wq = alloc_workqueue("kecho_fanout", WQ_UNBOUND, 0);
	if (!kecho_chat_cache || !kecho_chat_item_cache || !kecho_fanout_wq) {
		kecho_chat_exit();
		return -ENOMEM;
	}
	return 0;
}

/*
 * Every client has left: the room is empty and every body freed, and no
 * fan-out helper runs (each one's publisher waited for it).
 */
void kecho_chat_exit(void)
{
	if (kecho_fanout_wq)
		destroy_workqueue(kecho_fanout_wq);
	kecho_fanout_wq = NULL;
	kmem_cache_destroy(kecho_chat_item_cache);
	kmem_cache_destroy(kecho_chat_cache);
}
