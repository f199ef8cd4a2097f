// SPDX-License-Identifier: GPL-2.0
/*
 * What both message layers (kecho_msg.c, khttpd_conn.c) do with the
 * kernel's stream parser the same way: size the socket for it, and parse
 * from io_work as data_ready would. Part of the engine: khttpd.ko builds
 * it too.
 */
#include <linux/bottom_half.h>
#include <linux/sched.h>
#include <net/sock.h>
#include <net/strparser.h>

#include "kecho_conn.h"

/**
 * kecho_strp_sock_setup - make a socket fit for strparser
 * @sk: the socket, not yet seen by the parser
 * @largest: the longest message allowed, in bytes
 * @timeout: seconds a message may take to arrive, 0 for no limit
 *
 * strparser refuses a message larger than the socket's receive buffer,
 * and waits until the rest of a message sits in it: make room for the
 * largest message allowed, twice over for TCP's overhead (its window
 * offers about half the free space), plus a stream buffer. Autotuning may
 * still raise it. Its assembly timer is armed from sk_rcvtimeo.
 */
void kecho_strp_sock_setup(struct sock *sk, unsigned int largest,
			   unsigned int timeout)
{
	int need = 2 * largest + KECHO_BUF_SIZE;

	lock_sock(sk);
	if (sk->sk_rcvbuf < need)
		WRITE_ONCE(sk->sk_rcvbuf, need);
	/* LONG_MAX (never) when 0. */
	WRITE_ONCE(sk->sk_rcvtimeo,
		   timeout ? (long)timeout * HZ : MAX_SCHEDULE_TIMEOUT);
	release_sock(sk);
}

/**
 * kecho_strp_parse_now - parse what waits, from io_work
 * @strp: the parser; paused only when its queue was full, which io_work
 *	has now emptied
 * @sk: its socket
 *
 * As data_ready does in softirq: under the socket's spinlock with no
 * process owning it.
 *
 * Return: 0, or -EBUSY when strparser's work owns the socket (it calls
 * back for anything it frames, but may frame nothing: io_work must then
 * come back to look).
 */
int kecho_strp_parse_now(struct strparser *strp, struct sock *sk)
{
	int ret = -EBUSY;

	if (strp->paused)
		strp_unpause(strp);
	local_bh_disable();
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		strp_data_ready(strp);
		ret = 0;
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	return ret;
}
