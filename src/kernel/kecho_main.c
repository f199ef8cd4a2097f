// SPDX-License-Identifier: GPL-2.0
/*
 * kecho: an event-driven in-kernel TCP echo server.
 *
 * This file holds the module parameters, module init/exit and the
 * workqueue that runs every kecho work item. Live changes of port and
 * backlog start the new listener before the old one is released, under
 * kecho_cfg_mutex, so a failed change leaves the old listener serving.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/tcp.h>

#include "kecho.h"
#include "kecho_param.h"
#include "compat.h"

static unsigned int kecho_port = 12345;
static unsigned int kecho_backlog = 128;
static int kecho_bench;
static char kecho_bind[64];
unsigned int kecho_max_conns = 10000;

struct workqueue_struct *kecho_wq;

/* Serializes the listener's lifecycle: init, exit, live port/backlog. */
static DEFINE_MUTEX(kecho_cfg_mutex);
/* The listener being served; NULL until init is done and after exit. */
static struct kecho_listener *kecho_lsn;
/* The bind parameter, parsed at init. */
static struct sockaddr_storage kecho_addr;

/* Make @port and @backlog current. */
static int kecho_apply(unsigned int port, unsigned int backlog)
{
	struct kecho_listener *old = kecho_lsn, *l;
	u16 old_port;

	lockdep_assert_held(&kecho_cfg_mutex);
	old_port = kecho_listener_port(old);

	/* Same port: listen() again on the live socket sets the backlog. */
	if (port == old_port)
		return kecho_listener_set_backlog(old, backlog);

	l = kecho_listener_start(&kecho_addr, port, backlog);
	if (IS_ERR(l)) {
		pr_warn("cannot listen on port %u (%pe); still serving port %u\n",
			port, l, old_port);
		return PTR_ERR(l);
	}
	kecho_lsn = l;
	kecho_stats_set_port(port);
	kecho_listener_stop(old, true);
	pr_info("moved from port %u to port %u\n", old_port, port);
	return 0;
}

/* port and backlog: 1..65535; applied at once when the module runs. */
static int kecho_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned int *dst = kp->arg;
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret || v < 1 || v > 65535)
		return -EINVAL;

	mutex_lock(&kecho_cfg_mutex);
	if (kecho_lsn)
		ret = kecho_apply(dst == &kecho_port ? v : kecho_port,
				  dst == &kecho_backlog ? v : kecho_backlog);
	if (!ret)
		WRITE_ONCE(*dst, v);
	mutex_unlock(&kecho_cfg_mutex);
	return ret;
}

static const struct kernel_param_ops kecho_param_ops = {
	.set = kecho_param_set,
	.get = param_get_uint,
};

module_param_cb(port, &kecho_param_ops, &kecho_port, 0644);
MODULE_PARM_DESC(port, "TCP port to serve (1-65535, default 12345; writable: rebinds)");
module_param_cb(backlog, &kecho_param_ops, &kecho_backlog, 0644);
MODULE_PARM_DESC(backlog, "listen backlog (1-65535, default 128; writable)");
/* bint: takes 0/1/y/n, reads back as 0 or 1. */
module_param_named(bench, kecho_bench, bint, 0444);
MODULE_PARM_DESC(bench, "1: bound per-CPU workers; 0: unbound workqueue (default)");
module_param_string(bind, kecho_bind, sizeof(kecho_bind), 0444);
MODULE_PARM_DESC(bind, "IPv4 or IPv6 address to listen on (default: all, IPv4 and IPv6)");
module_param_named(max_conns, kecho_max_conns, uint, 0644);
MODULE_PARM_DESC(max_conns, "connections served at once; more are reset (default 10000)");

/*
 * kecho never writes to an idle connection, so a peer that vanished
 * without its FIN or RST reaching us (a lost reset, a dead host) would
 * hold its slot for good: TCP keepalive finds and ends such connections.
 */
unsigned int kecho_keepalive = 60;
KECHO_RANGE_PARAM(keepalive, kecho_keepalive, 0, MAX_TCP_KEEPIDLE);
MODULE_PARM_DESC(keepalive,
		 "seconds of silence before TCP keepalive probes (0: off, max 32767, default 60; writable: new connections)");

/*
 * keepalive cannot end a connection whose data goes unacknowledged (a
 * peer that stopped reading, or one that vanished mid-echo): TCP's user
 * timeout does. It also bounds how long a closing connection waits for
 * the peer to take the rest of its echo.
 */
unsigned int kecho_user_timeout = 120;
/* TCP_USER_TIMEOUT is an int of milliseconds. */
KECHO_RANGE_PARAM(user_timeout, kecho_user_timeout, 0, INT_MAX / MSEC_PER_SEC);
MODULE_PARM_DESC(user_timeout,
		 "seconds a peer may leave sent data unacknowledged before it is dropped (TCP_USER_TIMEOUT; 0: off, default 120; writable: new connections)");

/*
 * A parameter that takes one of a few names (sysfs_streq: a trailing
 * newline is fine) and reads back as the name. @check, if any, may refuse
 * a choice this kernel cannot serve.
 */
struct kecho_choice {
	unsigned int *val;
	const char *const *names;
	unsigned int nr;
	int (*check)(unsigned int choice);
};

static int kecho_choice_set(const char *val, const struct kernel_param *kp)
{
	const struct kecho_choice *ch = kp->arg;
	int i, ret;

	i = __sysfs_match_string(ch->names, ch->nr, val);
	if (i < 0)
		return -EINVAL;
	if (ch->check) {
		ret = ch->check(i);
		if (ret)
			return ret;
	}
	WRITE_ONCE(*ch->val, i);
	return 0;
}

static int kecho_choice_get(char *buf, const struct kernel_param *kp)
{
	const struct kecho_choice *ch = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%s\n", ch->names[READ_ONCE(*ch->val)]);
}

static const struct kernel_param_ops kecho_choice_ops = {
	.set = kecho_choice_set,
	.get = kecho_choice_get,
};

/*
 * Message mode: 4-byte length-prefixed messages, each echoed whole. Chat
 * mode: the same messages, each relayed to every other chat client.
 */
unsigned int kecho_mode = KECHO_MODE_STREAM;
static const char *const kecho_mode_names[] = {
	[KECHO_MODE_STREAM] = "stream",
	[KECHO_MODE_MESSAGE] = "message",
	[KECHO_MODE_CHAT] = "chat",
};

static int kecho_mode_check(unsigned int mode)
{
	if (mode != KECHO_MODE_STREAM && !KECHO_HAVE_STREAM_PARSER) {
		pr_err("mode=%s needs a kernel built with CONFIG_STREAM_PARSER; this one is not\n",
		       kecho_mode_names[mode]);
		return -EOPNOTSUPP;
	}
	return 0;
}

static struct kecho_choice kecho_mode_choice = {
	.val = &kecho_mode,
	.names = kecho_mode_names,
	.nr = ARRAY_SIZE(kecho_mode_names),
	.check = kecho_mode_check,
};

module_param_cb(mode, &kecho_choice_ops, &kecho_mode_choice, 0644);
MODULE_PARM_DESC(mode,
		 "stream: echo bytes (default); message: echo whole 4-byte length-prefixed messages; chat: relay each message to every other chat client (writable: new connections)");

unsigned int kecho_max_msg = 64 * 1024;
KECHO_RANGE_PARAM(max_msg, kecho_max_msg, 0, KECHO_MSG_MAX);
MODULE_PARM_DESC(max_msg,
		 "largest message body in bytes; a larger header resets the connection (0-16777216, default 65536; writable: new messages)");

unsigned int kecho_msg_order = KECHO_ORDER_BE;
static const char *const kecho_order_names[] = {
	[KECHO_ORDER_BE] = "be",
	[KECHO_ORDER_LE] = "le",
};

static struct kecho_choice kecho_order_choice = {
	.val = &kecho_msg_order,
	.names = kecho_order_names,
	.nr = ARRAY_SIZE(kecho_order_names),
};

module_param_cb(msg_order, &kecho_choice_ops, &kecho_order_choice, 0644);
MODULE_PARM_DESC(msg_order,
		 "byte order of the message length: be (network order, default) or le (writable: new connections)");

unsigned int kecho_msg_timeout = 30;
KECHO_RANGE_PARAM(msg_timeout, kecho_msg_timeout, 0, 24 * 60 * 60);
MODULE_PARM_DESC(msg_timeout,
		 "seconds a message may take from its first byte to its last before the connection is reset (0: off, max 86400, default 30; writable: new connections)");

/*
 * Chat mode's bound on what waits for one client, in bytes of messages
 * plus 32 of bookkeeping each. Read at every message, so a change applies
 * at once. At least a page; at most 1 GiB, to keep the sum in range.
 */
unsigned int kecho_chat_queue = 1024 * 1024;
KECHO_RANGE_PARAM(chat_queue, kecho_chat_queue, 4096, 1024 * 1024 * 1024);
MODULE_PARM_DESC(chat_queue,
		 "bytes queued for one chat client before it is reset as too slow (4096-1073741824, default 1048576; writable: at once)");

unsigned int kecho_chat_echo;
KECHO_RANGE_PARAM(chat_echo, kecho_chat_echo, 0, 1);
MODULE_PARM_DESC(chat_echo,
		 "1: a chat client gets its own messages too (default 0; writable: at once)");

/*
 * Chat mode: from this many members a message's fan-out is shared
 * between CPUs (kecho_chat.c). Below it a hand-off costs more than the
 * sends it moves. Read at every message.
 */
unsigned int kecho_chat_split = 128;
KECHO_RANGE_PARAM(chat_split, kecho_chat_split, 0, 1000000);
MODULE_PARM_DESC(chat_split,
		 "chat members from which a message's fan-out is shared between CPUs (0: never, max 1000000, default 128; writable: at once)");

/*
 * Work items never block on the network, so max_active bounds only how
 * many run in parallel, never how many connections are served: queued
 * items simply wait their turn. Unbound: a few per CPU is all the CPUs
 * can use. Bound: concurrency management already runs one at a time per
 * CPU, so keep the default cap. Not WQ_HIGHPRI (nvmet-tcp's choice):
 * tried under the benchmark, its nice -20 workers starved the clients
 * sharing the CPUs, and one run stalled for minutes.
 */
static struct workqueue_struct *kecho_wq_alloc(int bench)
{
	if (bench)
		return alloc_workqueue("kecho", KECHO_WQ_PERCPU, WQ_DFL_ACTIVE);
	return alloc_workqueue("kecho", WQ_UNBOUND,
			       max(4U, 2 * num_possible_cpus()));
}

static int __init kecho_init(void)
{
	struct kecho_listener *l;
	int ret;

	ret = kecho_addr_parse(kecho_bind, &kecho_addr);
	if (ret) {
		pr_err("bind=%s is not an IPv4 or IPv6 address\n", kecho_bind);
		return ret;
	}

	ret = kecho_stats_init("kecho", kecho_stats_show);
	if (ret)
		return ret;

	ret = kecho_conns_init();
	if (ret)
		goto err_stats;

	kecho_wq = kecho_wq_alloc(kecho_bench);
	if (!kecho_wq) {
		ret = -ENOMEM;
		goto err_conns;
	}

	mutex_lock(&kecho_cfg_mutex);
	l = kecho_listener_start(&kecho_addr, kecho_port, kecho_backlog);
	if (IS_ERR(l)) {
		mutex_unlock(&kecho_cfg_mutex);
		ret = PTR_ERR(l);
		pr_err("cannot listen on port %u: %pe\n", kecho_port, l);
		goto err_wq;
	}
	kecho_lsn = l;
	kecho_stats_set_port(kecho_port);
	pr_info("serving port %u (%s mode, %s workqueue, max_conns %u)\n",
		kecho_port, kecho_mode_names[kecho_mode],
		kecho_bench ? "per-CPU" : "unbound", kecho_max_conns);
	mutex_unlock(&kecho_cfg_mutex);
	return 0;

err_wq:
	destroy_workqueue(kecho_wq);
err_conns:
	kecho_conns_exit();
err_stats:
	kecho_stats_exit("kecho");
	return ret;
}

static void __exit kecho_exit(void)
{
	struct kecho_listener *l;

	mutex_lock(&kecho_cfg_mutex);
	l = kecho_lsn;
	kecho_lsn = NULL;
	mutex_unlock(&kecho_cfg_mutex);

	kecho_stats_set_port(0);
	kecho_listener_stop(l, false);
	kecho_conns_close_all();
	/* Nothing can queue work any more: every callback is detached. */
	destroy_workqueue(kecho_wq);
	kecho_conns_exit();
	kecho_stats_exit("kecho");
}

module_init(kecho_init);
module_exit(kecho_exit);

MODULE_DESCRIPTION("Event-driven in-kernel TCP echo server");
MODULE_VERSION("0.1.0");
MODULE_LICENSE("GPL");
