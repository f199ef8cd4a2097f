/* Userspace stand-in for the kernel header: the same TCP_* values. */
#include <netinet/tcp.h>
