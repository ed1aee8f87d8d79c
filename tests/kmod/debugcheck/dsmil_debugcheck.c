// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_debugcheck - proves that the debug kernel leg catches what only a
 * debug kernel can catch.
 *
 * Loaded without parameters it does nothing.  Each parameter makes its init
 * commit one deliberate bug that a distribution kernel does not notice:
 *
 *   leak=1     loses kmalloc()ed strings (kmemleak reports them)
 *   oob=1      writes one byte past a 123-byte kmalloc() (KASAN); the byte
 *              still lies inside the 128-byte slab object, so the write is
 *              harmless where KASAN is absent
 *   lockdep=1  takes two mutexes in both orders, one after the other
 *              (lockdep's circular locking dependency)
 *   ubsan=1    reads one element past an array inside a structure
 *              (UBSAN bounds); the element read is the next member
 *
 * tests/debug/selftest checks that the harness fails each.  Test-only,
 * never shipped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <dsmil/build.h>

/* What kmemleak's hex dump of the lost object shows. */
#define DSMIL_DEBUGCHECK_LEAK_TEXT "dsmil_debugcheck: deliberate leak"
#define DSMIL_DEBUGCHECK_OOB_SIZE 123

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "Leak a kmalloc()ed string at load (default: no)");

static bool oob;
module_param(oob, bool, 0444);
MODULE_PARM_DESC(oob, "Write one byte past a kmalloc()ed buffer at load (default: no)");

static bool lockdep;
module_param(lockdep, bool, 0444);
MODULE_PARM_DESC(lockdep, "Take two mutexes in both orders at load (default: no)");

static bool ubsan;
module_param(ubsan, bool, 0444);
MODULE_PARM_DESC(ubsan, "Index an array one past its end at load (default: no)");

static DEFINE_MUTEX(dsmil_debugcheck_a);
static DEFINE_MUTEX(dsmil_debugcheck_b);

struct dsmil_debugcheck_arr {
	int v[4];
	int next;
};

/*
 * How many strings leak=1 loses.  kmemleak misses a lost object while a
 * stale copy of its address lies in memory it scans.  SLUB keeps the
 * address of the next free object inside the free object before it, and
 * without SLAB_FREELIST_HARDENED (the debug kernel has it off) that word
 * stays in the object's slack after someone else allocates it.  Strings
 * allocated one after the other from one freelist only point into each
 * other, so all but the first are reported.  (A single lost string went
 * unseen in 5 of 9 runs of tests/debug/selftest.)
 */
#define DSMIL_DEBUGCHECK_LEAKS 4

static noinline void dsmil_debugcheck_leak(void)
{
	size_t bytes = 0;
	int i;

	for (i = 0; i < DSMIL_DEBUGCHECK_LEAKS; i++) {
		char *p = kstrdup(DSMIL_DEBUGCHECK_LEAK_TEXT, GFP_KERNEL);

		if (p)
			bytes += strlen(p) + 1;
	}
	pr_info("losing %d strings (%zu bytes) on purpose\n",
		DSMIL_DEBUGCHECK_LEAKS, bytes);
}

static noinline void dsmil_debugcheck_oob(void)
{
	size_t size = DSMIL_DEBUGCHECK_OOB_SIZE;
	char *p = kmalloc(size, GFP_KERNEL);

	if (!p)
		return;
	/* Keep the compiler from seeing the bug at build time. */
	OPTIMIZER_HIDE_VAR(p);
	OPTIMIZER_HIDE_VAR(size);
	pr_info("writing byte %zu of a %d-byte buffer on purpose\n",
		size, DSMIL_DEBUGCHECK_OOB_SIZE);
	p[size] = 'x';
	kfree(p);
}

static noinline void dsmil_debugcheck_lockdep(void)
{
	pr_info("taking two mutexes in both orders on purpose\n");
	mutex_lock(&dsmil_debugcheck_a);
	mutex_lock(&dsmil_debugcheck_b);
	mutex_unlock(&dsmil_debugcheck_b);
	mutex_unlock(&dsmil_debugcheck_a);

	mutex_lock(&dsmil_debugcheck_b);
	mutex_lock(&dsmil_debugcheck_a);
	mutex_unlock(&dsmil_debugcheck_a);
	mutex_unlock(&dsmil_debugcheck_b);
}

static noinline int dsmil_debugcheck_index(struct dsmil_debugcheck_arr *a,
					   unsigned int i)
{
	return a->v[i];
}

static noinline void dsmil_debugcheck_ubsan(void)
{
	struct dsmil_debugcheck_arr a = { .v = { 1, 2, 3, 4 }, .next = 5 };
	unsigned int i = ARRAY_SIZE(a.v);

	OPTIMIZER_HIDE_VAR(i);
	pr_info("reading element %u of a %zu-element array on purpose: %d\n",
		i, ARRAY_SIZE(a.v), dsmil_debugcheck_index(&a, i));
}

static int __init dsmil_debugcheck_init(void)
{
	if (leak)
		dsmil_debugcheck_leak();
	if (oob)
		dsmil_debugcheck_oob();
	if (lockdep)
		dsmil_debugcheck_lockdep();
	if (ubsan)
		dsmil_debugcheck_ubsan();
	return 0;
}

static void __exit dsmil_debugcheck_exit(void)
{
}

module_init(dsmil_debugcheck_init);
module_exit(dsmil_debugcheck_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: debug kernel leg self-test");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
