// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - dsmil, the frontend of the suite: /dev/dsmil/ctl and
 * /dev/dsmil/<device> (Documentation/userspace-api/dsmil.rst).
 *
 * Load order: validate the parameter and the core's layout, register the
 * class, reserve the char device region, start the event sources, create
 * the device nodes and the ctl node, and add the cdev last, so that no node
 * can be opened while the load can still fail.  Unload undoes it in
 * reverse.
 * Open files pin the module (the cdev's owner), so nothing is open at
 * unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "frontend.h"

/*
 * The layouts the module aliases stand for: "modprobe dsmil-84dev" and
 * "modprobe dsmil-72dev" (etc/modprobe.d/dsmil-layout.conf loads the core
 * with the matching groups= and passes layout= here).
 */
static unsigned int layout;
module_param(layout, uint, 0444);
MODULE_PARM_DESC(layout, "Refuse to load unless dsmil_core has this many devices in groups of 12: 0 (any), 72 or 84 (default 0)");

struct dsmil_fe dsmil_fe = {
	.lock = __MUTEX_INITIALIZER(dsmil_fe.lock),
	.nodes = XARRAY_INIT(dsmil_fe.nodes, XA_FLAGS_ALLOC1),
	.tokens = XARRAY_INIT(dsmil_fe.tokens, 0),
	.events_lock = __SPIN_LOCK_UNLOCKED(dsmil_fe.events_lock),
	.ctl_files = LIST_HEAD_INIT(dsmil_fe.ctl_files),
};

static char *dsmil_fe_devnode(DSMIL_CLASS_DEVNODE_CONST struct device *dev,
			      umode_t *mode)
{
	/* Root only; etc/udev/rules.d/60-dsmil.rules opens them to a group. */
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, "dsmil/%s", dev_name(dev));
}

struct class dsmil_fe_class = {
	.name = "dsmil",
	.devnode = dsmil_fe_devnode,
};

static int dsmil_fe_open(struct inode *inode, struct file *filp)
{
	const struct file_operations *fops;

	fops = iminor(inode) == DSMIL_FE_CTL_MINOR ? &dsmil_fe_ctl_fops :
						     &dsmil_fe_dev_fops;
	/* Same module: the reference the cdev's fops hold covers this get. */
	replace_fops(filp, fops_get(fops));
	return filp->f_op->open(inode, filp);
}

/* Only dispatches by minor: the real operations are set at open. */
static const struct file_operations dsmil_fe_open_fops = {
	.owner = THIS_MODULE,
	.open = dsmil_fe_open,
};

static int dsmil_fe_check_layout(void)
{
	u32 nr, groups, per_group;

	if (!layout)
		return 0;
	dsmil_fe_core_layout(&nr, &groups, &per_group);
	if (per_group == 12 && groups * per_group == layout)
		return 0;
	pr_err("layout=%u: dsmil_core has %u groups of %u devices; load it with groups=%u devices_per_group=12\n",
	       layout, groups, per_group, layout / 12);
	return -EINVAL;
}

static int __init dsmil_fe_init(void)
{
	u32 nr, groups, per_group;
	int ret;

	if (layout && layout != 72 && layout != 84) {
		pr_err("invalid layout=%u: allowed 0, 72 or 84\n", layout);
		return -EINVAL;
	}
	ret = dsmil_fe_check_layout();
	if (ret)
		return ret;

	ret = class_register(&dsmil_fe_class);
	if (ret)
		return ret;
	ret = alloc_chrdev_region(&dsmil_fe.devt, 0, DSMIL_FE_MINORS, "dsmil");
	if (ret)
		goto err_class_unregister;
	ret = dsmil_fe_events_init();
	if (ret)
		goto err_unregister_region;
	ret = dsmil_fe_nodes_init();
	if (ret)
		goto err_events_exit;
	dsmil_fe.ctl_dev = device_create(&dsmil_fe_class, NULL, dsmil_fe.devt,
					 NULL, "ctl");
	if (IS_ERR(dsmil_fe.ctl_dev)) {
		ret = PTR_ERR(dsmil_fe.ctl_dev);
		goto err_nodes_exit;
	}
	/* Last: from here on the nodes can be opened, and init cannot fail. */
	cdev_init(&dsmil_fe.cdev, &dsmil_fe_open_fops);
	dsmil_fe.cdev.owner = THIS_MODULE;
	ret = cdev_add(&dsmil_fe.cdev, dsmil_fe.devt, DSMIL_FE_MINORS);
	if (ret)
		goto err_destroy_ctl;
	dsmil_fe_layout(&nr, &groups, &per_group);
	pr_info("ABI %u.%u, %u device nodes\n", DSMIL_ABI_MAJOR,
		DSMIL_ABI_MINOR, nr);
	return 0;

err_destroy_ctl:
	device_destroy(&dsmil_fe_class, dsmil_fe.devt);
err_nodes_exit:
	dsmil_fe_nodes_exit();
err_events_exit:
	dsmil_fe_events_exit();
err_unregister_region:
	unregister_chrdev_region(dsmil_fe.devt, DSMIL_FE_MINORS);
err_class_unregister:
	class_unregister(&dsmil_fe_class);
	return ret;
}

static void __exit dsmil_fe_exit(void)
{
	cdev_del(&dsmil_fe.cdev);
	device_destroy(&dsmil_fe_class, dsmil_fe.devt);
	dsmil_fe_nodes_exit();
	dsmil_fe_events_exit();
	unregister_chrdev_region(dsmil_fe.devt, DSMIL_FE_MINORS);
	class_unregister(&dsmil_fe_class);
}

module_init(dsmil_fe_init);
module_exit(dsmil_fe_exit);

MODULE_ALIAS("dsmil-84dev");
MODULE_ALIAS("dsmil-72dev");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil frontend: /dev/dsmil control and device nodes, ioctl UAPI");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
DSMIL_IMPORT_NS();
