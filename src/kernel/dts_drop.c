// SPDX-License-Identifier: GPL-2.0
/*
 * drop-tcp-socket: find one connection by exact tuple and abort it.
 *
 * Only the established hash is searched (__inet_lookup_established and
 * __inet6_lookup_established), never the listening hash, so a tuple
 * that matches no connection can never hit a listener. The established
 * hash holds full sockets in every state but LISTEN and CLOSE, TIME_WAIT
 * sockets and NEW_SYN_RECV request sockets; the lookup returns each
 * with a reference held.
 *
 * The socket is then dropped exactly as SOCK_DESTROY (ss -K) does it:
 * tcp_abort() locks a full socket, sends the peer an RST where the
 * state calls for one and reports ECONNABORTED to local users; it
 * deschedules a TIME_WAIT socket with inet_twsk_deschedule_put() under
 * local_bh_disable() on a reference of its own; it unlinks a request
 * socket from its listener's queue. sock_gen_put() then drops the
 * lookup's reference, whatever kind of socket it was.
 *
 * A line may name the state and the inet_diag cookie the writer listed;
 * a socket that differs is left alone. The check and the abort are not
 * atomic: docs/drop-tcp-socket.md lists what can change in between.
 */

#include <linux/errno.h>
#include <linux/rcupdate.h>
#include <linux/sock_diag.h>
#include <linux/kernel.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "dts.h"

/* Returns the socket with a reference held, or NULL. */
static struct sock *dts_lookup(struct net *net, const struct dts_tuple *t)
{
	struct sock *sk = NULL;

	/*
	 * The lookup takes the receive path's view: source = the remote
	 * end, destination = the local end, local port in host order.
	 */
	rcu_read_lock();
	if (t->v4)
		sk = dts_lookup_established(net, t->raddr.s6_addr32[3],
					    htons(t->rport),
					    t->laddr.s6_addr32[3], t->lport);
#if IS_ENABLED(CONFIG_IPV6)
	else
		sk = dts_lookup6_established(net, &t->raddr, htons(t->rport),
					     &t->laddr, t->lport);
#endif
	rcu_read_unlock();
	return sk;
}

/*
 * The state as ss and netstat show it: a TIME_WAIT socket by its substate
 * (an orphaned FIN_WAIT2 also lives as one), a request socket as SYN_RECV.
 */
static u8 dts_shown_state(const struct sock *sk)
{
	u8 state = READ_ONCE(sk->sk_state);

	if (state == TCP_TIME_WAIT)
		return READ_ONCE(inet_twsk(sk)->tw_substate);
	if (state == TCP_NEW_SYN_RECV)
		return TCP_SYN_RECV;
	return state;
}

/* Whether @sk is still what the writer listed: same state and cookie. */
static bool dts_matches(struct sock *sk, const struct dts_tuple *t)
{
	u32 cookie[2] = { lower_32_bits(t->cookie), upper_32_bits(t->cookie) };

	if (t->state && dts_shown_state(sk) != t->state)
		return false;
	return !t->has_cookie || !sock_diag_check_cookie(sk, cookie);
}

/**
 * dts_drop() - abort the TCP connection matching @t in @net
 * @net: network namespace to search
 * @t: local and remote end of the connection
 *
 * Context: process context, may sleep (lock_sock()).
 * Return: 0 when dropped, -ENOENT when nothing matched, the socket found
 * is in another state or has another cookie than @t names, or it was
 * closing already; another negative errno from tcp_abort().
 */
int dts_drop(struct net *net, const struct dts_tuple *t)
{
	struct sock *sk;
	int err;

	sk = dts_lookup(net, t);
	if (!sk)
		return -ENOENT;

	err = dts_matches(sk, t) ? tcp_abort(sk, ECONNABORTED) : -ENOENT;
	sock_gen_put(sk);
	return err;
}
