// SPDX-License-Identifier: GPL-2.0
/*
 * devres.c - managed actions whose module stays loaded until they ran.
 *
 * devm_add_action() runs its action from the driver core when the
 * device's driver unbinds, in the unbinding thread, with no reference on
 * the module the action's code belongs to.  A module that ties its own
 * objects to another driver's device (dsmil_dmalock's DMA mappings on the
 * pci backend's edu pci_dev) could be unloaded while an unbinding is
 * inside its action: the owner of the object is gone, the module's
 * reference count is zero, and the code the unbinding runs is freed under
 * it.  Here the devres entry holds a reference on the action's module,
 * dropped by dsmil_core after the action returned, so the module cannot
 * go while an entry of it exists or runs.
 *
 * devm_release_action() has a second gap: it takes the entry off the
 * device's list and runs the action outside the devres lock, so an
 * unbinding that starts meanwhile finds no entry, does not wait, and the
 * device's driver is released (the device may leave the bus and its
 * IOMMU) while the action still runs: a DMA mapping unmapped after that
 * (DMA-API debugging: "device driver has pending DMA allocations while
 * released from device").  Here dsmil_devm_release_action() runs the
 * action under dsmil_devm_rwsem (read), and each device with such entries
 * has one more, a barrier added before the first of them and so released
 * after them all, which takes the semaphore for writing: an unbinding
 * waits for the actions that a release took from it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>

#include "core.h"

struct dsmil_devm_action {
	void (*action)(void *data);
	void *data;
	struct module *owner;
};

/* Held for reading while dsmil_devm_release_action() runs an action. */
static DECLARE_RWSEM(dsmil_devm_rwsem);

static void dsmil_devm_barrier_release(struct device *dev, void *res)
{
	/* the actions that releases took off this device's list have run */
	down_write(&dsmil_devm_rwsem);
	up_write(&dsmil_devm_rwsem);
}

static void dsmil_devm_action_release(struct device *dev, void *res)
{
	struct dsmil_devm_action *a = res;

	a->action(a->data);
	module_put(a->owner);
}

static int dsmil_devm_action_match(struct device *dev, void *res, void *match)
{
	struct dsmil_devm_action *a = res, *m = match;

	return a->action == m->action && a->data == m->data;
}

/**
 * dsmil_devm_add_action() - run an action when a device's driver unbinds,
 *	with the action's module held until it has run
 * @dev: the device, bound to a driver of dsmil_core (the barrier entry
 *	added to it is dsmil_core's code, which stays loaded while that
 *	driver is bound)
 * @action: called once with @data: when @dev's driver unbinds, or from
 *	dsmil_devm_release_action(), whichever comes first
 * @data: its argument
 * @owner: the module @action belongs to (THIS_MODULE), which must hold a
 *	reference of its own at the time of the call (it is running)
 *
 * Like devm_add_action(), except that the entry holds a reference on
 * @owner from now until @action returned, dropped by dsmil_core: a module
 * cannot be unloaded while an unbinding runs its action or may still run
 * it; and that @dev's unbinding waits for the action when
 * dsmil_devm_release_action() runs it at the same time.
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int dsmil_devm_add_action(struct device *dev, void (*action)(void *data),
			  void *data, struct module *owner)
{
	struct dsmil_devm_action *a;
	void *barrier;

	/* the device's barrier, before its first action: released after */
	barrier = devres_alloc(dsmil_devm_barrier_release, 0, GFP_KERNEL);
	if (!barrier)
		return -ENOMEM;
	devres_get(dev, barrier, NULL, NULL);
	a = devres_alloc(dsmil_devm_action_release, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->action = action;
	a->data = data;
	a->owner = owner;
	__module_get(owner);
	devres_add(dev, a);
	return 0;
}
DSMIL_EXPORT(dsmil_devm_add_action);

/**
 * dsmil_devm_release_action() - run an action of dsmil_devm_add_action()
 *	now and remove it
 * @dev: the device
 * @action: the action
 * @data: its argument, as given to dsmil_devm_add_action()
 *
 * An unbinding of @dev that starts while the action runs here waits for
 * it before the driver is released.
 *
 * Context: process context, no lock held that an unbinding of @dev takes
 * (the device lock); may sleep (the action does).
 * Return: 0 when the action ran here; -ENOENT when there was none: the
 * driver's unbinding has taken it and runs it (or ran it) itself.
 */
int dsmil_devm_release_action(struct device *dev, void (*action)(void *data),
			      void *data)
{
	struct dsmil_devm_action m = { .action = action, .data = data };
	int ret;

	down_read(&dsmil_devm_rwsem);
	ret = devres_release(dev, dsmil_devm_action_release,
			     dsmil_devm_action_match, &m);
	up_read(&dsmil_devm_rwsem);
	return ret;
}
DSMIL_EXPORT(dsmil_devm_release_action);
