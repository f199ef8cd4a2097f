// SPDX-License-Identifier: GPL-2.0
/*
 * drop-tcp-socket: parse one line "LOCAL REMOTE [STATE] [cookie=N]" into
 * a dts_tuple.
 *
 * Pure functions: no allocation, no locking, no global state.
 *
 * Grammar (whitespace is space, tab, CR, VT, FF):
 *   line     = *ws endpoint 1*ws endpoint *(1*ws option) *ws
 *   endpoint = ipv4 ":" port
 *            | "[" ipv6 "]" ":" port
 *            | ipv6 ":" port          ; netstat style, split at last ':'
 *   port     = 1*5DIGIT, value 1..65535
 *   option   = state | "cookie=" number  ; each at most once, any order
 *   state    = a TCP state as netstat or ss print it, any case:
 *              ESTABLISHED ESTAB SYN_SENT SYN_RECV FIN_WAIT1 FIN_WAIT2
 *              TIME_WAIT CLOSE_WAIT LAST_ACK CLOSING, '-' for '_' and
 *              ss's FIN-WAIT-1 / FIN-WAIT-2 too
 *   number   = decimal, or "0x" hex; a u64 other than U64_MAX (inet_diag's
 *              INET_DIAG_NOCOOKIE in both halves, which means "any")
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4. Both ends
 * must be of the same family. A line holding only whitespace is blank.
 */

#include <linux/errno.h>
#include <linux/inet.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include <net/tcp_states.h>

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

static const struct {
	const char *name;
	u8 state;
} dts_states[] = {
	{ "ESTABLISHED", TCP_ESTABLISHED },
	{ "ESTAB", TCP_ESTABLISHED },
	{ "SYN_SENT", TCP_SYN_SENT },
	{ "SYN_RECV", TCP_SYN_RECV },
	{ "FIN_WAIT1", TCP_FIN_WAIT1 },
	{ "FIN_WAIT_1", TCP_FIN_WAIT1 },
	{ "FIN_WAIT2", TCP_FIN_WAIT2 },
	{ "FIN_WAIT_2", TCP_FIN_WAIT2 },
	{ "TIME_WAIT", TCP_TIME_WAIT },
	{ "CLOSE_WAIT", TCP_CLOSE_WAIT },
	{ "LAST_ACK", TCP_LAST_ACK },
	{ "CLOSING", TCP_CLOSING },
};

static char dts_upper(char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 'A';
	return c == '-' ? '_' : c;
}

/* A state name, any case, '-' standing for '_'. */
static int dts_parse_state(const char *s, size_t len, u8 *state)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(dts_states); i++) {
		const char *name = dts_states[i].name;

		if (strlen(name) != len)
			continue;
		for (j = 0; j < len && dts_upper(s[j]) == name[j]; j++)
			;
		if (j == len) {
			*state = dts_states[i].state;
			return 0;
		}
	}
	return -EINVAL;
}

static int dts_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decimal or 0x-prefixed hex, no sign, must fit in a u64. */
static int dts_parse_u64(const char *s, size_t len, u64 *val)
{
	int base = 10;
	u64 v = 0;
	size_t i;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		int d = dts_hex_digit(s[i]);

		if (d < 0 || d >= base)
			return -EINVAL;
		if (v > (U64_MAX - d) / base)
			return -EINVAL;	/* overflow */
		v = v * base + d;
	}
	*val = v;
	return 0;
}

#define DTS_COOKIE_PREFIX "cookie="

/* One optional field after the tuple; each kind at most once. */
static int dts_parse_option(const char *s, size_t len, struct dts_tuple *t)
{
	size_t plen = strlen(DTS_COOKIE_PREFIX);

	if (len > plen && !memcmp(s, DTS_COOKIE_PREFIX, plen)) {
		if (t->has_cookie)
			return -EINVAL;
		t->has_cookie = true;
		if (dts_parse_u64(s + plen, len - plen, &t->cookie))
			return -EINVAL;
		/* inet_diag's "no cookie" (both halves ~0): never a socket's */
		return t->cookie == U64_MAX ? -EINVAL : 0;
	}
	if (t->state)
		return -EINVAL;
	return dts_parse_state(s, len, &t->state);
}

/**
 * dts_parse_line() - parse one line (without its newline)
 * @line: the bytes, not NUL-terminated, may contain any byte value
 * @len: number of bytes
 * @t: filled on success
 *
 * Return: 0 on success, -ENODATA for a blank line, -EINVAL when malformed
 * (also for an unknown state, a state or cookie given twice, or a cookie
 * that does not fit in 64 bits).
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

	t->state = 0;
	t->has_cookie = false;
	t->cookie = 0;
	for (;;) {
		size_t opt;

		pos += dts_space_len(line + pos, len - pos);
		if (pos == len)
			break;
		opt = pos;
		pos += dts_token_len(line + pos, len - pos);
		err = dts_parse_option(line + opt, pos - opt, t);
		if (err)
			return err;
	}
	if (v4_local != v4_remote)
		return -EINVAL;	/* one end IPv4, the other native IPv6 */
	t->v4 = v4_local;
	return 0;
}
