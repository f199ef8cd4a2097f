/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, keyed on features found by compat-probe.sh
 * (compat_probe.h), never on version numbers. One section per module;
 * each section is owned by that module's code.
 *
 * The floor is Linux 6.1 (Debian 12): both modules use its APIs
 * (ITER_SOURCE, per-netns ehash, sockptr, sk_user_data flags) without
 * fallbacks, so an older kernel is refused here with a clear message
 * rather than with a page of compile errors.
 */
#ifndef KECHO_COMPAT_H
#define KECHO_COMPAT_H

#include <linux/uio.h>

#include "compat_probe.h"

/* ITER_SOURCE is one of 6.1's APIs: keyed on it, like everything here. */
#ifndef ITER_SOURCE
#error "kecho and drop-tcp-socket need Linux 6.1 or newer"
#endif

/* ------------------------------------------------------------------ */
/* kecho                                                               */
/* ------------------------------------------------------------------ */

#include <linux/in6.h>
#include <linux/net.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <linux/bvec.h>
#include <linux/sockptr.h>

/*
 * sk_page_frag() hands out current->task_frag unless told not to: newer
 * kernels ask sk_use_task_frag; older ones hand it out only for sleeping
 * sk_allocation, which kecho's softirq send never uses. Turn it off for a
 * send that must use sk->sk_frag, and back on after.
 */
#ifdef KECHO_HAVE_SK_USE_TASK_FRAG
static inline bool kecho_sk_task_frag_off(struct sock *sk)
{
	bool was = sk->sk_use_task_frag;

	sk->sk_use_task_frag = false;
	return was;
}

static inline void kecho_sk_task_frag_restore(struct sock *sk, bool was)
{
	sk->sk_use_task_frag = was;
}
#else
static inline bool kecho_sk_task_frag_off(struct sock *sk)
{
	return false;
}

static inline void kecho_sk_task_frag_restore(struct sock *sk, bool was)
{
}
#endif

/*
 * The sk_data_ready tracepoint: a socket's own data_ready callback fires
 * it, as the stock one and in-tree users (nvmet-tcp, sunrpc) do.
 */
#ifdef KECHO_HAVE_TRACE_SK_DATA_READY
#include <trace/events/sock.h>
#define kecho_trace_sk_data_ready(sk)	trace_sk_data_ready(sk)
#else
static inline void kecho_trace_sk_data_ready(const struct sock *sk)
{
}
#endif

/*
 * Newer kernels (and stable backports) want a per-CPU workqueue to say so
 * with WQ_PERCPU, and warn when a workqueue names neither it nor
 * WQ_UNBOUND. Before the flag, per-CPU was what no flag meant.
 */
#ifdef KECHO_HAVE_WQ_PERCPU
#define KECHO_WQ_PERCPU		WQ_PERCPU
#else
#define KECHO_WQ_PERCPU		0
#endif

/*
 * Send part of a page by reference: TCP takes its own reference and
 * holds the page until the bytes are acknowledged. sendpage went away
 * once sendmsg learned MSG_SPLICE_PAGES. @locked: the caller holds the
 * socket's lock (kecho's chat sends); else the socket takes it itself
 * (khttpd's files, through the socket layer and its hooks).
 */
static inline int __kecho_send_page(struct sock *sk, struct page *page,
				    int offset, size_t size, int flags,
				    bool locked)
{
#ifdef KECHO_HAVE_KERNEL_SENDPAGE
	if (locked)
		return kernel_sendpage_locked(sk, page, offset, size, flags);
	return kernel_sendpage(sk->sk_socket, page, offset, size, flags);
#else
	struct msghdr msg = { .msg_flags = flags | MSG_SPLICE_PAGES };
	struct bio_vec bvec;

	bvec_set_page(&bvec, page, size, offset);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, size);
	if (locked)
		return tcp_sendmsg_locked(sk, &msg, size);
	return sock_sendmsg(sk->sk_socket, &msg);
#endif
}

static inline int kecho_send_page_locked(struct sock *sk, struct page *page,
					 int offset, size_t size, int flags)
{
	return __kecho_send_page(sk, page, offset, size, flags, true);
}

/* kernel_bind() takes a struct sockaddr_unsized * in newer kernels. */
static inline int kecho_kernel_bind(struct socket *sock,
				    struct sockaddr_storage *addr)
{
#ifdef KECHO_HAVE_SOCKADDR_UNSIZED
	return kernel_bind(sock, (struct sockaddr_unsized *)addr,
			   sizeof(*addr));
#else
	return kernel_bind(sock, (struct sockaddr *)addr, sizeof(*addr));
#endif
}

/*
 * Turn IPV6_V6ONLY off so that one AF_INET6 socket also serves IPv4.
 * The kernel only has a helper to turn it on (ip6_sock_set_v6only()), so
 * go through the protocol's setsockopt with a kernel pointer.
 */
static inline int kecho_sock_clear_v6only(struct socket *sock)
{
	int off = 0;

	return sock->ops->setsockopt(sock, SOL_IPV6, IPV6_V6ONLY,
				     KERNEL_SOCKPTR(&off), sizeof(off));
}

/*
 * The listener's sk_user_data, stored with SK_USER_DATA_NOCOPY so that
 * sockets cloned from the listener (accepted children) do not inherit it.
 */
static inline void kecho_listener_data_set(struct sock *sk, void *ptr)
{
	lockdep_assert_held_write(&sk->sk_callback_lock);
	__rcu_assign_sk_user_data_with_flags(sk, ptr,
					     ptr ? SK_USER_DATA_NOCOPY : 0);
}

static inline void *kecho_listener_data_get(const struct sock *sk)
{
	return __locked_read_sk_user_data_with_flags(sk, 0);
}

/* ------------------------------------------------------------------ */
/* khttpd                                                              */
/* ------------------------------------------------------------------ */

/* A file's page by reference: __kecho_send_page() in kecho's section. */
static inline int kecho_send_page(struct socket *sock, struct page *page,
				  int offset, size_t size, int flags)
{
	return __kecho_send_page(sock->sk, page, offset, size, flags, false);
}

/* ------------------------------------------------------------------ */
/* drop-tcp-socket                                                     */
/* ------------------------------------------------------------------ */

#include <linux/proc_fs.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

/*
 * Exact lookups in the established hash, in the receive path's view
 * (source = remote end). Newer kernels find the table from @net
 * (probe: DTS_HAVE_LOOKUP_BY_NET). Before that the caller passes it:
 * the netns's own (per-netns ehash, since 6.1).
 */
#ifdef DTS_HAVE_LOOKUP_BY_NET
static inline struct sock *
dts_lookup_established(struct net *net, __be32 saddr, __be16 sport,
		       __be32 daddr, u16 hnum)
{
	return __inet_lookup_established(net, saddr, sport, daddr, hnum, 0, 0);
}

#if IS_ENABLED(CONFIG_IPV6)
static inline struct sock *
dts_lookup6_established(struct net *net, const struct in6_addr *saddr,
			__be16 sport, const struct in6_addr *daddr, u16 hnum)
{
	return __inet6_lookup_established(net, saddr, sport, daddr, hnum,
					  0, 0);
}
#endif
#else /* !DTS_HAVE_LOOKUP_BY_NET */
static inline struct inet_hashinfo *dts_tcp_hashinfo(struct net *net)
{
	return net->ipv4.tcp_death_row.hashinfo;
}

static inline struct sock *
dts_lookup_established(struct net *net, __be32 saddr, __be16 sport,
		       __be32 daddr, u16 hnum)
{
	return __inet_lookup_established(net, dts_tcp_hashinfo(net), saddr,
					 sport, daddr, hnum, 0, 0);
}

#if IS_ENABLED(CONFIG_IPV6)
static inline struct sock *
dts_lookup6_established(struct net *net, const struct in6_addr *saddr,
			__be16 sport, const struct in6_addr *daddr, u16 hnum)
{
	return __inet6_lookup_established(net, dts_tcp_hashinfo(net), saddr,
					  sport, daddr, hnum, 0, 0);
}
#endif
#endif /* DTS_HAVE_LOOKUP_BY_NET */

#endif /* KECHO_COMPAT_H */
