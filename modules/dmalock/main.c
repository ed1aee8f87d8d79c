// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - load/unload of dsmil_dmalock and its parameters.
 *
 * dsmil_dmalock locks user buffers for device DMA on dsmil controllers
 * (the C successor of gpu_dma_lock, hence the alias).  It has no device
 * node of its own: the frontend hands it one owner per open file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "internal.h"

#define DMALOCK_MAX_LOCKED_MB_MAX	(1U << 20)	/* 1 TiB */
#define DMALOCK_MAX_HANDLES_MAX		65536

unsigned int dmalock_max_locked_mb = 1024;
module_param_named(max_locked_mb, dmalock_max_locked_mb, uint, 0444);
MODULE_PARM_DESC(max_locked_mb, "Most MiB locked at once by all owners together (1-1048576, default 1024)");

unsigned int dmalock_max_handles = 1024;
module_param_named(max_handles, dmalock_max_handles, uint, 0444);
MODULE_PARM_DESC(max_handles, "Most locks one owner (open file) holds at once (1-65536, default 1024)");

/*
 * Test knob (debugfs dsmil_dmalock/unbind_delay_ms) and how many unmaps
 * wait in it now (unbind_waiting): see map.c.
 */
u32 dmalock_unbind_delay_ms;
atomic_t dmalock_unbind_waiting = ATOMIC_INIT(0);
static struct dentry *dmalock_debugfs;

static int __init dmalock_params_validate(void)
{
	if (dmalock_max_locked_mb < 1 ||
	    dmalock_max_locked_mb > DMALOCK_MAX_LOCKED_MB_MAX) {
		pr_err("invalid max_locked_mb=%u: allowed range 1-%u\n",
		       dmalock_max_locked_mb, DMALOCK_MAX_LOCKED_MB_MAX);
		return -EINVAL;
	}
	if (dmalock_max_handles < 1 ||
	    dmalock_max_handles > DMALOCK_MAX_HANDLES_MAX) {
		pr_err("invalid max_handles=%u: allowed range 1-%u\n",
		       dmalock_max_handles, DMALOCK_MAX_HANDLES_MAX);
		return -EINVAL;
	}
	return 0;
}

static int __init dmalock_init(void)
{
	int ret;

	BUILD_BUG_ON(DSMIL_DMALOCK_API_VERSION != 1);
	ret = dmalock_params_validate();
	if (ret)
		return ret;
	ret = dmalock_stats_init();
	if (ret)
		return ret;
	dmalock_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u32("unbind_delay_ms", 0600, dmalock_debugfs,
			   &dmalock_unbind_delay_ms);
	debugfs_create_atomic_t("unbind_waiting", 0400, dmalock_debugfs,
				&dmalock_unbind_waiting);
	pr_info("max_locked_mb=%u max_handles=%u\n", dmalock_max_locked_mb,
		dmalock_max_handles);
	return 0;
}

static void __exit dmalock_exit(void)
{
	/* Every owner holds a module reference: none is left. */
	DSMIL_ASSERT(atomic64_read(&dmalock_counters.owners) == 0);
	DSMIL_ASSERT(atomic64_read(&dmalock_counters.locked_bytes) == 0);
	debugfs_remove_recursive(dmalock_debugfs);
	dmalock_stats_exit();
}

module_init(dmalock_init);
module_exit(dmalock_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil: lock user buffers for device DMA, with engine arbitration");
MODULE_VERSION(DSMIL_VERSION);
MODULE_ALIAS("gpu_dma_lock");
DSMIL_MODULE_INFO();
DSMIL_IMPORT_NS();
