/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttpd: an in-kernel HTTP/1.1 static file server on kecho's engine.
 *
 *   khttpd_main.c    parameters, module init/exit, the workqueue, the root
 *   khttpd_engine.c  kecho's listener, conn, fast path and counters, built
 *                    into this module from the same source
 *   khttpd_conn.c    the conn's message layer: strparser frames requests,
 *                    io_work answers them in order; the timeouts
 *   khttpd_resp.c    one response: its head, and its body from the page
 *                    cache
 *   khttpd_file.c    finding what a path names beneath the root, and
 *                    whether it may be served
 *   khttpd_listing.c a directory's listing page (listing=1)
 *   khttpd_parse.c   the request parser: pure, also fuzzed in userspace
 *   khttpd_procfs.c  /proc/net/khttpd
 */
#ifndef KHTTPD_H
#define KHTTPD_H

#include <linux/path.h>
#include <linux/stat.h>
#include <linux/types.h>

#include "kecho.h"
#include "khttpd_parse.h"

struct file;
struct seq_file;
struct socket;

/* What serves a directory. */
#define KHTTPD_INDEX		"index.html"
/* A request body is read and discarded up to this size; past it, 413. */
#define KHTTPD_BODY_MAX		(64 * 1024)
/* A response head, with a generated body (an error page) after it. */
#define KHTTPD_RESP_HEAD_MAX	1024

/* khttpd_main.c */
extern struct path khttpd_root;
extern unsigned int khttpd_keepalive_timeout;
extern unsigned int khttpd_header_timeout;
extern bool khttpd_listing;

/* khttpd_file.c: what a request's path names */
struct khttpd_target {
	struct path path;		/* held while status is 200 */
	struct kstat stat;
	int status;			/* 200, or what to answer instead */
	bool listing;			/* 200 for a directory's listing */
	bool index;			/* 200 for a directory's index.html */
};

void khttpd_target_find(const char *path, struct khttpd_target *t);
void khttpd_target_put(struct khttpd_target *t);

/* khttpd_resp.c: one response being sent */
struct khttpd_resp {
	char head[KHTTPD_RESP_HEAD_MAX];
	size_t head_len;
	size_t head_sent;
	char *body;			/* a generated body (kvmalloc), or NULL */
	size_t body_len;
	size_t body_sent;
	struct file *file;		/* the body comes from here, or NULL */
	loff_t pos;			/* the next body byte to send */
	loff_t end;			/* and the first not to */
	int status;
	bool close;			/* close the connection after it */
};

size_t khttpd_uri_escape(char *dst, const char *path);
int khttpd_resp_init(void);
void khttpd_resp_exit(void);
struct khttpd_resp *khttpd_resp_answer(const struct khttpd_request *req);
struct khttpd_resp *khttpd_resp_error(int status, bool head_only);
int khttpd_resp_send(struct khttpd_resp *r, struct socket *sock,
		     unsigned int *budget);
void khttpd_resp_free(struct khttpd_resp *r);

/* khttpd_listing.c */
char *khttpd_listing_build(const char *path, size_t *len);

/* khttpd_procfs.c */
int khttpd_stats_show(struct seq_file *m, void *v);

#endif /* KHTTPD_H */
