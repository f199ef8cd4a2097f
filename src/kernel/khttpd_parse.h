/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttpd's request parser: pure functions, no kernel types in the
 * interface, so the same khttpd_parse.c is compiled into the module, into
 * a userspace unit test and into a libFuzzer target (tests/khttpd-parse).
 */
#ifndef KHTTPD_PARSE_H
#define KHTTPD_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

/* The request line with its line end; a longer one gets 414. */
#define KHTTPD_LINE_MAX		4096
/* The whole head with its blank line; a longer one gets 431. */
#define KHTTPD_HEAD_MAX		8192
/* A decoded path, with its NUL; the request line bounds it. */
#define KHTTPD_PATH_MAX		KHTTPD_LINE_MAX
/* Room khttpd_format_http_date() needs, with the NUL. */
#define KHTTPD_DATE_LEN		30

enum khttpd_method {
	KHTTPD_METHOD_GET,
	KHTTPD_METHOD_HEAD,
	KHTTPD_METHOD_OTHER,	/* a valid token: the caller answers 405 */
};

struct khttpd_request {
	enum khttpd_method method;
	unsigned int minor;		/* HTTP/1.<minor>: 0 or 1 */
	bool keep_alive;		/* the version's default, then Connection */
	bool has_content_length;
	unsigned long long content_length;
	bool has_ims;			/* a valid If-Modified-Since */
	long long ims;			/* its time, seconds since the epoch */
	/*
	 * One byte range, "bytes=first-last", "bytes=first-" or
	 * "bytes=-suffix". A malformed or multiple range is ignored, as
	 * RFC 9110 allows.
	 */
	bool has_range;
	bool range_suffix;		/* the last range_last bytes */
	bool range_open;		/* from range_first to the end */
	unsigned long long range_first;
	unsigned long long range_last;
	unsigned int head_len;		/* bytes up to and with the blank line */
	/*
	 * Percent-decoded and normalized: starts with '/', no "//", "." or
	 * ".." segments, no query or fragment, no NUL inside.
	 */
	char path[KHTTPD_PATH_MAX];
	/*
	 * The raw query with its '?', NUL-terminated, at path + query (after
	 * the path's NUL); 0 when the target had none.
	 */
	unsigned int query;
};

/**
 * khttpd_parse_request - parse one request head
 * @buf: the bytes received, from the first of the request
 * @len: how many
 * @req: the result, valid when the return is positive
 *
 * Lines may end in CRLF or LF. The request must be "METHOD SP target SP
 * HTTP/1.x"; target is an origin-form path. HTTP/1.1 needs a Host header.
 *
 * Return: the head's length (> 0) when it is complete and valid; 0 when
 * more bytes are needed (and none of the limits is passed yet); or the
 * negated HTTP status to answer before closing:
 * -400 malformed (also HTTP/0.9, a ".." above the root, %00, conflicting
 * Content-Length), -414 request line over KHTTPD_LINE_MAX, -431 head over
 * KHTTPD_HEAD_MAX, -501 Transfer-Encoding, -505 a version other than 1.x
 * (also the HTTP/2 preface).
 */
int khttpd_parse_request(const char *buf, size_t len,
			 struct khttpd_request *req);

/**
 * khttpd_parse_http_date - read an HTTP date (RFC 9110 5.6.7)
 * @s: the field value, not NUL-terminated
 * @len: its length
 * @secs: the time, seconds since the epoch
 *
 * Takes IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and the two obsolete
 * forms (RFC 850 and asctime).
 *
 * Return: 0, or -1 when @s is not a valid date.
 */
int khttpd_parse_http_date(const char *s, size_t len, long long *secs);

/**
 * khttpd_format_http_date - write an IMF-fixdate
 * @secs: seconds since the epoch, 0 or later
 * @buf: at least KHTTPD_DATE_LEN bytes
 *
 * Return: the length written, without the NUL (29).
 */
size_t khttpd_format_http_date(long long secs, char *buf);

/**
 * khttpd_content_type - the Content-Type for a path, by its extension
 * @path: a NUL-terminated path
 *
 * Return: a static string; "application/octet-stream" when unknown.
 */
const char *khttpd_content_type(const char *path);

#endif /* KHTTPD_PARSE_H */
