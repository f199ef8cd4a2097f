/* Userspace stand-in for the kernel header, for dts_parse.c's tests. */
#ifndef DTS_SHIM_LINUX_INET_H
#define DTS_SHIM_LINUX_INET_H

#include <linux/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* As the kernel's (net/core/utils.c): 1 on success, *end after the text. */
int in4_pton(const char *src, int srclen, u8 *dst, int delim, const char **end);
int in6_pton(const char *src, int srclen, u8 *dst, int delim, const char **end);

#ifdef __cplusplus
}
#endif

#endif
