// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: drop-tcp-socket's line parser (src/kernel/dts_parse.c,
 * the very file the module builds) on arbitrary bytes, under ASan and
 * UBSan. Every result must be one the module expects, and a parsed tuple
 * must be self-consistent.
 */
#include <stdlib.h>

#include <linux/errno.h>
#include <net/ipv6.h>

#include "dts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct dts_tuple t;
	int err;

	/* The module hands the parser at most DTS_LINE_MAX bytes. */
	if (size > DTS_LINE_MAX)
		size = DTS_LINE_MAX;
	err = dts_parse_line((const char *)data, size, &t);
	if (err != 0 && err != -EINVAL && err != -ENODATA)
		abort();
	if (!err && (!t.lport || !t.rport || (t.has_cookie && t.cookie == U64_MAX) ||
		     t.v4 != ipv6_addr_v4mapped(&t.laddr) ||
		     t.v4 != ipv6_addr_v4mapped(&t.raddr)))
		abort();
	return 0;
}
