// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - dsmil_smi: the firmware SMI token service.  Load and unload.
 *
 * Load order: validate the parameters (nothing is created on failure),
 * attach the transport (transport=dell may refuse: the load fails), then
 * the unlock windows, the worker, sysfs and debugfs; only then may other
 * modules call in (they cannot before init returns).  Unload undoes it in
 * reverse: no caller can be inside the API any more (callers are modules
 * holding a reference on this one), but an op abandoned after a timeout
 * may still be in the transport, and the worker's teardown waits for it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/module.h>

#include "internal.h"

DSMIL_IMPORT_NS();

static struct dentry *smi_debugfs;

static int __init dsmil_smi_init(void)
{
	int ret;

	ret = smi_params_validate();
	if (ret)
		return ret;
	ret = smi_transport_init();
	if (ret)
		return ret;
	smi_policy_init();
	ret = smi_dispatch_init();
	if (ret)
		goto err_transport_exit;
	ret = smi_stats_init();
	if (ret)
		goto err_dispatch_exit;

	/* Debugfs is optional: its failures are ignored. */
	smi_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	smi_audit_init(smi_debugfs);
	if (smi_transport == &smi_transport_emu)
		smi_emu_debugfs_init(smi_debugfs);

	smi_params_set_live(true);
	pr_info("%s transport ready (timeout %u ms, at most %u calls/s)\n",
		smi_transport->name, smi_param_timeout_ms(),
		smi_param_max_calls_per_sec());
	return 0;

err_dispatch_exit:
	smi_dispatch_exit();
err_transport_exit:
	smi_policy_exit();
	smi_transport_exit();
	return ret;
}

static void __exit dsmil_smi_exit(void)
{
	debugfs_remove_recursive(smi_debugfs);
	smi_audit_exit();
	smi_stats_exit();
	smi_policy_exit();
	smi_dispatch_exit();
	smi_transport_exit();
	pr_info("unloaded\n");
}

module_init(dsmil_smi_init);
module_exit(dsmil_smi_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil SMI token service: policed, bounded firmware token calls");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
