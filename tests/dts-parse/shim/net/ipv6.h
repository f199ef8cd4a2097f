/* Userspace stand-in for the kernel header, for dts_parse.c's tests. */
#ifndef DTS_SHIM_NET_IPV6_H
#define DTS_SHIM_NET_IPV6_H

#include <linux/in6.h>
#include <linux/types.h>
#include <string.h>

static inline void ipv6_addr_set_v4mapped(__be32 addr, struct in6_addr *v4mapped)
{
	memset(v4mapped->s6_addr, 0, 10);
	v4mapped->s6_addr[10] = 0xff;
	v4mapped->s6_addr[11] = 0xff;
	memcpy(&v4mapped->s6_addr[12], &addr, 4);
}

static inline bool ipv6_addr_v4mapped(const struct in6_addr *a)
{
	static const u8 prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a->s6_addr, prefix, sizeof(prefix)) == 0;
}

#endif
