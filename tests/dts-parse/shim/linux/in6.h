/* Userspace stand-in for the kernel header, for dts_parse.c's tests. */
#include <netinet/in.h>
