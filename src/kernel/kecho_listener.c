// SPDX-License-Identifier: GPL-2.0
/*
 * kecho listener: the listening socket, its accept work and rebinding.
 *
 * The listening socket's sk_data_ready queues accept_work, which accepts
 * with O_NONBLOCK until the queue is empty (or its budget is spent, then
 * it requeues itself) and hands each socket to kecho_conn_create(). The
 * caller of kecho_listener_start() owns the listener and must stop it with
 * kecho_listener_stop(); kecho_main.c serializes both under its mutex.
 */
#include <linux/fcntl.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "kecho.h"
#include "compat.h"

/* Connections accepted per accept_work run before requeueing. */
#define KECHO_ACCEPT_BUDGET	64
/* Most connections adopted from a listener being replaced. */
#define KECHO_ADOPT_MAX		65536
/* Pause after a failed accept: doubles per failure in a row, up to max. */
#define KECHO_ACCEPT_BACKOFF_MIN	msecs_to_jiffies(10)
#define KECHO_ACCEPT_BACKOFF_MAX	msecs_to_jiffies(1000)

struct kecho_listener {
	struct socket *sock;
	struct delayed_work accept_work;
	unsigned long backoff;		/* jiffies; 0 after a good accept */
	void (*saved_data_ready)(struct sock *sk);
	u16 port;
};

/**
 * kecho_addr_parse - turn the bind parameter into an address (port 0)
 * @bind: "" for every address (dual stack), or an IPv4 or IPv6 literal
 * @addr: the result
 *
 * Return: 0, or -EINVAL if @bind is not an address.
 */
int kecho_addr_parse(const char *bind, struct sockaddr_storage *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (!*bind) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = in6addr_any;
		return 0;
	}
	return inet_pton_with_scope(&init_net, AF_UNSPEC, bind, NULL, addr);
}

static bool kecho_addr_is_any6(const struct sockaddr_storage *addr)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)addr;

	return addr->ss_family == AF_INET6 &&
	       ipv6_addr_any(&sin6->sin6_addr);
}

static void kecho_addr_set_port(struct sockaddr_storage *addr, u16 port)
{
	if (addr->ss_family == AF_INET6)
		((struct sockaddr_in6 *)addr)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)addr)->sin_port = htons(port);
}

/* A child is a clone of the listener: give it back the stock callback. */
static void kecho_child_reset(struct kecho_listener *l, struct sock *sk)
{
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = l->saved_data_ready;
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* Close an accepted socket at once, with a reset. */
static void kecho_child_refuse(struct socket *sock)
{
	sock_no_linger(sock->sk);
	sock_release(sock);
}

/*
 * Accept up to @budget connections. Returns 0 when the queue is empty,
 * -EINPROGRESS when the budget ran out, or the error of a failed accept
 * (e.g. -ENOMEM or -ENFILE): retrying at once would only spin.
 */
static int kecho_accept_batch(struct kecho_listener *l, unsigned int budget)
{
	struct socket *sock;
	int ret;

	while (budget--) {
		ret = kernel_accept(l->sock, &sock, O_NONBLOCK);
		if (ret == -EAGAIN)
			return 0;
		if (ret) {
			pr_debug("accept failed: %d\n", ret);
			kecho_stat_add(KECHO_STAT_ERRORS, 1);
			return ret;
		}
		l->backoff = 0;
		kecho_child_reset(l, sock->sk);

		if (kecho_conns_active() >= READ_ONCE(kecho_max_conns)) {
			kecho_stat_add(KECHO_STAT_REFUSED, 1);
			kecho_child_refuse(sock);
			continue;
		}
		ret = kecho_conn_create(sock);
		if (ret) {
			kecho_stat_add(KECHO_STAT_ERRORS, 1);
			kecho_child_refuse(sock);
		}
	}
	return -EINPROGRESS;
}

static void kecho_accept_work(struct work_struct *work)
{
	struct kecho_listener *l = container_of(to_delayed_work(work),
						struct kecho_listener,
						accept_work);
	int ret;

	ret = kecho_accept_batch(l, KECHO_ACCEPT_BUDGET);
	if (!ret)
		return;
	if (ret == -EINPROGRESS) {
		/* Budget spent: let other work run, then go on. */
		queue_delayed_work(kecho_wq, &l->accept_work, 0);
		return;
	}
	/*
	 * The connection stays in the accept queue, and data_ready will not
	 * come again for it: retry after a pause that grows while accepts
	 * keep failing. data_ready cannot cut the pause short
	 * (queue_delayed_work() leaves a pending item alone).
	 */
	l->backoff = clamp(l->backoff * 2, KECHO_ACCEPT_BACKOFF_MIN,
			   KECHO_ACCEPT_BACKOFF_MAX);
	kecho_stat_add(KECHO_STAT_ACCEPT_BACKOFFS, 1);
	pr_warn_ratelimited("accept failed (%pe); retrying in %u ms\n",
			    ERR_PTR(ret), jiffies_to_msecs(l->backoff));
	queue_delayed_work(kecho_wq, &l->accept_work, l->backoff);
}

static void kecho_listen_data_ready(struct sock *sk)
{
	struct kecho_listener *l;

	kecho_trace_sk_data_ready(sk);
	read_lock_bh(&sk->sk_callback_lock);
	l = kecho_listener_data_get(sk);
	/* Children cloned before accept share this callback: skip them. */
	if (l && sk->sk_state == TCP_LISTEN)
		queue_delayed_work(kecho_wq, &l->accept_work, 0);
	read_unlock_bh(&sk->sk_callback_lock);
}

static int kecho_listen_socket(struct kecho_listener *l,
			       struct sockaddr_storage *addr,
			       unsigned int backlog)
{
	int ret;

	ret = sock_create_kern(&init_net, addr->ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &l->sock);
	if (ret)
		return ret;

	sock_set_reuseaddr(l->sock->sk);
	/* Inherited by every child: echo small writes without Nagle delay. */
	tcp_sock_set_nodelay(l->sock->sk);
	if (addr->ss_family == AF_INET6) {
		ret = kecho_sock_clear_v6only(l->sock);
		if (ret)
			goto err;
	}
	ret = kecho_kernel_bind(l->sock, addr);
	if (ret)
		goto err;
	ret = kernel_listen(l->sock, backlog);
	if (ret)
		goto err;
	return 0;

err:
	sock_release(l->sock);
	l->sock = NULL;
	return ret;
}

/**
 * kecho_listener_start - listen and start accepting
 * @addr: address from kecho_addr_parse(); the wildcard IPv6 address falls
 *	back to IPv4 when IPv6 is unavailable
 * @port: TCP port
 * @backlog: listen backlog
 *
 * Return: the listener, or an ERR_PTR (-EADDRINUSE if the port is taken).
 */
struct kecho_listener *kecho_listener_start(const struct sockaddr_storage *addr,
					    u16 port, unsigned int backlog)
{
	struct sockaddr_storage ss = *addr;
	struct kecho_listener *l;
	struct sock *sk;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	INIT_DELAYED_WORK(&l->accept_work, kecho_accept_work);
	l->port = port;

	kecho_addr_set_port(&ss, port);
	ret = kecho_listen_socket(l, &ss, backlog);
	if (ret == -EAFNOSUPPORT && kecho_addr_is_any6(&ss)) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		pr_info("IPv6 unavailable, listening on IPv4 only\n");
		memset(&ss, 0, sizeof(ss));
		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
		sin->sin_port = htons(port);
		ret = kecho_listen_socket(l, &ss, backlog);
	}
	if (ret) {
		kfree(l);
		return ERR_PTR(ret);
	}

	sk = l->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	l->saved_data_ready = sk->sk_data_ready;
	kecho_listener_data_set(sk, l);
	sk->sk_data_ready = kecho_listen_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	/* Clients may have connected between listen() and the callback. */
	queue_delayed_work(kecho_wq, &l->accept_work, 0);
	return l;
}

/* Change the backlog of a listening socket in place (listen() again). */
int kecho_listener_set_backlog(struct kecho_listener *l, unsigned int backlog)
{
	return kernel_listen(l->sock, backlog);
}

u16 kecho_listener_port(const struct kecho_listener *l)
{
	return l->port;
}

/**
 * kecho_listener_stop - stop accepting and free the listener
 * @l: the listener
 * @adopt: serve the connections already waiting in its accept queue
 *	(rebinding) instead of resetting them (unloading)
 */
void kecho_listener_stop(struct kecho_listener *l, bool adopt)
{
	struct sock *sk = l->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_data_ready = l->saved_data_ready;
	kecho_listener_data_set(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	cancel_delayed_work_sync(&l->accept_work);

	if (adopt)
		kecho_accept_batch(l, KECHO_ADOPT_MAX);

	sock_release(l->sock);
	kfree(l);
}
