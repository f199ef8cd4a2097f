/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drop-tcp-socket: shared declarations. See dts_main.c for the interface.
 */
#ifndef DTS_H
#define DTS_H

#include <linux/in6.h>
#include <linux/types.h>

struct net;
struct pernet_operations;

/* Longest accepted line, without its newline. */
#define DTS_LINE_MAX 128

/*
 * One connection as written by the user: local end, then remote end, and
 * optionally what the writer saw (state, cookie) when it listed it.
 * IPv4 (also written IPv4-mapped) is held as ::ffff:a.b.c.d with
 * @v4 set, because such connections live in the IPv4 hash.
 */
struct dts_tuple {
	bool v4;
	struct in6_addr laddr;
	struct in6_addr raddr;
	u16 lport;		/* host order */
	u16 rport;		/* host order */
	u8 state;		/* expected TCP_* state as ss shows it; 0: any */
	bool has_cookie;
	u64 cookie;		/* expected inet_diag socket cookie */
};

/* dts_parse.c: pure, no side effects. */
int dts_parse_line(const char *line, size_t len, struct dts_tuple *t);

/* dts_drop.c */
int dts_drop(struct net *net, const struct dts_tuple *t);

/* dts_proc.c */
extern struct pernet_operations dts_net_ops;

#endif /* DTS_H */
