/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, keyed on features found by compat-probe.sh
 * (compat_probe.h), never on version numbers. One section per module;
 * each section is owned by that module's code.
 */
#ifndef KECHO_COMPAT_H
#define KECHO_COMPAT_H

#include "compat_probe.h"

/* ------------------------------------------------------------------ */
/* kecho                                                               */
/* ------------------------------------------------------------------ */

#include <linux/in6.h>
#include <linux/net.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/tcp.h>

#ifdef KECHO_HAVE_SOCKPTR
#include <linux/sockptr.h>
#endif

#ifndef KECHO_HAVE_SOCK_SET_REUSEADDR
static inline void sock_set_reuseaddr(struct sock *sk)
{
	lock_sock(sk);
	sk->sk_reuse = SK_CAN_REUSE;
	release_sock(sk);
}
#endif

#ifndef KECHO_HAVE_TCP_SOCK_SET_NODELAY
static inline void tcp_sock_set_nodelay(struct sock *sk)
{
	lock_sock(sk);
	tcp_sk(sk)->nonagle |= TCP_NAGLE_OFF | TCP_NAGLE_PUSH;
	release_sock(sk);
}
#endif

#ifndef KECHO_HAVE_SOCK_NO_LINGER
static inline void sock_no_linger(struct sock *sk)
{
	lock_sock(sk);
	sk->sk_lingertime = 0;
	sock_set_flag(sk, SOCK_LINGER);
	release_sock(sk);
}
#endif

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

#ifdef KECHO_HAVE_SOCKPTR
	return sock->ops->setsockopt(sock, SOL_IPV6, IPV6_V6ONLY,
				     KERNEL_SOCKPTR(&off), sizeof(off));
#else
	return kernel_setsockopt(sock, SOL_IPV6, IPV6_V6ONLY,
				 (char *)&off, sizeof(off));
#endif
}

/*
 * The listener's sk_user_data. Where the kernel supports it the pointer is
 * stored with SK_USER_DATA_NOCOPY, so sockets cloned from the listener
 * (accepted children) do not inherit it. Without it children inherit the
 * pointer, which is harmless: the listener's data_ready ignores sockets
 * that are not listening, and kecho resets every child it accepts.
 * Both must be called with sk->sk_callback_lock held.
 */
#ifdef KECHO_HAVE_SK_USER_DATA_FLAGS
static inline void kecho_listener_data_set(struct sock *sk, void *ptr)
{
	__rcu_assign_sk_user_data_with_flags(sk, ptr,
					     ptr ? SK_USER_DATA_NOCOPY : 0);
}

static inline void *kecho_listener_data_get(const struct sock *sk)
{
	return __locked_read_sk_user_data_with_flags(sk, 0);
}
#else
static inline void kecho_listener_data_set(struct sock *sk, void *ptr)
{
	sk->sk_user_data = ptr;
}

static inline void *kecho_listener_data_get(const struct sock *sk)
{
	return sk->sk_user_data;
}
#endif

/* ------------------------------------------------------------------ */
/* drop-tcp-socket                                                     */
/* ------------------------------------------------------------------ */

#include <linux/proc_fs.h>
#include <net/inet_hashtables.h>
#include <net/inet6_hashtables.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

/* pde_data() replaced PDE_DATA() (probe: DTS_HAVE_PDE_DATA). */
#ifndef DTS_HAVE_PDE_DATA
#define pde_data(inode) PDE_DATA(inode)
#endif

/*
 * Exact lookups in the established hash, in the receive path's view
 * (source = remote end). Newer kernels find the table from @net
 * (probe: DTS_HAVE_LOOKUP_BY_NET). Before that the caller passes it:
 * per-netns ehash (probe: DTS_HAVE_PERNET_EHASH) may give a netns its
 * own table; before that every netns shared tcp_hashinfo.
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
#ifdef DTS_HAVE_PERNET_EHASH
	return net->ipv4.tcp_death_row.hashinfo;
#else
	return &tcp_hashinfo;
#endif
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
