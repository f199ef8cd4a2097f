// SPDX-License-Identifier: GPL-2.0
/*
 * kecho connections.
 *
 * One struct kecho_conn per accepted socket. The socket's callbacks queue
 * io_work (data_ready may first echo a small message itself, see below);
 * io_work does the rest of the non-blocking I/O:
 *
 *   recv (into the empty 16 KiB buffer) -> send (from the buffer) -> ...
 *
 * A short send leaves the rest in the buffer and io_work stops without
 * reading more: that is the backpressure. sk_write_space queues io_work
 * again once the socket can take more. recv returning 0 (the peer shut its
 * write side) with an empty buffer means everything was echoed: close,
 * once the peer has acknowledged it all (kecho_conn_drained()).
 *
 * The buffer comes from kecho_buf_cache when io_work is about to read and
 * goes back as soon as it is empty and the socket has nothing more to
 * read, so an idle connection holds neither a worker nor a buffer: only
 * its socket and this struct. A connection waiting for write space keeps
 * its buffer, so what one connection holds stays bounded by one buffer.
 *
 * Small messages (at most KECHO_SMALL_SIZE waiting) skip the buffer: they
 * are received into io_work's stack and sent from there at once. Only
 * what the socket would not take is copied into a buffer. This matters
 * because allocations are zeroed (init_on_alloc, on in Debian's kernels):
 * a 16 KiB buffer per 64-byte request cost more than the echo itself.
 *
 * Bulk data (more than KECHO_SMALL_SIZE waiting, nothing buffered) skips
 * the buffer too: kecho_zerocopy.c sends the received pages back by
 * reference. The buffer is left for urgent data, and for the rest of a
 * small echo the socket would not take.
 *
 * Echo in the callback: most requests are answered from data_ready, in
 * softirq, before any work item runs (kecho_fastpath.c). KECHO_CONN_IO
 * makes io_work and the callback take turns, so bytes are echoed in the
 * order they came: whoever holds it may read and send.
 *
 * Lifetime: the connection list (kecho_conns, under kecho_conns_lock) owns
 * every conn until KECHO_CONN_CLOSING is set; whoever sets it releases the
 * conn: unlink, detach callbacks, make sure io_work is neither queued nor
 * running, release the socket, free. io_work itself does this when the
 * echo ends (kecho_conn_finish: it is the running io_work, and cancel_work()
 * takes back a rerun queued meanwhile), which saves a work item per
 * connection. Anyone else (unload) calls kecho_conn_close(), which queues
 * release_work; that cancels io_work synchronously from its own work item.
 */
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "kecho.h"
#include "kecho_conn.h"
#include "compat.h"

/* Socket operations (each up to KECHO_BUF_SIZE) per io_work run. */
#define KECHO_IO_BUDGET		16
/* Seconds the final echo may go unacknowledged when user_timeout is 0. */
#define KECHO_DRAIN_TIMEOUT	120

/* Named caches: /proc/slabinfo counts live connections and buffers. */
static struct kmem_cache *kecho_conn_cache;
static struct kmem_cache *kecho_buf_cache;
static LIST_HEAD(kecho_conns);
static DEFINE_SPINLOCK(kecho_conns_lock);
/* Conns allocated and not yet freed; unload waits for zero. */
static atomic_t kecho_nconns = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(kecho_conns_gone);

unsigned int kecho_conns_active(void)
{
	return atomic_read(&kecho_nconns);
}

static void kecho_conn_close(struct kecho_conn *c)
{
	if (!test_and_set_bit(KECHO_CONN_CLOSING, &c->flags))
		queue_work(kecho_wq, &c->release_work);
}

/*
 * io_work takes KECHO_CONN_IO before any I/O. If the callback holds it,
 * io_work leaves a note instead of waiting; the callback reruns io_work
 * when it lets go (kecho_conn_echo_in_softirq()).
 */
static bool kecho_conn_io_begin(struct kecho_conn *c)
{
	if (!test_and_set_bit_lock(KECHO_CONN_IO, &c->flags))
		return true;
	set_bit(KECHO_CONN_IO_MISSED, &c->flags);
	/* Note, then retry: pairs with the callback's let go, then look. */
	smp_mb__after_atomic();
	return !test_and_set_bit_lock(KECHO_CONN_IO, &c->flags);
}

/* Echo at once if that can be done here, else queue io_work. */
static void kecho_conn_kick(struct sock *sk)
{
	struct kecho_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (likely(c) && (c->msg || !kecho_conn_echo_in_softirq(c, sk)))
		queue_work(kecho_wq, &c->io_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* In message mode strparser reads: io_work only sends what it framed. */
static void kecho_conn_data_ready(struct sock *sk)
{
	struct kecho_conn *c;

	kecho_trace_sk_data_ready(sk);
	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (likely(c)) {
		if (c->msg)
			kecho_msg_data_ready(c->msg);
		else if (!kecho_conn_echo_in_softirq(c, sk))
			queue_work(kecho_wq, &c->io_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void kecho_conn_write_space(struct sock *sk)
{
	struct kecho_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (likely(c) && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(kecho_wq, &c->io_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/*
 * FIN, RST or any other state change: let io_work find out through
 * recv/send, so data received before a FIN is still echoed. The callback's
 * echo declines a socket with a shutdown, an error or a state other than
 * established, so every such change queues io_work.
 */
static void kecho_conn_state_change(struct sock *sk)
{
	kecho_conn_kick(sk);
}

/*
 * Probe a connection after @idle silent seconds, then every idle/6
 * seconds, 6 times: a vanished peer is found within about twice @idle.
 * With a TCP user timeout set, that timeout decides instead (tcp(7)): the
 * peer is dropped once it has been silent that long and a probe went
 * unanswered, so after about the longer of the two.
 */
static void kecho_conn_keepalive(struct sock *sk, unsigned int idle)
{
	if (!idle)
		return;
	sock_set_keepalive(sk);
	tcp_sock_set_keepidle(sk, idle);
	tcp_sock_set_keepintvl(sk, max(idle / 6, 1U));
	tcp_sock_set_keepcnt(sk, 6);
}

/*
 * A peer that acknowledges nothing (a zero window, or gone while data is
 * in flight) is dropped after @secs: keepalive never fires while data is
 * unacknowledged.
 */
static void kecho_conn_user_timeout(struct sock *sk, unsigned int secs)
{
	if (secs)
		tcp_sock_set_user_timeout(sk, secs * MSEC_PER_SEC);
}

/*
 * Whether recv would return anything: data, the peer's FIN, or an error.
 * A lockless peek, so an echoed request costs no extra recv just to see
 * -EAGAIN. No wakeup is lost: whatever lands after the peek calls one of
 * our callbacks, which queues io_work again.
 */
static bool kecho_conn_readable(const struct sock *sk)
{
	return !skb_queue_empty_lockless(&sk->sk_receive_queue) ||
	       (READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) ||
	       READ_ONCE(sk->sk_err);
}

/*
 * Called once the callbacks are attached. Urgent bytes stay in the
 * stream, so they are echoed like any other. Returns whether anything
 * (data, a FIN, an error) came before the callbacks could see it; what
 * comes later calls one of them. Under the socket lock, so a packet the
 * receive path is handling meanwhile is either queued before we look or
 * finds our callbacks.
 */
static bool kecho_conn_start(struct sock *sk)
{
	bool early;

	lock_sock(sk);
	sock_set_flag(sk, SOCK_URGINLINE);
	early = kecho_conn_readable(sk) || sk->sk_state != TCP_ESTABLISHED;
	release_sock(sk);
	return early;
}

static void kecho_conn_attach(struct kecho_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	c->saved_data_ready = sk->sk_data_ready;
	c->saved_write_space = sk->sk_write_space;
	c->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = kecho_conn_data_ready;
	sk->sk_write_space = kecho_conn_write_space;
	sk->sk_state_change = kecho_conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* After this no callback can see @c or queue its io_work. */
static void kecho_conn_detach(struct kecho_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = c->saved_data_ready;
	sk->sk_write_space = c->saved_write_space;
	sk->sk_state_change = c->saved_state_change;
	sk->sk_user_data = NULL;
	if (c->msg)
		kecho_msg_stop(c->msg);
	write_unlock_bh(&sk->sk_callback_lock);
}

static int kecho_conn_get_buf(struct kecho_conn *c)
{
	if (!c->buf)
		c->buf = kmem_cache_alloc(kecho_buf_cache, GFP_KERNEL);
	return c->buf ? 0 : -ENOMEM;
}

static void kecho_conn_put_buf(struct kecho_conn *c)
{
	kmem_cache_free(kecho_buf_cache, c->buf);
	c->buf = NULL;
}

static int kecho_conn_recvmsg(struct kecho_conn *c, void *to, size_t size)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov = { .iov_base = to, .iov_len = size };
	int ret;

	ret = kernel_recvmsg(c->sock, &msg, &iov, 1, size, MSG_DONTWAIT);
	if (ret > 0)
		kecho_stat_add(KECHO_STAT_BYTES_IN, ret);
	return ret;
}

static int kecho_conn_sendmsg(struct kecho_conn *c, void *from, size_t size)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = from, .iov_len = size };
	int ret;

	ret = kernel_sendmsg(c->sock, &msg, &iov, 1, size);
	if (ret > 0)
		kecho_stat_add(KECHO_STAT_BYTES_OUT, ret);
	else if (ret == 0)
		ret = -EAGAIN;	/* no progress: wait for write space */
	return ret;
}

/*
 * Echo a small message from the stack. What the socket does not take is
 * kept in a buffer (c->len > 0 afterwards), as if it had been received
 * there. Returns what recv returned, or the error that ends the
 * connection; bytes it could keep nowhere count as dropped, so that
 * "buffered" (in - out - dropped) stays what the buffers hold.
 */
static int kecho_conn_echo_small(struct kecho_conn *c)
{
	u8 small[KECHO_SMALL_SIZE];
	int received, sent;

	received = kecho_conn_recvmsg(c, small, sizeof(small));
	if (received <= 0)
		return received;
	sent = kecho_conn_sendmsg(c, small, received);
	if (sent == received)
		return received;
	if (sent < 0 && sent != -EAGAIN) {
		kecho_stat_add(KECHO_STAT_DROPPED, received);
		return sent;
	}
	sent = max(sent, 0);
	if (kecho_conn_get_buf(c)) {
		kecho_stat_add(KECHO_STAT_DROPPED, received - sent);
		return -ENOMEM;
	}
	memcpy(c->buf, small + sent, received - sent);
	c->off = 0;
	c->len = received - sent;
	return received;
}

static int kecho_conn_recv(struct kecho_conn *c)
{
	struct sock *sk = c->sock->sk;
	int ret;

	if (!kecho_conn_readable(sk))
		return -EAGAIN;
	if (!c->buf && kecho_conn_inq_hint(sk) <= KECHO_SMALL_SIZE)
		return kecho_conn_echo_small(c);
	/* Bulk data: send the received pages back (0: urgent data, copy). */
	ret = kecho_conn_echo_zerocopy(c);
	if (ret)
		return ret;
	if (kecho_conn_get_buf(c))
		return -ENOMEM;
	ret = kecho_conn_recvmsg(c, c->buf, KECHO_BUF_SIZE);
	if (ret > 0) {
		c->off = 0;
		c->len = ret;
	}
	return ret;
}

static int kecho_conn_send(struct kecho_conn *c)
{
	int ret;

	ret = kecho_conn_sendmsg(c, c->buf + c->off, c->len);
	if (ret > 0) {
		c->off += ret;
		c->len -= ret;
	}
	return ret;
}

/*
 * Whether bytes written to the socket (or our FIN) still wait for the
 * peer's ACK. Lockless: nothing is written once the echo has ended, so
 * the answer can only go from true to false.
 */
static bool kecho_conn_unacked(const struct sock *sk)
{
	const struct tcp_sock *tp = tcp_sk(sk);

	return READ_ONCE(tp->snd_una) != READ_ONCE(tp->write_seq);
}

/*
 * The peer shut its write side and every byte received has been handed
 * to the socket. Releasing the socket now would leave an orphan to deliver
 * the rest, and TCP gives orphans less: tcp_orphan_retries() (8) instead
 * of tcp_retries2 (15) retransmissions and window probes, then it drops
 * the connection without telling the peer. A slow reader, whose small
 * window makes the sender back off, lost the tail of its echo that way.
 * So unless everything is acknowledged already, send our FIN behind the
 * echo and keep the connection until the peer has acknowledged it all,
 * our FIN too, or until the socket reaches TCP_CLOSE because TCP gave up
 * or was reset. The TCP user timeout bounds the wait; state_change queues
 * io_work when the state moves.
 *
 * Returns true when the connection can be released.
 */
static bool kecho_conn_drained(struct kecho_conn *c)
{
	struct sock *sk = c->sock->sk;

	if (!c->draining) {
		if (!kecho_conn_unacked(sk))
			return true;
		c->draining = true;
		if (!READ_ONCE(kecho_user_timeout))
			kecho_conn_user_timeout(sk, KECHO_DRAIN_TIMEOUT);
		kernel_sock_shutdown(c->sock, SHUT_WR);
	}
	/*
	 * Acknowledged with our FIN (LAST_ACK -> CLOSE after the peer's FIN;
	 * FIN_WAIT1 -> FIN_WAIT2 when khttpd closes first, and the orphan
	 * then waits for the peer's FIN on its own), or given up.
	 */
	return READ_ONCE(sk->sk_state) == TCP_CLOSE || !kecho_conn_unacked(sk);
}

/* After this nothing can find @c or queue its io_work. */
static void kecho_conn_unlink(struct kecho_conn *c)
{
	spin_lock(&kecho_conns_lock);
	list_del(&c->node);
	spin_unlock(&kecho_conns_lock);
	kecho_conn_detach(c);
}

/* The end of a conn, once its io_work is neither queued nor running. */
static void kecho_conn_free(struct kecho_conn *c)
{
	struct sock *sk = c->sock->sk;

	/* A reset, an error, unload or a timeout ended an unfinished echo. */
	if (c->len || kecho_conn_unacked(sk) ||
	    (c->msg && kecho_msg_pending(c->msg)))
		kecho_stat_add(KECHO_STAT_CLOSED_UNSENT, 1);
	if (READ_ONCE(sk->sk_err) && !test_bit(KECHO_CONN_ABORT, &c->flags))
		kecho_stat_add(KECHO_STAT_ERRORS, 1);

	if (test_bit(KECHO_CONN_ABORT, &c->flags))
		sock_no_linger(c->sock->sk);	/* reset, drop queued data */
	else
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
	sock_release(c->sock);

	if (c->len)
		kecho_stat_add(KECHO_STAT_DROPPED, c->len);
	if (c->buf)
		kecho_conn_put_buf(c);
	if (c->msg)
		kecho_msg_free(c->msg);
	kmem_cache_free(kecho_conn_cache, c);

	if (atomic_dec_and_test(&kecho_nconns))
		wake_up(&kecho_conns_gone);
}

/*
 * io_work ends its own conn. The workqueue allows a work item to free
 * itself; a rerun queued by a callback before the unlink is taken back by
 * cancel_work(). If release_work already owns the conn, it waits for us.
 */
static void kecho_conn_finish(struct kecho_conn *c)
{
	if (test_and_set_bit(KECHO_CONN_CLOSING, &c->flags))
		return;
	kecho_conn_unlink(c);
	/* strparser's work may queue io_work until it is done. */
	if (c->msg)
		kecho_msg_done(c->msg);
	cancel_work(&c->io_work);
	kecho_conn_free(c);
}

/*
 * Echo until there is nothing to do, an error, the end of the echo or the
 * budget is spent. Returns -EAGAIN (idle: a callback will queue io_work
 * again), -EINPROGRESS (budget spent with work left), 0 (everything
 * received has been echoed after the peer's FIN) or the error.
 */
static int kecho_conn_do_io(struct kecho_conn *c)
{
	unsigned int budget = KECHO_IO_BUDGET;
	int ret;

	while (budget--) {
		if (!c->len && c->eof)
			return 0;
		if (c->len) {
			ret = kecho_conn_send(c);
		} else {
			ret = kecho_conn_recv(c);
			if (ret == 0)
				c->eof = true;
		}
		if (ret == -EAGAIN) {
			/* Idle: nothing to send, nothing to read. */
			if (!c->len && c->buf)
				kecho_conn_put_buf(c);
			return ret;
		}
		if (ret < 0)
			return ret;
	}
	return -EINPROGRESS;
}

static void kecho_conn_io_work(struct work_struct *work)
{
	struct kecho_conn *c = container_of(work, struct kecho_conn, io_work);
	int ret;

	if (test_bit(KECHO_CONN_CLOSING, &c->flags) || !kecho_conn_io_begin(c))
		return;

	if (c->msg)
		ret = kecho_msg_do_io(c, KECHO_IO_BUDGET);
	else
		ret = kecho_conn_do_io(c);
	if (ret == 0 && !kecho_conn_drained(c))
		ret = -EAGAIN;	/* state_change queues io_work when it moves */
	if (ret == -EAGAIN || ret == -EINPROGRESS) {
		kecho_conn_io_end(c);
		/* Budget spent: go to the back of the queue. */
		if (ret == -EINPROGRESS)
			queue_work(kecho_wq, &c->io_work);
		return;
	}
	/* A reset asked for (a chat client too slow for the room) is none. */
	if (ret < 0 && !test_and_set_bit(KECHO_CONN_ABORT, &c->flags)) {
		pr_debug("connection error %d\n", ret);
		kecho_stat_add(KECHO_STAT_ERRORS, 1);
	}
	kecho_conn_finish(c);
}

static void kecho_conn_release_work(struct work_struct *work)
{
	struct kecho_conn *c = container_of(work, struct kecho_conn,
					    release_work);

	kecho_conn_unlink(c);
	cancel_work_sync(&c->io_work);
	/*
	 * Only now, with io_work (which parses too) stopped; strparser's
	 * work may queue io_work until it is done, and such a run returns
	 * at once (KECHO_CONN_CLOSING).
	 */
	if (c->msg) {
		kecho_msg_done(c->msg);
		cancel_work_sync(&c->io_work);
	}
	kecho_conn_free(c);
}

/**
 * kecho_conn_create - start echoing on an accepted socket
 * @sock: the accepted socket; owned by the new conn on success, left to
 *	the caller on failure
 *
 * Return: 0 or a negative error (-ENOMEM).
 */
int kecho_conn_create(struct socket *sock)
{
	struct sock *sk = sock->sk;
	unsigned int mode;
	bool early;
	struct kecho_conn *c;
	int ret;

	c = kmem_cache_zalloc(kecho_conn_cache, GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->sock = sock;
	/* The mode is fixed for the connection's life. */
	mode = READ_ONCE(kecho_mode);
	if (mode != KECHO_MODE_STREAM) {
		ret = kecho_msg_create(c, mode == KECHO_MODE_CHAT);
		if (ret) {
			kmem_cache_free(kecho_conn_cache, c);
			return ret;
		}
	}
	INIT_WORK(&c->io_work, kecho_conn_io_work);
	INIT_WORK(&c->release_work, kecho_conn_release_work);
	/*
	 * Ours until the conn is set up: once the callbacks are attached
	 * (and a chat client is in the room) io_work can be queued, and a
	 * run that met the end of the connection would free the conn and
	 * the socket under us. Held, it only leaves its note and returns.
	 */
	set_bit(KECHO_CONN_IO, &c->flags);

	atomic_inc(&kecho_nconns);
	spin_lock(&kecho_conns_lock);
	list_add_tail(&c->node, &kecho_conns);
	spin_unlock(&kecho_conns_lock);
	kecho_stat_add(KECHO_STAT_ACCEPTED, 1);

	kecho_conn_keepalive(sk, READ_ONCE(kecho_keepalive));
	kecho_conn_user_timeout(sk, READ_ONCE(kecho_user_timeout));
	kecho_conn_attach(c);
	if (c->msg)
		kecho_msg_join(c->msg);
	/*
	 * A stream connection whose request is still on its way costs no
	 * work item until it comes: crr then runs one io_work per
	 * connection, for the FIN. Message mode always starts the parser.
	 * An io_work run that found KECHO_CONN_IO taken left its note.
	 */
	early = kecho_conn_start(sk);
	/*
	 * Once we let go, io_work may run and end the conn; ending it
	 * detaches the callbacks first, which waits for this read lock.
	 */
	read_lock_bh(&sk->sk_callback_lock);
	kecho_conn_io_end(c);
	/* Let go, then look for the note: pairs with io_begin(). */
	smp_mb__after_atomic();
	if (test_and_clear_bit(KECHO_CONN_IO_MISSED, &c->flags) || early ||
	    c->msg)
		queue_work(kecho_wq, &c->io_work);
	read_unlock_bh(&sk->sk_callback_lock);
	return 0;
}

int kecho_conns_init(void)
{
	int ret;

	ret = kecho_fastpath_init();
	if (ret)
		return ret;
	ret = kecho_msg_init();
	if (ret)
		goto err_fastpath;
	/* Named for the module: khttpd.ko builds this file too. */
	kecho_conn_cache = kmem_cache_create(KBUILD_MODNAME "_conn",
					     sizeof(struct kecho_conn), 0, 0,
					     NULL);
	kecho_buf_cache = kmem_cache_create(KBUILD_MODNAME "_buf",
					    KECHO_BUF_SIZE, 0, 0, NULL);
	if (!kecho_conn_cache || !kecho_buf_cache) {
		ret = -ENOMEM;
		goto err_caches;
	}
	return 0;

err_caches:
	kmem_cache_destroy(kecho_buf_cache);
	kmem_cache_destroy(kecho_conn_cache);
	kecho_msg_exit();
err_fastpath:
	kecho_fastpath_exit();
	return ret;
}

/*
 * After kecho_conns_close_all(): every buffer is back in the cache and no
 * callback can run the echo. Pages still in flight keep their own refs.
 */
void kecho_conns_exit(void)
{
	kecho_fastpath_exit();
	kmem_cache_destroy(kecho_buf_cache);
	kmem_cache_destroy(kecho_conn_cache);
	kecho_msg_exit();
}

/*
 * Reset every connection and wait until all are freed. The caller has
 * stopped the listener, so no connection can be added meanwhile.
 */
void kecho_conns_close_all(void)
{
	struct kecho_conn *c;

	spin_lock(&kecho_conns_lock);
	list_for_each_entry(c, &kecho_conns, node) {
		set_bit(KECHO_CONN_ABORT, &c->flags);
		kecho_conn_close(c);
	}
	spin_unlock(&kecho_conns_lock);

	wait_event(kecho_conns_gone, !atomic_read(&kecho_nconns));
}
