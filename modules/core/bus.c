// SPDX-License-Identifier: GPL-2.0
/*
 * bus.c - the dsmil bus type, modelled on drivers/mcb/mcb-core.c.
 *
 * Devices are registered per controller (controller.c); drivers of other
 * modules bind by token or by (group, index) through their id table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/module.h>

#include "core.h"

static const struct dsmil_device_id *
dsmil_match_id(const struct dsmil_device_id *id, const struct dsmil_device *ddev)
{
	if (!id)
		return NULL;
	for (; id->match_flags; id++) {
		if (id->match_flags & DSMIL_MATCH_ANY)
			return id;
		if ((id->match_flags & DSMIL_MATCH_TOKEN) &&
		    id->token != ddev->token)
			continue;
		if ((id->match_flags & DSMIL_MATCH_GROUP) &&
		    id->group != ddev->group)
			continue;
		if ((id->match_flags & DSMIL_MATCH_INDEX) &&
		    id->index != ddev->index)
			continue;
		return id;
	}
	return NULL;
}

static int dsmil_bus_match(struct device *dev,
			   DSMIL_BUS_MATCH_CONST struct device_driver *drv)
{
	const struct dsmil_driver *ddrv = to_dsmil_driver(drv);

	return !!dsmil_match_id(ddrv->id_table, to_dsmil_device(dev));
}

static int dsmil_bus_uevent(DSMIL_BUS_UEVENT_CONST struct device *dev,
			    struct kobj_uevent_env *env)
{
	const struct dsmil_device *ddev = to_dsmil_device(dev);

	if (add_uevent_var(env, "DSMIL_TOKEN=%04X", ddev->token))
		return -ENOMEM;
	return add_uevent_var(env, "MODALIAS=dsmil:t%04Xg%02ui%02u",
			      ddev->token, ddev->group, ddev->index);
}

static int dsmil_bus_probe(struct device *dev)
{
	struct dsmil_driver *ddrv = to_dsmil_driver(dev->driver);
	struct dsmil_device *ddev = to_dsmil_device(dev);
	const struct dsmil_device_id *id;
	struct module *owner = ddev->ctrl->owner;
	int ret;

	id = dsmil_match_id(ddrv->id_table, ddev);
	if (!id)
		return -ENODEV;
	/* A bound driver pins the backend, as mcb pins its carrier. */
	if (!try_module_get(owner))
		return -ENODEV;
	ret = ddrv->probe(ddev, id);
	if (ret)
		module_put(owner);
	return ret;
}

static void dsmil_bus_remove(struct device *dev)
{
	struct dsmil_driver *ddrv = to_dsmil_driver(dev->driver);
	struct dsmil_device *ddev = to_dsmil_device(dev);

	if (ddrv->remove)
		ddrv->remove(ddev);
	module_put(ddev->ctrl->owner);
}
DSMIL_BUS_REMOVE(dsmil_bus_remove_cb, dsmil_bus_remove)

DSMIL_BUS_TYPE(dsmil_bus_type) = {
	.name = "dsmil",
	.match = dsmil_bus_match,
	.uevent = dsmil_bus_uevent,
	.probe = dsmil_bus_probe,
	.remove = dsmil_bus_remove_cb,
	.dev_groups = dsmil_device_groups,
};

/**
 * __dsmil_driver_register() - register a driver of dsmil devices
 * @drv: the driver; .driver.name, .id_table and .probe must be set
 * @owner: the driver's module (dsmil_driver_register() passes THIS_MODULE)
 *
 * The driver binds to every present and future device its id table
 * matches, on every controller.
 *
 * Context: process context.
 * Return: 0 or a negative errno from driver_register().
 */
int __dsmil_driver_register(struct dsmil_driver *drv, struct module *owner)
{
	if (!drv->probe || !drv->id_table)
		return -EINVAL;
	drv->driver.owner = owner;
	drv->driver.bus = &dsmil_bus_type;
	return driver_register(&drv->driver);
}
DSMIL_EXPORT(__dsmil_driver_register);

/**
 * dsmil_driver_unregister() - unregister a driver of dsmil devices
 * @drv: the driver given to dsmil_driver_register()
 *
 * Unbinds it from every device first.
 *
 * Context: process context.
 */
void dsmil_driver_unregister(struct dsmil_driver *drv)
{
	driver_unregister(&drv->driver);
}
DSMIL_EXPORT(dsmil_driver_unregister);

/**
 * dsmil_bus_init() - register the bus type and the controller class
 *
 * Return: 0 or a negative errno.
 */
int dsmil_bus_init(void)
{
	int ret;

	ret = bus_register(&dsmil_bus_type);
	if (ret)
		return ret;
	ret = dsmil_controller_class_init();
	if (ret)
		goto err_bus_unregister;
	return 0;

err_bus_unregister:
	bus_unregister(&dsmil_bus_type);
	return ret;
}

/**
 * dsmil_bus_exit() - undo dsmil_bus_init()
 */
void dsmil_bus_exit(void)
{
	dsmil_controller_class_exit();
	bus_unregister(&dsmil_bus_type);
}
