// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd: parse one HTTP/1.x request head; read and write HTTP dates; map
 * a path's extension to its Content-Type.
 *
 * Pure functions: no allocation, no locking, no global state, no recursion,
 * no floating point, and no header beyond khttpd_parse.h, so this very file
 * also builds in userspace for its unit test and libFuzzer target
 * (tests/khttpd-parse). Every byte is hostile: nothing is read past
 * buf[len - 1] nor past KHTTPD_HEAD_MAX bytes, and the work is a few passes
 * over those bytes at most.
 *
 * Order of the checks, the first failing one deciding the answer:
 *  1. empty lines before the request line are skipped (RFC 9112 2.2);
 *  2. the request line is scanned byte by byte: a byte that no valid line
 *     has there (a control byte, a second SP, a non-token byte in the
 *     method, a lone CR) is 400 at once, even before the line's end; no
 *     line end within KHTTPD_LINE_MAX bytes is 414;
 *  3. the complete request line: the version (505 for any major other
 *     than 1, so the HTTP/2 preface "PRI * HTTP/2.0" is 505), then the
 *     target (origin-form only), then its decoding and normalization;
 *  4. each complete header line in order (Host twice, a conflicting
 *     Content-Length: 400; Transfer-Encoding: 501);
 *  5. no blank line within KHTTPD_HEAD_MAX bytes: 431, else 0 (more bytes);
 *  6. the whole head: HTTP/1.1 without Host is 400.
 * An answer other than 0 for a prefix of the bytes is therefore also the
 * answer for all of them.
 */

#include "khttpd_parse.h"

/* Content-Length, range positions and lengths: larger ones are refused. */
#define KHTTPD_NUM_MAX		(1ULL << 62)
/* 9999-12-31 23:59:59 GMT, the last time with a four-digit year. */
#define KHTTPD_TIME_MAX		253402300799LL

static bool kh_is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool kh_is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static unsigned char kh_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* RFC 9110 5.6.2: tchar. */
static bool kh_is_tchar(unsigned char c)
{
	if (kh_is_digit(c) || kh_is_alpha(c))
		return true;
	switch (c) {
	case '!': case '#': case '$': case '%': case '&': case '\'':
	case '*': case '+': case '-': case '.': case '^': case '_':
	case '`': case '|': case '~':
		return true;
	default:
		return false;
	}
}

/* A control byte: C0 or DEL. */
static bool kh_is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool kh_is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int kh_hex(unsigned char c)
{
	if (kh_is_digit(c))
		return c - '0';
	c = kh_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* @s[0..len) equals the lowercase NUL-terminated @lit, in any case. */
static bool kh_eq_nocase(const unsigned char *s, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!lit[i] || kh_lower(s[i]) != (unsigned char)lit[i])
			return false;
	return !lit[len];
}

/* @s[0..len) equals the NUL-terminated @lit exactly. */
static bool kh_eq(const unsigned char *s, size_t len, const char *lit)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!lit[i] || s[i] != (unsigned char)lit[i])
			return false;
	return !lit[len];
}

/*
 * 1*DIGIT, at most KHTTPD_NUM_MAX: 0, or -1 for an empty, non-digit or
 * larger number.
 */
static int kh_parse_num(const unsigned char *s, size_t len,
			unsigned long long *val)
{
	unsigned long long v = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (!kh_is_digit(s[i]) || v > KHTTPD_NUM_MAX / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > KHTTPD_NUM_MAX)
			return -1;
	}
	*val = v;
	return 0;
}

/* The version after the request line's second SP: 0 and the minor, or -status. */
static int kh_parse_version(const unsigned char *v, size_t len,
			    unsigned int *minor)
{
	size_t i = 5, major_end;

	if (len < 6 || !kh_eq(v, 5, "HTTP/") || !kh_is_digit(v[5]))
		return -400;
	while (i < len && kh_is_digit(v[i]))
		i++;
	major_end = i;
	if (major_end - 5 != 1 || v[5] != '1') {
		/* "HTTP/" 1*DIGIT [ "." 1*DIGIT ]: a version, not ours. */
		if (i < len && v[i] == '.') {
			i++;
			if (i == len)
				return -400;
			while (i < len && kh_is_digit(v[i]))
				i++;
		}
		return i == len ? -505 : -400;
	}
	/* "HTTP/1." DIGIT */
	if (len != 8 || v[6] != '.' || !kh_is_digit(v[7]))
		return -400;
	*minor = v[7] == '0' ? 0 : 1;
	return 0;
}

/*
 * Decode and normalize the target's path (up to its first '?' or '#') into
 * @out: %XX decoded (a decoded '/' separates segments like any other),
 * "//" collapsed, "." segments dropped, ".." segments resolved. A path that
 * ends in '/', "." or ".." names a directory and keeps a trailing '/'.
 * Return: 0, -400 (a bad escape, %00, a ".." above the root) or -414.
 */
static int kh_normalize(const unsigned char *t, size_t len, char *out)
{
	size_t i, o = 1, seg = 1;

	out[0] = '/';
	/* t[0] is the '/' that starts an origin-form target. */
	for (i = 1; i <= len; i++) {
		bool end = i == len || t[i] == '?' || t[i] == '#';

		if (!end) {
			unsigned char c = t[i];

			if (c == '%') {
				int hi, lo;

				if (len - i < 3)
					return -400;
				hi = kh_hex(t[i + 1]);
				lo = kh_hex(t[i + 2]);
				if (hi < 0 || lo < 0 || (!hi && !lo))
					return -400;
				c = (unsigned char)(hi << 4 | lo);
				i += 2;
			}
			if (c != '/') {
				if (o >= KHTTPD_PATH_MAX - 1)
					return -414;
				out[o++] = (char)c;
				continue;
			}
		}
		/* A segment out[seg..o) ends. */
		if (o - seg == 1 && out[seg] == '.') {
			o = seg;
		} else if (o - seg == 2 && out[seg] == '.' && out[seg + 1] == '.') {
			if (seg == 1)
				return -400;
			/* Drop it and the segment before, keep that one's '/'. */
			o = seg - 1;
			while (out[o - 1] != '/')
				o--;
			seg = o;
		} else if (o > seg && !end) {
			if (o >= KHTTPD_PATH_MAX - 1)
				return -414;
			out[o++] = '/';
			seg = o;
		}
		if (end)
			break;
	}
	out[o] = '\0';
	return 0;
}

/* Connection: a comma-separated list of tokens, any case. */
static void kh_parse_connection(const unsigned char *v, size_t len,
				bool *close, bool *keep)
{
	size_t i = 0;

	while (i < len) {
		size_t s, e;

		while (i < len && (kh_is_ows(v[i]) || v[i] == ','))
			i++;
		s = i;
		while (i < len && v[i] != ',')
			i++;
		e = i;
		while (e > s && kh_is_ows(v[e - 1]))
			e--;
		if (kh_eq_nocase(v + s, e - s, "close"))
			*close = true;
		else if (kh_eq_nocase(v + s, e - s, "keep-alive"))
			*keep = true;
	}
}

/*
 * Range: "bytes=" and one range-spec, first-last, first- or -suffix; OWS
 * and empty elements around it as in any list (RFC 9110 5.6.1). Anything
 * else leaves has_range false.
 */
static void kh_parse_range(const unsigned char *v, size_t len,
			   struct khttpd_request *req)
{
	unsigned long long first = 0, last = 0;
	size_t i = 6, s = 0, e = 0, dash, n = 0;

	if (len < 6 || !kh_eq_nocase(v, 6, "bytes="))
		return;
	while (i < len) {
		size_t es, ee;

		while (i < len && kh_is_ows(v[i]))
			i++;
		es = i;
		while (i < len && v[i] != ',')
			i++;
		ee = i;
		while (ee > es && kh_is_ows(v[ee - 1]))
			ee--;
		if (ee > es) {
			n++;
			s = es;
			e = ee;
		}
		if (i < len)
			i++;	/* the ',' */
	}
	if (n != 1)
		return;
	dash = s;
	while (dash < e && v[dash] != '-')
		dash++;
	if (dash == e)
		return;
	if (dash == s) {
		if (kh_parse_num(v + dash + 1, e - dash - 1, &last) || !last)
			return;
		req->range_suffix = true;
	} else if (dash + 1 == e) {
		if (kh_parse_num(v + s, dash - s, &first))
			return;
		req->range_open = true;
	} else {
		if (kh_parse_num(v + s, dash - s, &first) ||
		    kh_parse_num(v + dash + 1, e - dash - 1, &last) ||
		    first > last)
			return;
	}
	req->has_range = true;
	req->range_first = first;
	req->range_last = last;
}

struct kh_fields {
	unsigned int hosts;
	bool close;
	bool keep;
	bool ims_seen;
	bool range_seen;
};

/* One header line, without its line end: 0 or -status. */
static int kh_parse_field(const unsigned char *l, size_t len,
			  struct khttpd_request *req, struct kh_fields *f)
{
	size_t colon, vs, ve, i;
	const unsigned char *v;
	unsigned long long cl;

	/* obs-fold, or whitespace before the first field. */
	if (kh_is_ows(l[0]))
		return -400;
	for (colon = 0; colon < len && l[colon] != ':'; colon++)
		if (!kh_is_tchar(l[colon]))
			return -400;
	if (colon == len || !colon)
		return -400;
	vs = colon + 1;
	ve = len;
	while (vs < ve && kh_is_ows(l[vs]))
		vs++;
	while (ve > vs && kh_is_ows(l[ve - 1]))
		ve--;
	for (i = vs; i < ve; i++)
		if (kh_is_ctl(l[i]) && l[i] != '\t')
			return -400;
	v = l + vs;

	if (kh_eq_nocase(l, colon, "host")) {
		if (++f->hosts > 1)
			return -400;
	} else if (kh_eq_nocase(l, colon, "connection")) {
		kh_parse_connection(v, ve - vs, &f->close, &f->keep);
	} else if (kh_eq_nocase(l, colon, "content-length")) {
		if (kh_parse_num(v, ve - vs, &cl))
			return -400;
		if (req->has_content_length && req->content_length != cl)
			return -400;
		req->has_content_length = true;
		req->content_length = cl;
	} else if (kh_eq_nocase(l, colon, "transfer-encoding")) {
		return -501;
	} else if (kh_eq_nocase(l, colon, "if-modified-since")) {
		/* The first one counts, as in nginx. */
		if (!f->ims_seen)
			req->has_ims = !khttpd_parse_http_date((const char *)v,
							       ve - vs,
							       &req->ims);
		f->ims_seen = true;
	} else if (kh_eq_nocase(l, colon, "range")) {
		if (!f->range_seen)
			kh_parse_range(v, ve - vs, req);
		f->range_seen = true;
	}
	return 0;
}


/*
 * The target's query, raw, with its '?' (up to a '#'), kept after the
 * path's NUL for a redirect to repeat. It fits: the decoded path is no
 * longer than the raw target it came from, which also holds the query.
 */
static void kh_keep_query(const unsigned char *t, size_t len,
			  struct khttpd_request *req)
{
	size_t q = 0, end, at = 0;

	while (q < len && t[q] != '?' && t[q] != '#')
		q++;
	if (q == len || t[q] != '?')
		return;
	for (end = q; end < len && t[end] != '#'; end++)
		;
	while (req->path[at])
		at++;
	at++;
	if (at + (end - q) + 1 > KHTTPD_PATH_MAX)
		return;
	req->query = (unsigned int)at;
	for (; q < end; q++)
		req->path[at++] = (char)t[q];
	req->path[at] = '\0';
}

/*
 * RFC 9112 3.2.2: a server must accept a request target in absolute-form,
 * "http://host[:port]/path". The length of its scheme and authority, to
 * be skipped (which host was asked for does not matter here), or 0 for
 * any other target.
 */
static size_t kh_absolute_form(const unsigned char *t, size_t len)
{
	size_t i;

	if (len >= 7 && kh_eq_nocase(t, 7, "http://"))
		i = 7;
	else if (len >= 8 && kh_eq_nocase(t, 8, "https://"))
		i = 8;
	else
		return 0;
	while (i < len && t[i] != '/' && t[i] != '?' && t[i] != '#')
		i++;
	return i;
}
/*
 * The request line from @ls: its line end's LF in *@lf, or 0 (more bytes
 * needed), or -status.
 */
static int kh_scan_request_line(const unsigned char *p, size_t ls, size_t n,
				size_t *sp1, size_t *sp2, size_t *lf)
{
	size_t i;
	int state = 0;	/* 0 method, 1 target, 2 version */

	for (i = ls; i < n && i - ls < KHTTPD_LINE_MAX; i++) {
		unsigned char c = p[i];

		/* A CR is only ever the line end's. */
		if (i > ls && p[i - 1] == '\r' && c != '\n')
			return -400;
		if (state == 0) {
			if (c == ' ' && i > ls) {
				*sp1 = i;
				state = 1;
			} else if (!kh_is_tchar(c)) {
				return -400;
			}
		} else if (state == 1) {
			/* A control byte; or no version: HTTP/0.9. */
			if (kh_is_ctl(c) || (c == ' ' && i == *sp1 + 1))
				return -400;
			if (c == ' ') {
				*sp2 = i;
				state = 2;
			}
		} else if (c == '\n') {
			*lf = i;
			return 1;
		} else if (c == ' ' || (kh_is_ctl(c) && c != '\r')) {
			return -400;
		}
	}
	if (i - ls >= KHTTPD_LINE_MAX)
		return -414;
	return n >= KHTTPD_HEAD_MAX ? -431 : 0;
}

int khttpd_parse_request(const char *buf, size_t len,
			 struct khttpd_request *req)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t n = len, pos = 0, ls, sp1 = 0, sp2 = 0, lf = 0, ve, tlen, skip;
	struct kh_fields f = { 0 };
	int ret;

	/* Nothing past the head's limit is read. */
	if (n > KHTTPD_HEAD_MAX)
		n = KHTTPD_HEAD_MAX;
	/* Empty lines before the request line are ignored. */
	while (pos < n && (p[pos] == '\n' || p[pos] == '\r')) {
		if (p[pos] == '\r') {
			if (pos + 1 == n)
				return n >= KHTTPD_HEAD_MAX ? -431 : 0;
			if (p[pos + 1] != '\n')
				return -400;
			pos++;
		}
		pos++;
	}
	ls = pos;
	ret = kh_scan_request_line(p, ls, n, &sp1, &sp2, &lf);
	if (ret <= 0)
		return ret;

	req->method = KHTTPD_METHOD_OTHER;
	req->minor = 0;
	req->has_content_length = false;
	req->content_length = 0;
	req->has_ims = false;
	req->ims = 0;
	req->has_range = false;
	req->range_suffix = false;
	req->range_open = false;
	req->range_first = 0;
	req->range_last = 0;
	req->head_len = 0;
	req->path[0] = '\0';
	req->query = 0;

	ve = p[lf - 1] == '\r' ? lf - 1 : lf;
	ret = kh_parse_version(p + sp2 + 1, ve - sp2 - 1, &req->minor);
	if (ret)
		return ret;
	tlen = sp2 - sp1 - 1;
	skip = kh_absolute_form(p + sp1 + 1, tlen);
	if (!skip && p[sp1 + 1] != '/')
		return -400;
	if (skip == tlen || p[sp1 + 1 + skip] != '/')
		/* "http://host" or "http://host?q": the root */
		ret = kh_normalize((const unsigned char *)"/", 1, req->path);
	else
		ret = kh_normalize(p + sp1 + 1 + skip, tlen - skip, req->path);
	if (ret)
		return ret;
	kh_keep_query(p + sp1 + 1, tlen, req);
	if (kh_eq(p + ls, sp1 - ls, "GET"))
		req->method = KHTTPD_METHOD_GET;
	else if (kh_eq(p + ls, sp1 - ls, "HEAD"))
		req->method = KHTTPD_METHOD_HEAD;

	/* The header lines, up to the blank one. */
	pos = lf + 1;
	for (;;) {
		size_t s = pos, e;

		while (pos < n && p[pos] != '\n')
			pos++;
		if (pos == n)
			return n >= KHTTPD_HEAD_MAX ? -431 : 0;
		e = pos > s && p[pos - 1] == '\r' ? pos - 1 : pos;
		pos++;
		if (e == s)
			break;
		ret = kh_parse_field(p + s, e - s, req, &f);
		if (ret)
			return ret;
	}

	if (req->minor >= 1 && f.hosts != 1)
		return -400;
	req->keep_alive = !f.close && (f.keep || req->minor >= 1);
	req->head_len = (unsigned int)pos;
	return (int)pos;
}

static const char * const kh_days[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

static const char * const kh_long_days[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

static const char * const kh_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static bool kh_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int kh_month_days(int y, int m)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	return m == 2 && kh_is_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (H. Hinnant). */
static int kh_days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse, for days >= 0. */
static void kh_civil_from_days(int z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* @n digits at @s: their value, or -1. */
static int kh_digits(const unsigned char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!kh_is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Index of the @n-byte name at @s in @names, or -1. */
static int kh_lookup(const unsigned char *s, size_t n,
		     const char * const *names, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (kh_eq(s, n, names[i]))
			return i;
	return -1;
}

/* "HH:MM:SS" at @s. */
static int kh_parse_clock(const unsigned char *s, int *hh, int *mm, int *ss)
{
	if (s[2] != ':' || s[5] != ':')
		return -1;
	*hh = kh_digits(s, 2);
	*mm = kh_digits(s + 3, 2);
	*ss = kh_digits(s + 6, 2);
	if (*hh < 0 || *mm < 0 || *ss < 0)
		return -1;
	return 0;
}

int khttpd_parse_http_date(const char *s, size_t len, long long *secs)
{
	const unsigned char *u = (const unsigned char *)s;
	int y, mon, d, hh, mm, ss;
	size_t comma;

	comma = 0;
	while (comma < len && comma < 10 && u[comma] != ',')
		comma++;
	if (comma == 3 && len == 29) {
		/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
		if (kh_lookup(u, 3, kh_days, 7) < 0 || u[4] != ' ' ||
		    u[7] != ' ' || u[11] != ' ' || u[16] != ' ' ||
		    u[25] != ' ' || !kh_eq(u + 26, 3, "GMT"))
			return -1;
		d = kh_digits(u + 5, 2);
		mon = kh_lookup(u + 8, 3, kh_months, 12) + 1;
		y = kh_digits(u + 12, 4);
		if (kh_parse_clock(u + 17, &hh, &mm, &ss))
			return -1;
	} else if (comma >= 6 && len == comma + 24 && u[comma] == ',') {
		/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
		const unsigned char *r = u + comma;

		if (kh_lookup(u, comma, kh_long_days, 7) < 0 || r[1] != ' ' ||
		    r[4] != '-' || r[8] != '-' || r[11] != ' ' ||
		    r[20] != ' ' || !kh_eq(r + 21, 3, "GMT"))
			return -1;
		d = kh_digits(r + 2, 2);
		mon = kh_lookup(r + 5, 3, kh_months, 12) + 1;
		y = kh_digits(r + 9, 2);
		if (y >= 0)
			y += y >= 70 ? 1900 : 2000;
		if (kh_parse_clock(r + 12, &hh, &mm, &ss))
			return -1;
	} else if (len == 24) {
		/* asctime: "Sun Nov  6 08:49:37 1994" */
		if (kh_lookup(u, 3, kh_days, 7) < 0 || u[3] != ' ' ||
		    u[7] != ' ' || u[10] != ' ' || u[19] != ' ')
			return -1;
		mon = kh_lookup(u + 4, 3, kh_months, 12) + 1;
		if (u[8] == ' ')
			d = kh_digits(u + 9, 1);
		else
			d = kh_digits(u + 8, 2);
		if (kh_parse_clock(u + 11, &hh, &mm, &ss))
			return -1;
		y = kh_digits(u + 20, 4);
	} else {
		return -1;
	}
	if (y < 0 || mon < 1 || d < 1 || d > kh_month_days(y, mon) ||
	    hh > 23 || mm > 59 || ss > 60)
		return -1;
	*secs = (long long)kh_days_from_civil(y, mon, d) * 86400 +
		hh * 3600 + mm * 60 + ss;
	return 0;
}

static char *kh_put2(char *p, unsigned int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

static char *kh_put(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

size_t khttpd_format_http_date(long long secs, char *buf)
{
	unsigned long long t;
	unsigned int days, rem;
	int y, m, d;
	char *p = buf;

	if (secs < 0)
		secs = 0;
	if (secs > KHTTPD_TIME_MAX)
		secs = KHTTPD_TIME_MAX;
	t = (unsigned long long)secs;
	/* 86400 = 128 * 675; t >> 7 fits 32 bits: no 64-bit division. */
	days = (unsigned int)(t >> 7) / 675;
	rem = (unsigned int)(t - (unsigned long long)days * 86400);
	kh_civil_from_days((int)days, &y, &m, &d);

	p = kh_put(p, kh_days[(days + 4) % 7]);
	p = kh_put(p, ", ");
	p = kh_put2(p, (unsigned int)d);
	*p++ = ' ';
	p = kh_put(p, kh_months[m - 1]);
	*p++ = ' ';
	p = kh_put2(p, (unsigned int)y / 100);
	p = kh_put2(p, (unsigned int)y % 100);
	*p++ = ' ';
	p = kh_put2(p, rem / 3600);
	*p++ = ':';
	p = kh_put2(p, rem / 60 % 60);
	*p++ = ':';
	p = kh_put2(p, rem % 60);
	p = kh_put(p, " GMT");
	*p = '\0';
	return (size_t)(p - buf);
}

/* As in Debian's nginx 1.22 /etc/nginx/mime.types, plus gz. */
static const struct {
	const char *ext;
	const char *type;
} kh_types[] = {
	{ "html", "text/html" },
	{ "htm", "text/html" },
	{ "shtml", "text/html" },
	{ "css", "text/css" },
	{ "xml", "text/xml" },
	{ "txt", "text/plain" },
	{ "js", "application/javascript" },
	{ "json", "application/json" },
	{ "atom", "application/atom+xml" },
	{ "rss", "application/rss+xml" },
	{ "xhtml", "application/xhtml+xml" },
	{ "gif", "image/gif" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "png", "image/png" },
	{ "svg", "image/svg+xml" },
	{ "svgz", "image/svg+xml" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	{ "webp", "image/webp" },
	{ "ico", "image/x-icon" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "eot", "application/vnd.ms-fontobject" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
	{ "7z", "application/x-7z-compressed" },
	{ "m3u8", "application/vnd.apple.mpegurl" },
	{ "mp3", "audio/mpeg" },
	{ "ogg", "audio/ogg" },
	{ "m4a", "audio/x-m4a" },
	{ "mp4", "video/mp4" },
	{ "mpeg", "video/mpeg" },
	{ "mpg", "video/mpeg" },
	{ "mov", "video/quicktime" },
	{ "webm", "video/webm" },
	{ "ts", "video/mp2t" },
	{ "avi", "video/x-msvideo" },
	{ NULL, NULL },
};

const char *khttpd_content_type(const char *path)
{
	const unsigned char *s = (const unsigned char *)path;
	size_t i, dot = 0, ext_len;
	bool in_ext = false;
	int k;

	/* The last segment's last '.', unless it starts the segment. */
	for (i = 0; s[i]; i++) {
		if (s[i] == '/') {
			in_ext = false;
		} else if (s[i] == '.' && i > 0 && s[i - 1] != '/') {
			dot = i + 1;
			in_ext = true;
		}
	}
	if (!in_ext)
		return "application/octet-stream";
	ext_len = i - dot;
	for (k = 0; kh_types[k].ext; k++)
		if (kh_eq_nocase(s + dot, ext_len, kh_types[k].ext))
			return kh_types[k].type;
	return "application/octet-stream";
}
