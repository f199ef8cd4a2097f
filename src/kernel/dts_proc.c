// SPDX-License-Identifier: GPL-2.0
/*
 * drop-tcp-socket: /proc/net/drop_tcp_sock, one per network namespace.
 *
 * Lifetimes: the proc entry is created by the pernet .init and removed
 * by .exit. remove_proc_entry() waits for writers inside ->proc_write
 * and then calls ->proc_release for every file still open, so the
 * struct net taken from the entry's data is valid in every callback,
 * and each open file's dts_writer is freed exactly once (by
 * ->proc_release, from close() or from the removal, whichever is
 * first).
 */

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "compat.h"
#include "dts.h"

#define DTS_PROC_NAME "drop_tcp_sock"

/* Per network namespace. */
struct dts_net {
	bool exiting;		/* the file is being removed */
};

static unsigned int dts_net_id;

static struct dts_net *dts_net(struct net *net)
{
	return net_generic(net, dts_net_id);
}

/* Bytes copied from user space at a time; the only per-write buffer. */
#define DTS_CHUNK 256

/* Per open file: the line being assembled across write() calls. */
struct dts_writer {
	struct net *net;	/* from the proc entry; see the top comment */
	struct mutex lock;	/* serialises writes on one file */
	unsigned int lineno;	/* 1-based number of the line in @line */
	bool overlong;		/* current line passed DTS_LINE_MAX */
	size_t len;		/* bytes in @line */
	char line[DTS_LINE_MAX];
};

/* Parse and act on one complete line. Returns 0 or a negative errno. */
static int dts_do_line(struct dts_writer *w, bool at_close)
{
	struct dts_tuple t;
	int err;

	err = dts_parse_line(w->line, w->len, &t);
	if (err == -ENODATA)
		return 0;
	if (err) {
		pr_warn_ratelimited("line %u%s: malformed: \"%*pE\"\n",
				    w->lineno, at_close ? " (at close)" : "",
				    (int)w->len, w->line);
		return err;
	}
	err = dts_drop(w->net, &t);
	if (err && at_close)
		pr_notice_ratelimited("line %u (at close): error %d\n",
				      w->lineno, err);
	return err;
}

/*
 * Consume @len bytes. Every line completed here is acted on; the first
 * error is returned, later lines are still processed.
 */
static int dts_feed(struct dts_writer *w, const char *buf, size_t len)
{
	int first_err = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = buf[i];
		int err = 0;

		if (c == '\n') {
			if (!w->overlong)
				err = dts_do_line(w, false);
			w->len = 0;
			w->overlong = false;
			w->lineno++;
		} else if (w->overlong) {
			continue;
		} else if (w->len == DTS_LINE_MAX) {
			/* Reported now; the rest of the line is skipped. */
			w->overlong = true;
			pr_warn_ratelimited("line %u: longer than %d bytes\n",
					    w->lineno, DTS_LINE_MAX);
			err = -EINVAL;
		} else {
			w->line[w->len++] = c;
		}
		if (err && !first_err)
			first_err = err;
	}
	return first_err;
}

static int dts_open(struct inode *inode, struct file *file)
{
	struct dts_writer *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->net = pde_data(inode);
	w->lineno = 1;
	mutex_init(&w->lock);
	file->private_data = w;
	return nonseekable_open(inode, file);
}

static ssize_t dts_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct dts_writer *w = file->private_data;
	char chunk[DTS_CHUNK];
	size_t done = 0;
	int first_err = 0;

	if (!file_ns_capable(file, w->net->user_ns, CAP_NET_ADMIN))
		return -EPERM;

	if (mutex_lock_interruptible(&w->lock))
		return -ERESTARTSYS;
	while (done < count) {
		size_t n = min_t(size_t, count - done, sizeof(chunk));
		int err;

		if (copy_from_user(chunk, ubuf + done, n)) {
			err = -EFAULT;
			if (!first_err)
				first_err = err;
			break;
		}
		err = dts_feed(w, chunk, n);
		if (err && !first_err)
			first_err = err;
		done += n;
		if (fatal_signal_pending(current)) {
			if (!first_err)
				first_err = -EINTR;
			break;
		}
		cond_resched();
	}
	mutex_unlock(&w->lock);
	return first_err ? first_err : count;
}

/*
 * An unterminated last line is acted on at the last close. proc_ops has
 * no ->flush and __fput() ignores ->proc_release's result, so its error
 * cannot reach close(): it is logged instead. When the file is being
 * removed (unload, namespace teardown), procfs calls this for files still
 * open: then nobody asked for the line to be acted on, so it is not.
 */
static int dts_release(struct inode *inode, struct file *file)
{
	struct dts_writer *w = file->private_data;

	if (w->len && !w->overlong &&
	    file_ns_capable(file, w->net->user_ns, CAP_NET_ADMIN)) {
		if (READ_ONCE(dts_net(w->net)->exiting))
			pr_notice_ratelimited("line %u: unterminated at removal, not acted on\n",
					      w->lineno);
		else
			dts_do_line(w, true);
	}
	kfree(w);
	return 0;
}

static const struct proc_ops dts_proc_ops = {
	.proc_open	= dts_open,
	.proc_write	= dts_write,
	.proc_release	= dts_release,
};

static int __net_init dts_net_init(struct net *net)
{
	if (!proc_create_data(DTS_PROC_NAME, 0200, net->proc_net,
			      &dts_proc_ops, net))
		return -ENOMEM;
	return 0;
}

static void __net_exit dts_net_exit(struct net *net)
{
	WRITE_ONCE(dts_net(net)->exiting, true);
	remove_proc_entry(DTS_PROC_NAME, net->proc_net);
}

struct pernet_operations dts_net_ops = {
	.init = dts_net_init,
	.exit = dts_net_exit,
	.id = &dts_net_id,
	.size = sizeof(struct dts_net),
};
