/* Userspace stand-in for the kernel header: the uapi errno values. */
#include <asm/errno.h>
