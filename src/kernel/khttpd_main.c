// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd: an in-kernel HTTP/1.1 static file server on kecho's engine.
 *
 * This file holds the module parameters, module init/exit, the workqueue
 * and the root being served. It also defines the engine's globals
 * (kecho.h) with khttpd's values: every connection runs khttpd's message
 * layer (khttpd_conn.c). port, backlog, bind and root are read at load;
 * change them with a reload.
 */
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/socket.h>
#include <linux/workqueue.h>

#include "khttpd.h"
#include "kecho_param.h"

static unsigned int khttpd_port = 8080;
module_param_named(port, khttpd_port, uint, 0444);
MODULE_PARM_DESC(port, "TCP port to serve (1-65535, default 8080)");

static unsigned int khttpd_backlog = 128;
module_param_named(backlog, khttpd_backlog, uint, 0444);
MODULE_PARM_DESC(backlog, "listen backlog (1-65535, default 128)");

static char khttpd_bind[64];
module_param_string(bind, khttpd_bind, sizeof(khttpd_bind), 0444);
MODULE_PARM_DESC(bind, "IPv4 or IPv6 address to listen on (default: all, IPv4 and IPv6)");

static char khttpd_root_dir[256] = "/srv/khttpd";
module_param_string(root, khttpd_root_dir, sizeof(khttpd_root_dir), 0444);
MODULE_PARM_DESC(root, "directory served, an absolute path (default /srv/khttpd)");

bool khttpd_listing;
module_param_named(listing, khttpd_listing, bool, 0644);
MODULE_PARM_DESC(listing, "1: a directory without index.html gets a listing; 0: 403 (default; writable)");

unsigned int kecho_max_conns = 10000;
module_param_named(max_conns, kecho_max_conns, uint, 0644);
MODULE_PARM_DESC(max_conns, "connections served at once; more are reset (default 10000)");

unsigned int khttpd_keepalive_timeout = 15;
KECHO_RANGE_PARAM(keepalive_timeout, khttpd_keepalive_timeout, 0, 3600);
MODULE_PARM_DESC(keepalive_timeout,
		 "seconds an idle keep-alive connection stays open (0: close after each response, max 3600, default 15; writable)");

unsigned int khttpd_header_timeout = 10;
KECHO_RANGE_PARAM(header_timeout, khttpd_header_timeout, 1, 3600);
MODULE_PARM_DESC(header_timeout,
		 "seconds a request head (and body) may take to arrive, else 408 (1-3600, default 10; writable: new connections)");

/* The engine's globals (kecho.h), khttpd's values. */
struct workqueue_struct *kecho_wq;
unsigned int kecho_mode = KECHO_MODE_MESSAGE;
/* TCP keepalive: finds a vanished client in the middle of a response. */
unsigned int kecho_keepalive = 60;
/* A client that stops taking a response is dropped after this. */
unsigned int kecho_user_timeout = 60;

struct path khttpd_root;
static struct kecho_listener *khttpd_lsn;

static int __init khttpd_check_params(struct sockaddr_storage *addr)
{
	int ret;

	if (!khttpd_port || khttpd_port > 65535) {
		pr_err("port=%u is not 1-65535\n", khttpd_port);
		return -EINVAL;
	}
	if (!khttpd_backlog || khttpd_backlog > 65535) {
		pr_err("backlog=%u is not 1-65535\n", khttpd_backlog);
		return -EINVAL;
	}
	ret = kecho_addr_parse(khttpd_bind, addr);
	if (ret) {
		pr_err("bind=%s is not an IPv4 or IPv6 address\n", khttpd_bind);
		return ret;
	}
	if (khttpd_root_dir[0] != '/') {
		pr_err("root=%s is not an absolute path\n", khttpd_root_dir);
		return -EINVAL;
	}
	ret = kern_path(khttpd_root_dir, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			&khttpd_root);
	if (!ret)
		return 0;
	pr_err("root=%s is not a directory to serve: %pe\n", khttpd_root_dir,
	       ERR_PTR(ret));
	/* modprobe reports ENOENT as "Unknown symbol in module". */
	return ret == -ENOENT || ret == -ENOTDIR ? -EINVAL : ret;
}

static int __init khttpd_init(void)
{
	struct sockaddr_storage addr;
	int ret;

	ret = khttpd_check_params(&addr);
	if (ret)
		return ret;
	ret = kecho_stats_init("khttpd", khttpd_stats_show);
	if (ret)
		goto err_root;
	ret = khttpd_resp_init();
	if (ret)
		goto err_stats;
	ret = kecho_conns_init();
	if (ret)
		goto err_resp;
	/* As kecho's: work items never block on the network. */
	kecho_wq = alloc_workqueue("khttpd", WQ_UNBOUND,
				   max(4U, 2 * num_possible_cpus()));
	if (!kecho_wq) {
		ret = -ENOMEM;
		goto err_conns;
	}
	khttpd_lsn = kecho_listener_start(&addr, khttpd_port, khttpd_backlog);
	if (IS_ERR(khttpd_lsn)) {
		ret = PTR_ERR(khttpd_lsn);
		pr_err("cannot listen on port %u: %pe\n", khttpd_port,
		       khttpd_lsn);
		goto err_wq;
	}
	kecho_stats_set_port(khttpd_port);
	pr_info("serving %s on port %u\n", khttpd_root_dir, khttpd_port);
	return 0;

err_wq:
	destroy_workqueue(kecho_wq);
err_conns:
	kecho_conns_exit();
err_resp:
	khttpd_resp_exit();
err_stats:
	kecho_stats_exit("khttpd");
err_root:
	path_put(&khttpd_root);
	return ret;
}

static void __exit khttpd_exit(void)
{
	kecho_stats_set_port(0);
	kecho_listener_stop(khttpd_lsn, false);
	kecho_conns_close_all();
	/* Nothing can queue work any more: every callback is detached. */
	destroy_workqueue(kecho_wq);
	kecho_conns_exit();
	khttpd_resp_exit();
	kecho_stats_exit("khttpd");
	path_put(&khttpd_root);
}

module_init(khttpd_init);
module_exit(khttpd_exit);

MODULE_DESCRIPTION("In-kernel HTTP/1.1 static file server on kecho's engine");
MODULE_VERSION("0.1.0");
MODULE_LICENSE("GPL");
