// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters both servers declare the same way: see kecho_param.h.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>

#include "kecho_param.h"

static int kecho_range_set(const char *val, const struct kernel_param *kp)
{
	const struct kecho_range *r = kp->arg;
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	if (v < r->min || v > r->max)
		return -EINVAL;
	WRITE_ONCE(*r->val, v);
	return 0;
}

static int kecho_range_get(char *buf, const struct kernel_param *kp)
{
	const struct kecho_range *r = kp->arg;

	return scnprintf(buf, PAGE_SIZE, "%u\n", READ_ONCE(*r->val));
}

const struct kernel_param_ops kecho_range_ops = {
	.set = kecho_range_set,
	.get = kecho_range_get,
};
