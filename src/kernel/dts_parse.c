// SPDX-License-Identifier: GPL-2.0
/*
 * drop-tcp-socket: parse one line "LOCAL REMOTE" into a dts_tuple.
 *
 * Pure functions: no allocation, no locking, no global state.
 *
 * Grammar (whitespace is space, tab, CR, VT, FF):
 *   line     = *ws endpoint 1*ws endpoint *ws
 *   endpoint = ipv4 ":" port
 *            | "[" ipv6 "]" ":" port
 *            | ipv6 ":" port          ; netstat style, split at last ':'
 *   port     = 1*5DIGIT, value 1..65535
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4. Both ends
 * must be of the same family. A line holding only whitespace is blank.
 */

#include <linux/errno.h>
#include <linux/inet.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "dts.h"

static bool dts_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Strictly decimal, 1..65535, no sign, at most five digits. */
static int dts_parse_port(const char *s, size_t len, u16 *port)
{
	unsigned int v = 0;
	size_t i;

	if (len == 0 || len > 5)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -EINVAL;
	*port = v;
	return 0;
}

static int dts_parse_addr6(const char *s, size_t len, struct in6_addr *addr)
{
	const char *end;

	if (len == 0 || len >= INET6_ADDRSTRLEN)
		return -EINVAL;
	if (in6_pton(s, len, addr->s6_addr, -1, &end) != 1 || end != s + len)
		return -EINVAL;
	return 0;
}

static int dts_parse_addr4(const char *s, size_t len, struct in6_addr *addr)
{
	const char *end;
	__be32 a;

	if (len == 0 || len >= INET_ADDRSTRLEN)
		return -EINVAL;
	if (in4_pton(s, len, (u8 *)&a, -1, &end) != 1 || end != s + len)
		return -EINVAL;
	ipv6_addr_set_v4mapped(a, addr);
	return 0;
}

static const char *dts_last_colon(const char *s, size_t len)
{
	while (len > 0) {
		len--;
		if (s[len] == ':')
			return s + len;
	}
	return NULL;
}

/* Parse "ADDR:PORT" of exactly @len bytes. Sets *v4 for IPv4(-mapped). */
static int dts_parse_endpoint(const char *s, size_t len, struct in6_addr *addr,
			      u16 *port, bool *v4)
{
	const char *colon;
	int err;

	if (len == 0)
		return -EINVAL;

	if (s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (!close || close + 1 >= s + len || close[1] != ':')
			return -EINVAL;
		err = dts_parse_addr6(s + 1, close - (s + 1), addr);
		colon = close + 1;
	} else {
		colon = dts_last_colon(s, len);
		if (!colon)
			return -EINVAL;
		if (memchr(s, ':', colon - s))
			err = dts_parse_addr6(s, colon - s, addr);
		else
			err = dts_parse_addr4(s, colon - s, addr);
	}
	if (err)
		return err;

	err = dts_parse_port(colon + 1, s + len - (colon + 1), port);
	if (err)
		return err;
	*v4 = ipv6_addr_v4mapped(addr);
	return 0;
}

/* Length of the run of non-space bytes at @s, at most @len. */
static size_t dts_token_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && !dts_is_space(s[i]))
		i++;
	return i;
}

static size_t dts_space_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && dts_is_space(s[i]))
		i++;
	return i;
}

/**
 * dts_parse_line() - parse one line (without its newline)
 * @line: the bytes, not NUL-terminated, may contain any byte value
 * @len: number of bytes
 * @t: filled on success
 *
 * Return: 0 on success, -ENODATA for a blank line, -EINVAL when malformed.
 */
int dts_parse_line(const char *line, size_t len, struct dts_tuple *t)
{
	size_t pos, tok1, tok2, sp;
	bool v4_local, v4_remote;
	int err;

	pos = dts_space_len(line, len);
	if (pos == len)
		return -ENODATA;

	tok1 = pos;
	pos += dts_token_len(line + pos, len - pos);
	sp = dts_space_len(line + pos, len - pos);
	if (sp == 0 || pos + sp == len)
		return -EINVAL;	/* only one field */
	err = dts_parse_endpoint(line + tok1, pos - tok1, &t->laddr,
				 &t->lport, &v4_local);
	if (err)
		return err;

	pos += sp;
	tok2 = pos;
	pos += dts_token_len(line + pos, len - pos);
	err = dts_parse_endpoint(line + tok2, pos - tok2, &t->raddr,
				 &t->rport, &v4_remote);
	if (err)
		return err;

	pos += dts_space_len(line + pos, len - pos);
	if (pos != len)
		return -EINVAL;	/* a third field */
	if (v4_local != v4_remote)
		return -EINVAL;	/* one end IPv4, the other native IPv6 */
	t->v4 = v4_local;
	return 0;
}
