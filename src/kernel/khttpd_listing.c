// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd: a directory's listing (listing=1, for a directory without an
 * index.html), as an HTML page like nginx's autoindex: the entries
 * sorted by name, directories with a trailing '/', names starting with
 * '.' left out.
 *
 * The directory is opened beneath the root as a file is found
 * (file_open_root(), so symlinks cannot lead out), and read with
 * iterate_dir(). Names are collected into one buffer, at most
 * KHTTPD_LISTING_NAMES bytes and KHTTPD_LISTING_MAX entries (a larger
 * directory is listed in part, and the page says so), then sorted. The
 * page is written twice: once to count its length, once into a buffer of
 * that size. Names are percent-encoded in links and escaped in text.
 */
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "khttpd.h"

#define KHTTPD_LISTING_MAX	10000
#define KHTTPD_LISTING_NAMES	(512 * 1024)

struct khttpd_entry {
	u32 name;		/* offset in names */
	bool dir;
};

struct khttpd_listing {
	struct dir_context ctx;
	struct khttpd_entry *entries;
	char *names;
	unsigned int nr;
	u32 used;		/* bytes of names */
	bool partial;		/* some entries did not fit */
};

/* iterate_dir()'s actor: keep one entry. */
static bool khttpd_listing_add(struct dir_context *ctx, const char *name,
			       int len, loff_t pos, u64 ino, unsigned int type)
{
	struct khttpd_listing *l = container_of(ctx, struct khttpd_listing,
						ctx);

	if (name[0] == '.')
		return true;
	if (l->nr == KHTTPD_LISTING_MAX ||
	    KHTTPD_LISTING_NAMES - l->used < (u32)len + 1) {
		l->partial = true;
		return false;
	}
	memcpy(l->names + l->used, name, len);
	l->names[l->used + len] = '\0';
	l->entries[l->nr].name = l->used;
	l->entries[l->nr].dir = type == DT_DIR;
	l->used += len + 1;
	l->nr++;
	return true;
}

static int khttpd_entry_cmp(const void *a, const void *b, const void *names)
{
	const struct khttpd_entry *x = a, *y = b;

	return strcmp((const char *)names + x->name,
		      (const char *)names + y->name);
}

/* The page's text, counted when out->buf is NULL, else written. */
struct khttpd_out {
	char *buf;
	size_t len;
};

static void khttpd_put(struct khttpd_out *out, const char *s, size_t n)
{
	if (out->buf)
		memcpy(out->buf + out->len, s, n);
	out->len += n;
}

static void khttpd_puts(struct khttpd_out *out, const char *s)
{
	khttpd_put(out, s, strlen(s));
}

/* @s as HTML text. */
static void khttpd_put_html(struct khttpd_out *out, const char *s)
{
	for (; *s; s++) {
		const char *esc = NULL;

		if (*s == '&')
			esc = "&amp;";
		else if (*s == '<')
			esc = "&lt;";
		else if (*s == '>')
			esc = "&gt;";
		else if (*s == '"')
			esc = "&quot;";
		else if (*s == '\'')
			esc = "&#39;";
		if (esc)
			khttpd_puts(out, esc);
		else
			khttpd_put(out, s, 1);
	}
}

/* @s percent-encoded for a link. */
static void khttpd_put_uri(struct khttpd_out *out, const char *s)
{
	out->len += khttpd_uri_escape(out->buf ? out->buf + out->len : NULL, s);
}

static void khttpd_listing_page(const struct khttpd_listing *l,
				const char *path, struct khttpd_out *out)
{
	unsigned int i;

	khttpd_puts(out, "<html>\r\n<head><title>Index of ");
	khttpd_put_html(out, path);
	khttpd_puts(out, "</title></head>\r\n<body>\r\n<h1>Index of ");
	khttpd_put_html(out, path);
	khttpd_puts(out, "</h1><hr><pre><a href=\"../\">../</a>\r\n");
	for (i = 0; i < l->nr; i++) {
		const char *name = l->names + l->entries[i].name;
		const char *slash = l->entries[i].dir ? "/" : "";

		khttpd_puts(out, "<a href=\"");
		khttpd_put_uri(out, name);
		khttpd_puts(out, slash);
		khttpd_puts(out, "\">");
		khttpd_put_html(out, name);
		khttpd_puts(out, slash);
		khttpd_puts(out, "</a>\r\n");
	}
	if (l->partial)
		khttpd_puts(out, "(more entries not listed)\r\n");
	khttpd_puts(out, "</pre><hr></body>\r\n</html>\r\n");
}

/**
 * khttpd_listing_build - the listing page of a directory beneath the root
 * @path: the directory's normalized path, ending in '/'
 * @len: the page's length
 *
 * Return: the page (kvfree() it), or an ERR_PTR.
 */
char *khttpd_listing_build(const char *path, size_t *len)
{
	struct khttpd_listing l = { .ctx.actor = khttpd_listing_add };
	struct khttpd_out out = { };
	struct file *dir;
	int ret;

	dir = file_open_root(&khttpd_root, path[1] ? path + 1 : ".",
			     O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(dir))
		return ERR_CAST(dir);
	l.entries = kvmalloc_array(KHTTPD_LISTING_MAX, sizeof(*l.entries),
				   GFP_KERNEL);
	l.names = kvmalloc(KHTTPD_LISTING_NAMES, GFP_KERNEL);
	ret = -ENOMEM;
	if (l.entries && l.names)
		ret = iterate_dir(dir, &l.ctx);
	fput(dir);
	if (ret)
		goto out;

	sort_r(l.entries, l.nr, sizeof(*l.entries), khttpd_entry_cmp, NULL,
	       l.names);
	khttpd_listing_page(&l, path, &out);
	out.buf = kvmalloc(out.len, GFP_KERNEL);
	if (out.buf) {
		*len = out.len;
		out.len = 0;
		khttpd_listing_page(&l, path, &out);
	}
out:
	kvfree(l.names);
	kvfree(l.entries);
	if (ret)
		return ERR_PTR(ret);
	return out.buf ?: ERR_PTR(-ENOMEM);
}
