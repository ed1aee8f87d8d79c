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
 * @dev: the device, its driver bound
 * @action: called once with @data: when @dev's driver unbinds, or from
 *	dsmil_devm_release_action(), whichever comes first
 * @data: its argument
 * @owner: the module @action belongs to (THIS_MODULE), which must hold a
 *	reference of its own at the time of the call (it is running)
 *
 * Like devm_add_action(), except that the entry holds a reference on
 * @owner from now until @action returned, dropped by dsmil_core: a module
 * cannot be unloaded while an unbinding runs its action or may still run
 * it.
 *
 * Context: process context.
 * Return: 0 or -ENOMEM.
 */
int dsmil_devm_add_action(struct device *dev, void (*action)(void *data),
			  void *data, struct module *owner)
{
	struct dsmil_devm_action *a;

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
 * Context: process context; may sleep (the action does).
 * Return: 0 when the action ran here; -ENOENT when there was none: the
 * driver's unbinding has taken it and runs it (or ran it) itself.
 */
int dsmil_devm_release_action(struct device *dev, void (*action)(void *data),
			      void *data)
{
	struct dsmil_devm_action m = { .action = action, .data = data };

	return devres_release(dev, dsmil_devm_action_release,
			      dsmil_devm_action_match, &m);
}
DSMIL_EXPORT(dsmil_devm_release_action);
