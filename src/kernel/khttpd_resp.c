// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd: one response, built from a parsed request and sent in pieces.
 *
 * The head (with a short generated body: an error page) is written into
 * the response. A file's body is sent page by page from the page cache,
 * by reference (sendpage on 6.1, MSG_SPLICE_PAGES on later series; see
 * kecho_send_page() in compat.h): TCP holds each page until it is
 * acknowledged, and nothing is copied. A file system whose pages cannot
 * be read that way is copied through a page of our own instead.
 *
 * Sending never blocks: a full socket stops the send where it is, and
 * io_work goes on from there when write_space queues it again.
 */
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ctype.h>
#include <linux/highmem.h>
#include <linux/net.h>
#include <linux/pagemap.h>
#include <linux/ratelimit.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "khttpd.h"
#include "compat.h"

static struct kmem_cache *khttpd_resp_cache;

static const char *khttpd_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	}
	return "Internal Server Error";
}

void khttpd_resp_free(struct khttpd_resp *r)
{
	if (r->file)
		fput(r->file);
	kvfree(r->body);
	kmem_cache_free(khttpd_resp_cache, r);
}

/* Every response built is counted, by its status class. */
static struct khttpd_resp *khttpd_count(struct khttpd_resp *r)
{
	int status;

	if (!r)
		return NULL;
	status = r->status;
	kecho_stat_add(KECHO_STAT_HTTP_REQUESTS, 1);
	if (status < 300)
		kecho_stat_add(KECHO_STAT_HTTP_2XX, 1);
	else if (status < 400)
		kecho_stat_add(KECHO_STAT_HTTP_3XX, 1);
	else if (status < 500)
		kecho_stat_add(KECHO_STAT_HTTP_4XX, 1);
	else
		kecho_stat_add(KECHO_STAT_HTTP_5XX, 1);
	return r;
}

static __printf(2, 3) void khttpd_head_add(struct khttpd_resp *r,
					    const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	r->head_len += vscnprintf(r->head + r->head_len,
				  sizeof(r->head) - r->head_len, fmt, args);
	va_end(args);
}

/* Status line, Server, Date. */
static struct khttpd_resp *khttpd_resp_new(int status, bool close)
{
	char date[KHTTPD_DATE_LEN];
	struct khttpd_resp *r;

	r = kmem_cache_alloc(khttpd_resp_cache, GFP_KERNEL);
	if (!r)
		return NULL;
	r->head_len = 0;
	r->head_sent = 0;
	r->body = NULL;
	r->body_len = 0;
	r->body_sent = 0;
	r->file = NULL;
	r->pos = 0;
	r->end = 0;
	r->status = status;
	r->close = close;
	khttpd_format_http_date(ktime_get_real_seconds(), date);
	khttpd_head_add(r, "HTTP/1.1 %d %s\r\nServer: khttpd\r\nDate: %s\r\n",
			status, khttpd_reason(status), date);
	return r;
}

static void khttpd_head_end(struct khttpd_resp *r)
{
	khttpd_head_add(r, "Connection: %s\r\n\r\n",
			r->close ? "close" : "keep-alive");
}

/**
 * khttpd_uri_escape - percent-encode a path for a URI
 * @dst: where to write (no NUL), or NULL to only count
 * @path: a NUL-terminated path
 *
 * Leaves as they are the characters a path may hold raw (RFC 3986 pchar
 * and '/'), encodes the rest.
 *
 * Return: the encoded length.
 */
size_t khttpd_uri_escape(char *dst, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;

	for (; *path; path++) {
		unsigned char ch = *path;
		bool raw = isalnum(ch) || strchr("-._~!$&'()*+,;=:@/", ch);

		if (dst && raw) {
			dst[n] = ch;
		} else if (dst) {
			dst[n] = '%';
			dst[n + 1] = hex[ch >> 4];
			dst[n + 2] = hex[ch & 15];
		}
		n += raw ? 1 : 3;
	}
	return n;
}

/*
 * A page for @status, as short as nginx's, in the head's buffer; with a
 * Location header when @redirect is set: its path, escaped here, with a
 * '/' and its query.
 */
static struct khttpd_resp *khttpd_resp_page(int status, bool close,
					    bool head_only,
					    const struct khttpd_request *redirect)
{
	static const char page[] =
		"<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n"
		"<center><h1>%d %s</h1></center>\r\n<hr><center>khttpd</center>\r\n"
		"</body>\r\n</html>\r\n";
	const char *reason = khttpd_reason(status);
	struct khttpd_resp *r;
	int len;

	r = khttpd_resp_new(status, close);
	if (!r)
		return NULL;
	if (status == 405)
		khttpd_head_add(r, "Allow: GET, HEAD\r\n");
	if (redirect) {
		const char *query = redirect->query ?
				    redirect->path + redirect->query : "";

		/* Room for the rest of the head and the page is kept. */
		if (khttpd_uri_escape(NULL, redirect->path) + strlen(query) >
		    sizeof(r->head) / 2 - r->head_len) {
			/* Too long to redirect to: say so instead. */
			khttpd_resp_free(r);
			return khttpd_resp_page(414, true, head_only, NULL);
		}
		khttpd_head_add(r, "Location: ");
		r->head_len += khttpd_uri_escape(r->head + r->head_len,
						 redirect->path);
		khttpd_head_add(r, "/%s\r\n", query);
	}
	len = snprintf(NULL, 0, page, status, reason, status, reason);
	khttpd_head_add(r, "Content-Type: text/html\r\nContent-Length: %d\r\n",
			len);
	khttpd_head_end(r);
	if (!head_only)
		khttpd_head_add(r, page, status, reason, status, reason);
	return r;
}

/**
 * khttpd_resp_error - a response to a request that could not be parsed
 * @status: the parser's status (400, 408, 413, 414, 431, 501, 505)
 * @head_only: a HEAD request (when the parser got that far)
 *
 * The connection is closed after it.
 *
 * Return: the response, or NULL without memory.
 */
struct khttpd_resp *khttpd_resp_error(int status, bool head_only)
{
	return khttpd_count(khttpd_resp_page(status, true, head_only, NULL));
}

/* The byte range to send of a file of @size bytes; 416 if none. */
static int khttpd_range(const struct khttpd_request *req, loff_t size,
			loff_t *start, loff_t *end)
{
	u64 first = req->range_first, last = req->range_last;

	if (req->range_suffix) {
		if (!size)
			return 416;
		*start = size - min_t(u64, last, size);
		*end = size;
		return 206;
	}
	if (first >= size)
		return 416;
	*start = first;
	*end = req->range_open ? size : min_t(u64, last + 1, size);
	return 206;
}

static struct khttpd_resp *khttpd_resp_file(const struct khttpd_request *req,
					    struct khttpd_target *t, bool close)
{
	bool head_only = req->method == KHTTPD_METHOD_HEAD;
	char modified[KHTTPD_DATE_LEN];
	loff_t size = t->stat.size, start = 0, end = size;
	struct khttpd_resp *r;
	struct file *file;
	int status = 200;

	if (req->has_ims && t->stat.mtime.tv_sec <= req->ims)
		status = 304;
	else if (req->has_range)
		status = khttpd_range(req, size, &start, &end);
	if (status == 416) {
		r = khttpd_resp_new(416, close);
		if (r) {
			khttpd_head_add(r, "Content-Range: bytes */%lld\r\nContent-Length: 0\r\n",
					size);
			khttpd_head_end(r);
		}
		return r;
	}

	file = NULL;
	if (status != 304 && !head_only && end > start) {
		file = dentry_open(&t->path, O_RDONLY | O_LARGEFILE,
				   current_cred());
		if (IS_ERR(file)) {
			pr_warn_ratelimited("cannot open a file to serve: %pe\n",
					    file);
			return khttpd_resp_page(500, close, head_only, NULL);
		}
	}
	r = khttpd_resp_new(status, close);
	if (!r) {
		if (file)
			fput(file);
		return NULL;
	}
	khttpd_format_http_date(max_t(s64, t->stat.mtime.tv_sec, 0), modified);
	khttpd_head_add(r, "Last-Modified: %s\r\n", modified);
	if (status != 304) {
		khttpd_head_add(r, "Content-Type: %s\r\nContent-Length: %lld\r\n",
				khttpd_content_type(t->index ? KHTTPD_INDEX :
						    req->path),
				end - start);
		if (status == 206)
			khttpd_head_add(r, "Content-Range: bytes %lld-%lld/%lld\r\n",
					start, end - 1, size);
		khttpd_head_add(r, "Accept-Ranges: bytes\r\n");
	}
	khttpd_head_end(r);
	r->file = file;
	r->pos = start;
	r->end = file ? end : start;
	return r;
}

/* A directory's listing page (listing=1). */
static struct khttpd_resp *khttpd_resp_listing(const struct khttpd_request *req,
					       bool close)
{
	struct khttpd_resp *r;
	size_t len;
	char *page;

	page = khttpd_listing_build(req->path, &len);
	if (IS_ERR(page)) {
		pr_warn_ratelimited("cannot list a directory: %pe\n", page);
		return khttpd_resp_page(500, close,
					req->method == KHTTPD_METHOD_HEAD, NULL);
	}
	r = khttpd_resp_new(200, close);
	if (!r) {
		kvfree(page);
		return NULL;
	}
	khttpd_head_add(r, "Content-Type: text/html\r\nContent-Length: %zu\r\n",
			len);
	khttpd_head_end(r);
	if (req->method == KHTTPD_METHOD_HEAD) {
		kvfree(page);
	} else {
		r->body = page;
		r->body_len = len;
	}
	return r;
}

/* The response to a parsed request, not counted yet. */
static struct khttpd_resp *khttpd_resp_build(const struct khttpd_request *req)
{
	bool head_only = req->method == KHTTPD_METHOD_HEAD;
	bool close = !req->keep_alive || !READ_ONCE(khttpd_keepalive_timeout);
	struct khttpd_target t;
	struct khttpd_resp *r;

	if (req->method == KHTTPD_METHOD_OTHER)
		return khttpd_resp_page(405, close, false, NULL);

	khttpd_target_find(req->path, &t);
	switch (t.status) {
	case 200:
		if (t.listing)
			return khttpd_resp_listing(req, close);
		r = khttpd_resp_file(req, &t, close);
		khttpd_target_put(&t);
		return r;
	case 301:
		/* A directory asked for without its '/'. */
		return khttpd_resp_page(301, close, head_only, req);
	}
	return khttpd_resp_page(t.status, close, head_only, NULL);
}

/**
 * khttpd_resp_answer - the response to a parsed request
 * @req: the request
 *
 * Return: the response, or NULL without memory.
 */
struct khttpd_resp *khttpd_resp_answer(const struct khttpd_request *req)
{
	return khttpd_count(khttpd_resp_build(req));
}

/*
 * Send from a buffer in memory (the head, or a generated body), *@sent
 * bytes of @len done: the bytes sent, or as kernel_sendmsg().
 */
static int khttpd_send_buf(struct socket *sock, const char *buf, size_t len,
			   size_t *sent, bool more)
{
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0),
	};
	struct kvec iov = {
		.iov_base = (void *)buf + *sent,
		.iov_len = len - *sent,
	};
	int ret;

	ret = kernel_sendmsg(sock, &msg, &iov, 1, iov.iov_len);
	if (ret > 0) {
		*sent += ret;
		kecho_stat_add(KECHO_STAT_BYTES_OUT, ret);
	}
	return ret;
}

/*
 * Page @index of the file, with a reference. The page cache's own page
 * where the file system offers one; else a copy in a page of our own.
 */
static struct page *khttpd_file_page(struct file *file, pgoff_t index)
{
	struct address_space *mapping = file->f_mapping;
	loff_t pos = (loff_t)index << PAGE_SHIFT;
	struct page *page;
	ssize_t n;

	if (shmem_mapping(mapping))
		return shmem_read_mapping_page(mapping, index);
	if (mapping->a_ops->read_folio)
		return read_mapping_page(mapping, index, file);

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return ERR_PTR(-ENOMEM);
	n = kernel_read(file, page_address(page), PAGE_SIZE, &pos);
	if (n < 0) {
		put_page(page);
		return ERR_PTR(n);
	}
	return page;
}

/* Send one page's worth of the body: bytes sent, or an error. */
static int khttpd_send_body(struct khttpd_resp *r, struct socket *sock)
{
	unsigned int offset = offset_in_page(r->pos);
	size_t len = min_t(loff_t, PAGE_SIZE - offset, r->end - r->pos);
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL;
	struct page *page;
	int ret;

	page = khttpd_file_page(r->file, r->pos >> PAGE_SHIFT);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (r->pos + len < r->end)
		flags |= MSG_MORE;
	ret = kecho_send_page(sock, page, offset, len, flags);
	put_page(page);
	if (ret > 0) {
		r->pos += ret;
		kecho_stat_add(KECHO_STAT_BYTES_OUT, ret);
		kecho_stat_add(KECHO_STAT_HTTP_FILE_BYTES, ret);
	}
	return ret;
}

/**
 * khttpd_resp_send - send as much of a response as the socket takes
 * @r: the response
 * @sock: the connection's socket
 * @budget: socket operations left in this io_work run; decremented
 *
 * Return: 0 once all of it is sent, -EAGAIN when the socket is full
 * (write_space queues io_work again), -EINPROGRESS when the budget is
 * spent, or the error that ends the connection.
 */
int khttpd_resp_send(struct khttpd_resp *r, struct socket *sock,
		     unsigned int *budget)
{
	int ret;

	while (r->head_sent < r->head_len || r->body_sent < r->body_len ||
	       r->pos < r->end) {
		if (!*budget)
			return -EINPROGRESS;
		(*budget)--;
		if (r->head_sent < r->head_len) {
			ret = khttpd_send_buf(sock, r->head, r->head_len,
					      &r->head_sent,
					      r->body_len || r->pos < r->end);
		} else if (r->body_sent < r->body_len) {
			ret = khttpd_send_buf(sock, r->body, r->body_len,
					      &r->body_sent, false);
		} else {
			ret = khttpd_send_body(r, sock);
		}
		if (ret <= 0)
			return ret ?: -EAGAIN;
	}
	return 0;
}

int khttpd_resp_init(void)
{
	khttpd_resp_cache = KMEM_CACHE(khttpd_resp, 0);
	return khttpd_resp_cache ? 0 : -ENOMEM;
}

void khttpd_resp_exit(void)
{
	kmem_cache_destroy(khttpd_resp_cache);
}
