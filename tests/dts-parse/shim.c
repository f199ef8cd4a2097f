// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel functions dts_parse.c calls, for its userspace test and
 * fuzzer. in4_pton() takes what the kernel's does: four decimal parts of
 * 1-3 digits, each at most 255; in6_pton() goes to inet_pton(). Both see
 * exactly @srclen bytes (never a NUL-terminated string, as in the module).
 */
#include <arpa/inet.h>
#include <string.h>

#include <linux/inet.h>

int in4_pton(const char *src, int srclen, u8 *dst, int delim, const char **end)
{
	const char *s = src, *stop = src + srclen;
	int part;

	(void)delim;
	for (part = 0; part < 4; part++) {
		unsigned int v = 0, digits = 0;

		while (s < stop && *s >= '0' && *s <= '9' && digits < 3) {
			v = v * 10 + (unsigned int)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255)
			return 0;
		dst[part] = (u8)v;
		if (part < 3) {
			if (s >= stop || *s != '.')
				return 0;
			s++;
		}
	}
	if (end)
		*end = s;
	return 1;
}

int in6_pton(const char *src, int srclen, u8 *dst, int delim, const char **end)
{
	char text[INET6_ADDRSTRLEN];

	(void)delim;
	if (srclen < 0 || (size_t)srclen >= sizeof(text))
		return 0;
	memcpy(text, src, (size_t)srclen);
	text[srclen] = '\0';
	if (strlen(text) != (size_t)srclen || inet_pton(AF_INET6, text, dst) != 1)
		return 0;
	if (end)
		*end = src + srclen;
	return 1;
}
