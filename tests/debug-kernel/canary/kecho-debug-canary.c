// SPDX-License-Identifier: GPL-2.0
/*
 * kecho-debug-canary: a test-only module that commits the bugs the debug kernel
 * must report, so that `tests/debug-kernel/run --canary KIND` proves the run
 * fails on them. Never shipped, never loaded outside that run.
 *
 *   insmod kecho-debug-canary.ko bug=sleep|lockdep|uaf|rcu|all
 *
 * Its init commits the bug(s) and then refuses to load (-EAGAIN), so
 * nothing stays loaded.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "which bug to commit: sleep, lockdep, uaf, rcu or all");

static DEFINE_SPINLOCK(canary_lock);
static DEFINE_MUTEX(canary_a);
static DEFINE_MUTEX(canary_b);

struct canary_obj {
	int value;
};

static struct canary_obj __rcu *canary_ptr;

/* A sleeping allocation under a BH spinlock, as in a socket callback. */
static noinline void canary_sleep(void)
{
	void *p;

	spin_lock_bh(&canary_lock);
	p = kmalloc(64, GFP_KERNEL);
	spin_unlock_bh(&canary_lock);
	kfree(p);
}

/* A then B, later B then A: an ABBA deadlock waiting to happen. */
static noinline void canary_lockdep(void)
{
	mutex_lock(&canary_a);
	mutex_lock(&canary_b);
	mutex_unlock(&canary_b);
	mutex_unlock(&canary_a);

	mutex_lock(&canary_b);
	mutex_lock(&canary_a);
	mutex_unlock(&canary_a);
	mutex_unlock(&canary_b);
}

/* A read of freed memory. */
static noinline int canary_uaf(void)
{
	struct canary_obj *o = kmalloc(sizeof(*o), GFP_KERNEL);
	int v;

	if (!o)
		return -ENOMEM;
	o->value = 1;
	kfree(o);
	v = READ_ONCE(o->value);
	return v;
}

/* rcu_dereference() outside any RCU read-side critical section. */
static noinline int canary_rcu(void)
{
	struct canary_obj *o;

	o = rcu_dereference(canary_ptr);
	return o ? o->value : 0;
}

static int __init canary_init(void)
{
	bool all = !strcmp(bug, "all");
	bool any = false;

	/*
	 * With bug=all, in this order: a KASAN report taints the kernel
	 * "unreliable for lockdep" and a lockdep report turns lockdep off,
	 * PROVE_RCU with it; the atomic-sleep check needs neither.
	 */
	if (all || !strcmp(bug, "rcu")) {
		pr_info("kecho-debug-canary: rcu_dereference outside rcu_read_lock\n");
		canary_rcu();
		any = true;
	}
	if (all || !strcmp(bug, "lockdep")) {
		pr_info("kecho-debug-canary: ABBA lock order\n");
		canary_lockdep();
		any = true;
	}
	if (all || !strcmp(bug, "sleep")) {
		pr_info("kecho-debug-canary: sleeping allocation under a spinlock\n");
		canary_sleep();
		any = true;
	}
	if (all || !strcmp(bug, "uaf")) {
		pr_info("kecho-debug-canary: use after free\n");
		canary_uaf();
		any = true;
	}
	if (!any) {
		pr_err("kecho-debug-canary: unknown bug=%s\n", bug);
		return -EINVAL;
	}
	return -EAGAIN;
}

static void __exit canary_exit(void)
{
}

module_init(canary_init);
module_exit(canary_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kecho test-only canary: commits a bug the debug kernel must report");
