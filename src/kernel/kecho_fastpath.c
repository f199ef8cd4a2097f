// SPDX-License-Identifier: GPL-2.0
/*
 * kecho's fast path: echo a small request from sk_data_ready, in softirq,
 * before any work item runs. Message mode sends its small messages from
 * there through kecho_fastpath_send().
 *
 * When data_ready runs in softirq (the receive path holds the socket
 * and no process owns it), the connection has nothing pending and at most
 * KECHO_SMALL_SIZE bytes wait, data_ready sends them back right there with
 * tcp_read_sock() and tcp_sendmsg_locked(), consuming only what the socket
 * took. It never waits and never allocates a buffer; anything else (a
 * larger message, no send space, a FIN, urgent data) is left to io_work.
 * KECHO_CONN_IO makes io_work and this path take turns, so bytes are
 * echoed in the order they came.
 *
 * Context rules: softirq only, BHs off, the socket's spinlock held by the
 * receive path. The send must neither sleep nor touch the interrupted
 * task: it allocates GFP_ATOMIC and lends the socket a per-CPU page frag
 * instead of current->task_frag.
 */
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/skbuff.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "kecho.h"
#include "kecho_conn.h"
#include "compat.h"

/*
 * What the callback's echo uses on its CPU. Softirq context owns it: BHs
 * are off, so nothing else on this CPU runs the echo meanwhile; @busy
 * covers a transmit that would deliver to another kecho socket inline.
 */
struct kecho_bh_ctx {
	struct page_frag frag;	/* tcp_sendmsg_locked()'s pages in softirq */
	struct sock *sk;	/* the socket being echoed */
	bool busy;
	u8 buf[KECHO_SMALL_SIZE];
};

/*
 * Allocated at load, not a static DEFINE_PER_CPU: module per-CPU data comes
 * out of a small reserve that every module shares, and can fail a load.
 */
static struct kecho_bh_ctx __percpu *kecho_bh_pcpu;

/*
 * tcp_sendmsg_locked() from softirq. It must neither sleep nor take the
 * interrupted task's page frag (what sk_page_frag() hands out in process
 * context), so allocate atomically and lend the socket this CPU's frag.
 * Returns the bytes the socket took, or a negative error.
 */
static int kecho_conn_send_in_softirq(struct kecho_bh_ctx *ctx, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = ctx->buf, .iov_len = len };
	struct sock *sk = ctx->sk;
	gfp_t gfp = sk->sk_allocation;
	bool task_frag;
	int ret;

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &iov, 1, len);
	sk->sk_allocation = GFP_ATOMIC | __GFP_NOWARN;
	task_frag = kecho_sk_task_frag_off(sk);
	swap(sk->sk_frag, ctx->frag);
	ret = tcp_sendmsg_locked(sk, &msg, len);
	swap(sk->sk_frag, ctx->frag);
	kecho_sk_task_frag_restore(sk, task_frag);
	sk->sk_allocation = gfp;
	return ret;
}

/*
 * tcp_read_sock() actor: send back what it is handed and consume only
 * what the socket took, so nothing needs keeping. Returning 0 stops the
 * read with the rest still queued for io_work.
 */
static int kecho_conn_echo_actor(read_descriptor_t *desc, struct sk_buff *skb,
				 unsigned int offset, size_t len)
{
	struct kecho_bh_ctx *ctx = desc->arg.data;
	int sent;

	len = min(len, desc->count);
	if (!len || skb_copy_bits(skb, offset, ctx->buf, len))
		return 0;
	sent = kecho_conn_send_in_softirq(ctx, len);
	if (sent <= 0)
		return 0;
	desc->count -= sent;
	kecho_stat_add(KECHO_STAT_BYTES_IN, sent);
	kecho_stat_add(KECHO_STAT_BYTES_OUT, sent);
	return sent;
}

/*
 * Echo what waits without a work item, if that can be done at once.
 * Called from data_ready; true when everything that waited was echoed.
 */
bool kecho_conn_echo_in_softirq(struct kecho_conn *c, struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	read_descriptor_t desc = { };
	struct kecho_bh_ctx *ctx;
	unsigned int waiting;
	bool done = false;

	/* In softirq the receive path holds the socket, unless a process
	 * owns it (then data_ready comes again from release_sock()).
	 */
	if (!in_serving_softirq() || sock_owned_by_user_nocheck(sk))
		return false;
	waiting = kecho_conn_inq_hint(sk);
	if (!waiting || waiting > KECHO_SMALL_SIZE ||
	    sk->sk_state != TCP_ESTABLISHED || sk->sk_shutdown ||
	    sk->sk_err || tp->urg_data || !sk_stream_memory_free(sk))
		return false;

	ctx = this_cpu_ptr(kecho_bh_pcpu);
	if (ctx->busy || test_and_set_bit_lock(KECHO_CONN_IO, &c->flags))
		return false;
	if (!c->len && !test_bit(KECHO_CONN_CLOSING, &c->flags)) {
		ctx->busy = true;
		ctx->sk = sk;
		desc.arg.data = ctx;
		desc.count = waiting;
		tcp_read_sock(sk, &desc, kecho_conn_echo_actor);
		ctx->busy = false;
		done = !kecho_conn_inq_hint(sk);
	}
	kecho_conn_io_end(c);
	/* Let go, then look for io_work's note: pairs with io_begin(). */
	smp_mb__after_atomic();
	if (test_and_clear_bit(KECHO_CONN_IO_MISSED, &c->flags))
		done = false;
	return done;
}

/**
 * kecho_fastpath_send - send a small piece of an skb from softirq
 * @sk: the socket, held by the receive path (softirq, no process owner)
 * @skb: what holds the bytes (message mode: a message strparser framed)
 * @offset: where they start in @skb
 * @len: how many; at most KECHO_SMALL_SIZE
 *
 * Return: the bytes the socket took, -EBUSY if this CPU's context is in
 * use or @len is too large, or another negative error.
 */
int kecho_fastpath_send(struct sock *sk, const struct sk_buff *skb,
			int offset, int len)
{
	struct kecho_bh_ctx *ctx = this_cpu_ptr(kecho_bh_pcpu);
	int ret;

	if (len > KECHO_SMALL_SIZE || ctx->busy)
		return -EBUSY;
	if (skb_copy_bits(skb, offset, ctx->buf, len))
		return -EFAULT;
	ctx->busy = true;
	ctx->sk = sk;
	ret = kecho_conn_send_in_softirq(ctx, len);
	ctx->busy = false;
	return ret;
}

int kecho_fastpath_init(void)
{
	kecho_bh_pcpu = alloc_percpu(struct kecho_bh_ctx);
	return kecho_bh_pcpu ? 0 : -ENOMEM;
}

/* After every callback is detached: no softirq can run the echo. */
void kecho_fastpath_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct page_frag *frag = &per_cpu_ptr(kecho_bh_pcpu, cpu)->frag;

		if (frag->page)
			put_page(frag->page);
	}
	free_percpu(kecho_bh_pcpu);
}
