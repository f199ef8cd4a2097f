// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd: what a request's path names beneath the root, and whether it
 * may be served.
 *
 * The parser hands over a normalized path: no "." or ".." segments, no
 * NUL. The lookup starts at the root with the root preset as the
 * lookup's own root (file_open_root()), so ".." in a symlink stops there
 * and an absolute symlink is taken relative to it: nothing outside the
 * root can be reached (bind mounts inside it are the admin's choice).
 * The lookup opens with O_PATH, which never calls a driver's open(), so
 * a device, FIFO or socket is looked at, never opened. Only a regular
 * file that everyone may read is served: khttpd reads as root, so it
 * checks the mode itself, as a server running as nobody would find it.
 */
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/string.h>

#include "khttpd.h"

/*
 * The status a failed lookup is answered with. The path is the client's,
 * so it is not logged.
 */
static int khttpd_errno_status(int err)
{
	switch (err) {
	case -ENOENT:
	case -ENOTDIR:
	case -ENAMETOOLONG:
		return 404;
	case -EACCES:
	case -EPERM:
	case -ELOOP:
		return 403;
	}
	pr_warn_ratelimited("a path lookup failed: %pe\n", ERR_PTR(err));
	return 500;
}

/*
 * Look @path up beneath the root, without opening it. On success
 * t->path and t->stat are set and the path is held.
 */
static int khttpd_lookup(const char *path, struct khttpd_target *t)
{
	struct file *f;
	int ret;

	/* The root itself: file_open_root() refuses an empty name. */
	f = file_open_root(&khttpd_root, path[1] ? path + 1 : ".",
			   O_PATH | O_LARGEFILE, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = vfs_getattr(&f->f_path, &t->stat, STATX_BASIC_STATS,
			  AT_STATX_SYNC_AS_STAT);
	if (!ret) {
		t->path = f->f_path;
		path_get(&t->path);
	}
	fput(f);
	return ret;
}

/* A regular file everyone may read: 200. Otherwise 403 or 404. */
static int khttpd_servable(const struct kstat *st)
{
	if (!S_ISREG(st->mode))
		return 404;
	if (!(st->mode & 0004))
		return 403;
	return 200;
}

/*
 * A directory's index.html: 200; without one its listing (200 with
 * t->listing) when listing=1, else 403.
 */
static void khttpd_find_index(const char *dir, struct khttpd_target *t)
{
	char *index;
	int ret;

	index = kasprintf(GFP_KERNEL, "%s" KHTTPD_INDEX, dir);
	if (!index) {
		t->status = 500;
		return;
	}
	ret = khttpd_lookup(index, t);
	if (ret == -ENOENT && READ_ONCE(khttpd_listing)) {
		t->status = 200;
		t->listing = true;
	} else if (ret) {
		t->status = ret == -ENOENT ? 403 : khttpd_errno_status(ret);
	} else {
		t->status = khttpd_servable(&t->stat);
		t->index = true;
		/* A directory named index.html is no index. */
		if (t->status == 404)
			t->status = 403;
		if (t->status != 200)
			path_put(&t->path);
	}
	kfree(index);
}

/**
 * khttpd_target_find - what a request for @path is answered with
 * @path: a normalized path from the parser, starting with '/'
 * @t: the result; when t->status is 200, t->path names the regular file
 *	to serve and must be released with khttpd_target_put(), unless
 *	t->listing says the directory's listing is to be served
 *
 * A directory is served by its index.html when @path ends in '/', and
 * redirected (301) to that form when it does not.
 */
void khttpd_target_find(const char *path, struct khttpd_target *t)
{
	bool dir_wanted = path[strlen(path) - 1] == '/';
	int ret;

	t->listing = false;
	t->index = false;
	ret = khttpd_lookup(path, t);
	if (ret) {
		t->status = khttpd_errno_status(ret);
		return;
	}
	if (S_ISDIR(t->stat.mode)) {
		path_put(&t->path);
		if (dir_wanted)
			khttpd_find_index(path, t);
		else
			t->status = 301;
		return;
	}
	t->status = dir_wanted ? 404 : khttpd_servable(&t->stat);
	if (t->status != 200)
		path_put(&t->path);
}

void khttpd_target_put(struct khttpd_target *t)
{
	path_put(&t->path);
}
