// SPDX-License-Identifier: GPL-2.0
/*
 * kecho's zero-copy echo of bulk data, in io_work.
 *
 * A stream connection with more than KECHO_SMALL_SIZE bytes waiting, and
 * nothing of its own still buffered, echoes them without copying the
 * payload: under the socket lock, tcp_read_sock() hands over each
 * received skb in turn and skb_send_sock_locked() appends its pages to
 * the same socket's send queue by reference (sendpage on 6.1,
 * MSG_SPLICE_PAGES on later series; the skb's linear head, a few bytes
 * at most on the receive path, is copied). The received skb is then
 * consumed; its pages live on in the send queue until they are
 * acknowledged.
 *
 * Ordering: only the holder of KECHO_CONN_IO sends, and only with c->len
 * zero, so every earlier byte is already in the send queue.
 *
 * Backpressure and memory: only what the send queue took is consumed
 * (the actor returns the bytes sent, and tcp_read_sock() advances by
 * that much). When the send queue is full the rest stays in the receive
 * queue, so the peer's window closes, and sk_write_space queues io_work
 * again. The send queue's pages are charged to the socket's send buffer
 * like any other (sk_wmem_queued), so a connection holds at most its
 * socket buffers, and no kecho buffer at all.
 */
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "kecho.h"
#include "kecho_conn.h"

/*
 * tcp_read_sock() actor: send @len bytes of @skb from @offset back on the
 * same socket by reference. Returns the bytes the send queue took: fewer
 * than @len stops the read with the rest still queued. An error is
 * returned only when nothing was sent, as tcp_read_sock() expects.
 */
static int kecho_zerocopy_actor(read_descriptor_t *desc, struct sk_buff *skb,
				unsigned int offset, size_t len)
{
	struct sock *sk = desc->arg.data;
	int sent;

	len = min_t(size_t, len, desc->count);
	if (!len)
		return 0;
	sent = skb_send_sock_locked(sk, skb, offset, len);
	if (sent <= 0)
		return sent ?: -EAGAIN;
	if (sent < len)
		desc->count = 0;	/* the send queue is full: stop here */
	else
		desc->count -= sent;
	return sent;
}

/**
 * kecho_conn_echo_zerocopy - echo what waits by handing its pages back
 * @c: a stream connection; the caller holds KECHO_CONN_IO and c->len is 0
 *
 * Return: the bytes echoed (> 0); 0 when nothing could be taken this way
 * (urgent data at the head of the queue, or only a FIN or an error
 * waits: the caller falls back to recvmsg, which reports them); -EAGAIN
 * when the send queue is full (sk_write_space queues io_work again); or
 * the error the send met.
 */
int kecho_conn_echo_zerocopy(struct kecho_conn *c)
{
	struct sock *sk = c->sock->sk;
	read_descriptor_t desc = {
		.arg.data = sk,
		.count = INT_MAX,
	};
	int ret;

	lock_sock(sk);
	ret = tcp_read_sock(sk, &desc, kecho_zerocopy_actor);
	release_sock(sk);
	if (ret > 0) {
		kecho_stat_add(KECHO_STAT_BYTES_IN, ret);
		kecho_stat_add(KECHO_STAT_BYTES_OUT, ret);
		kecho_stat_add(KECHO_STAT_ZEROCOPY, ret);
	}
	return ret;
}
