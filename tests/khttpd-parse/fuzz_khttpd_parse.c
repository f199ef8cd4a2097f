// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: khttpd's request parser (src/kernel/khttpd_parse.c, the
 * very file the module builds) on arbitrary bytes, under ASan and UBSan.
 * All four functions run on every input. Every result must be one the
 * module expects, a parsed request self-consistent, a shorter prefix of
 * the input either incomplete or answered the same, and a date must read
 * back as the time it was written from.
 */
#include <stdlib.h>
#include <string.h>

#include "khttpd_parse.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static struct khttpd_request req, prefix_req;

static void check_request(int ret, size_t size)
{
	const char *nul;

	if (ret <= 0) {
		if (ret != 0 && ret != -400 && ret != -414 && ret != -431 &&
		    ret != -501 && ret != -505)
			abort();
		return;
	}
	if ((size_t)ret > size || ret > KHTTPD_HEAD_MAX ||
	    req.head_len != (unsigned int)ret)
		abort();
	nul = memchr(req.path, '\0', KHTTPD_PATH_MAX);
	if (!nul || req.path[0] != '/' || strstr(req.path, "//") ||
	    strstr(req.path, "/../") || strstr(req.path, "/./"))
		abort();
	/* A last segment of "." or "..". */
	if ((nul - req.path >= 2 && !strcmp(nul - 2, "/.")) ||
	    (nul - req.path >= 3 && !strcmp(nul - 3, "/..")))
		abort();
	if (req.minor > 1 || req.method > KHTTPD_METHOD_OTHER)
		abort();
	/* The query: right after the path's NUL, with its '?', and ended. */
	if (req.query &&
	    (req.path + req.query != nul + 1 || req.path[req.query] != '?' ||
	     !memchr(req.path + req.query, '\0', KHTTPD_PATH_MAX - req.query)))
		abort();
	if (req.has_content_length && req.content_length > 1ULL << 62)
		abort();
	if (req.has_range &&
	    ((req.range_suffix && (req.range_open || !req.range_last)) ||
	     (!req.range_suffix && !req.range_open &&
	      req.range_first > req.range_last) ||
	     req.range_first > 1ULL << 62 || req.range_last > 1ULL << 62))
		abort();
	if (!strcmp(khttpd_content_type(req.path), ""))
		abort();
}

static void check_dates(const unsigned char *data, size_t size)
{
	char buf[KHTTPD_DATE_LEN + 1];
	long long secs = 0, back = 0, t = 0;
	size_t i;

	/* Any bytes as a date; a date that parses formats and reads back. */
	if (!khttpd_parse_http_date((const char *)data, size, &secs) &&
	    secs >= 0 && secs <= 253402300799LL) {
		if (khttpd_format_http_date(secs, buf) != 29 ||
		    khttpd_parse_http_date(buf, 29, &back) || back != secs)
			abort();
	}
	/* A time from the first 8 bytes: written, then read back. */
	for (i = 0; i < size && i < 8; i++)
		t = (long long)((unsigned long long)t << 8 | data[i]);
	t = (long long)((unsigned long long)t % 253402300800ULL);
	buf[KHTTPD_DATE_LEN] = 'x';
	if (khttpd_format_http_date(t, buf) != 29 || buf[29] != '\0' ||
	    buf[KHTTPD_DATE_LEN] != 'x' ||
	    khttpd_parse_http_date(buf, 29, &back) || back != t)
		abort();
	/* Out of range: clamped, still 29 bytes. */
	if (khttpd_format_http_date(-t - 1, buf) != 29 ||
	    khttpd_format_http_date(t + 253402300800LL, buf) != 29)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char path[256];
	size_t cut;
	int ret;

	ret = khttpd_parse_request((const char *)data, size, &req);
	check_request(ret, size);

	/* A prefix is incomplete, or already the whole input's answer. */
	if (size) {
		int pre;

		cut = size > 1 ? (size_t)data[size - 1] * 31 % size : 0;
		pre = khttpd_parse_request((const char *)data, cut, &prefix_req);
		if (pre && (pre != ret ||
			    (pre > 0 && strcmp(prefix_req.path, req.path))))
			abort();
	}

	check_dates(data, size);

	/* The input as a path, up to its first NUL. */
	cut = size < sizeof(path) - 1 ? size : sizeof(path) - 1;
	memcpy(path, data, cut);
	path[cut] = '\0';
	if (!khttpd_content_type(path) || !*khttpd_content_type(path))
		abort();
	return 0;
}
