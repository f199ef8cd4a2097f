/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module parameters both servers declare the same way (kecho_param.c;
 * khttpd.ko builds it too).
 */
#ifndef KECHO_PARAM_H
#define KECHO_PARAM_H

#include <linux/moduleparam.h>

/*
 * A writable number within [@min, @max]; out of range is -EINVAL and
 * changes nothing. Read when a connection (or message) starts.
 */
struct kecho_range {
	unsigned int *val;
	unsigned int min, max;
};

/* A writable parameter @name for @var, within [@lo, @hi]. */
#define KECHO_RANGE_PARAM(name, var, lo, hi)				\
	static struct kecho_range kecho_##name##_range = {		\
		.val = &(var), .min = (lo), .max = (hi),		\
	};								\
	module_param_cb(name, &kecho_range_ops, &kecho_##name##_range, 0644)

extern const struct kernel_param_ops kecho_range_ops;

#endif /* KECHO_PARAM_H */
