// SPDX-License-Identifier: GPL-2.0
/*
 * kecho_canary: a test-only module for the VM harness's self-test
 * (tests/vm/run --self-test). Loading it WARNs once, then prints
 * flood_kib KiB of filler so that by the end of the run the WARNING has
 * left the kernel's log ring: only the console log still shows it, and the
 * harness must fail the run on it. Never installed or packaged.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>

static unsigned int flood_kib;
module_param(flood_kib, uint, 0444);
MODULE_PARM_DESC(flood_kib, "KiB of filler printed after the warning (default 0)");

static int __init kecho_canary_init(void)
{
	unsigned int i, lines = flood_kib * 1024 / 128;

	WARN(1, "kecho_canary: deliberate warning for the harness self-test\n");
	for (i = 0; i < lines; i++) {
		pr_info("kecho_canary: filler %06u ................................................................................................\n",
			i);
		if (!(i % 64))
			cond_resched();
	}
	return 0;
}

static void __exit kecho_canary_exit(void)
{
}

module_init(kecho_canary_init);
module_exit(kecho_canary_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kecho VM harness self-test: WARNs when loaded");
