// SPDX-License-Identifier: GPL-2.0
/*
 * controller.c - controllers and the devices they carry.
 *
 * A controller is one backend instance: a device "dsmil<N>" of the class
 * dsmil_controller, child of the backend's hardware device, parent of its
 * groups * devices_per_group devices on the dsmil bus.  Device (g, i) gets
 * the window at (g * devices_per_group + i) * win_size of the controller's
 * region; a window that does not fit marks the device absent.
 *
 * Lifetime: the controller device's release frees the controller and its
 * backend data; every dsmil device holds a reference on it, so a device
 * held by a user keeps its (dead) controller alive.  Liveness: every
 * operation on a controller runs inside an SRCU read section of dsmil_srcu
 * and first checks ctrl->dead; dsmil_controller_unregister() sets dead and
 * waits for the sections to end, after which the backend may release its
 * hardware and any later operation fails with -ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/math64.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/srcu.h>

#include "core.h"

DEFINE_SRCU(dsmil_srcu);

static DEFINE_IDA(dsmil_controller_ida);
static DEFINE_MUTEX(dsmil_controllers_lock);
static LIST_HEAD(dsmil_controllers);

static struct class dsmil_controller_class = {
	.name = "dsmil_controller",
	.dev_groups = dsmil_controller_groups,
};

static void dsmil_device_release(struct device *dev)
{
	struct dsmil_device *ddev = to_dsmil_device(dev);

	put_device(&ddev->ctrl->dev);
	kfree(ddev);
}

static const struct device_type dsmil_device_type = {
	.name = "dsmil_device",
	.release = dsmil_device_release,
};

static void dsmil_controller_release(struct device *dev)
{
	struct dsmil_controller *ctrl = to_dsmil_controller(dev);

	if (ctrl->id >= 0)
		ida_free(&dsmil_controller_ida, ctrl->id);
	kfree(ctrl->devs);
	kfree(ctrl);
}

/**
 * dsmil_window_offset() - offset of a device's window in its region
 * @ddev: the device
 *
 * Return: (group * devices_per_group + index) * win_size.
 */
u64 dsmil_window_offset(struct dsmil_device *ddev)
{
	struct dsmil_controller *ctrl = ddev->ctrl;

	return dsmil_layout_window_offset(ctrl->devices_per_group, ddev->group,
					  ddev->index, ctrl->win_size);
}

/**
 * dsmil_window_size() - window size of each device over a region
 * @region_size: bytes of the region
 *
 * The region divided evenly among groups * devices_per_group devices,
 * rounded down to whole pages, at least one page and at most 1 GiB
 * (dsmil_layout_window_size()).  Devices whose window would end past the
 * region (tiny regions, big layouts) are absent.
 *
 * Return: the window size in bytes.
 */
u32 dsmil_window_size(u64 region_size)
{
	return dsmil_layout_window_size(region_size, dsmil_params.groups *
						     dsmil_params.devices_per_group);
}

static struct dsmil_device *dsmil_device_alloc(struct dsmil_controller *ctrl,
					       unsigned int g, unsigned int i)
{
	struct dsmil_device *ddev;

	ddev = kzalloc(sizeof(*ddev), GFP_KERNEL);
	if (!ddev)
		return NULL;
	ddev->ctrl = ctrl;
	ddev->group = g;
	ddev->index = i;
	ddev->token = dsmil_layout_token(ctrl->devices_per_group, g, i);
	ddev->quarantined = dsmil_token_quarantined(ddev->token);
	ddev->absent = !dsmil_layout_window_fits(ctrl->devices_per_group, g, i,
						 ctrl->win_size,
						 ctrl->region_size);
	ddev->mmio_size = ddev->absent ? 0 : ctrl->win_size;
	atomic_set(&ddev->users, 0);

	device_initialize(&ddev->dev);
	ddev->dev.bus = &dsmil_bus_type;
	ddev->dev.type = &dsmil_device_type;
	ddev->dev.parent = &ctrl->dev;
	/* Held until dsmil_device_release(): a device outlives no controller. */
	get_device(&ctrl->dev);
	if (dev_set_name(&ddev->dev, "dsmil%d:g%ud%02u", ctrl->id, g, i)) {
		put_device(&ddev->dev);
		return NULL;
	}
	return ddev;
}

/**
 * dsmil_controller_alloc() - allocate a controller and its devices
 * @parent: the backend's hardware device
 * @ops: the backend
 * @region_size: bytes of the region the device windows are laid over
 * @win_size: bytes of each device window
 * @priv_size: bytes of backend data, zeroed, at ctrl->priv
 *
 * The layout comes from the groups and devices_per_group parameters.
 * Nothing is visible until dsmil_controller_register(); on every path the
 * result is released with dsmil_controller_put().
 *
 * Return: the controller or NULL (no memory).
 */
struct dsmil_controller *dsmil_controller_alloc(struct device *parent,
						const struct dsmil_controller_ops *ops,
						u64 region_size, u32 win_size,
						size_t priv_size)
{
	struct dsmil_controller *ctrl;
	unsigned int g, i, n;

	ctrl = kzalloc(sizeof(*ctrl) + priv_size, GFP_KERNEL);
	if (!ctrl)
		return NULL;
	ctrl->priv = ctrl + 1;
	ctrl->ops = ops;
	ctrl->owner = THIS_MODULE;
	ctrl->groups = dsmil_params.groups;
	ctrl->devices_per_group = dsmil_params.devices_per_group;
	ctrl->nr_devs = ctrl->groups * ctrl->devices_per_group;
	ctrl->region_size = region_size;
	ctrl->win_size = win_size;
	mutex_init(&ctrl->dma_lock);
	INIT_LIST_HEAD(&ctrl->node);

	device_initialize(&ctrl->dev);
	ctrl->dev.class = &dsmil_controller_class;
	ctrl->dev.parent = parent;
	ctrl->dev.release = dsmil_controller_release;
	ctrl->id = ida_alloc(&dsmil_controller_ida, GFP_KERNEL);
	if (ctrl->id < 0)
		goto err_put_ctrl;
	if (dev_set_name(&ctrl->dev, "dsmil%d", ctrl->id))
		goto err_put_ctrl;

	ctrl->devs = kcalloc(ctrl->nr_devs, sizeof(*ctrl->devs), GFP_KERNEL);
	if (!ctrl->devs)
		goto err_put_ctrl;
	for (n = 0, g = 0; g < ctrl->groups; g++) {
		for (i = 0; i < ctrl->devices_per_group; i++, n++) {
			ctrl->devs[n] = dsmil_device_alloc(ctrl, g, i);
			if (!ctrl->devs[n])
				goto err_put_ctrl;
		}
	}
	return ctrl;

err_put_ctrl:
	dsmil_controller_put(ctrl);
	return NULL;
}

/**
 * dsmil_controller_register() - make a controller and its devices visible
 * @ctrl: from dsmil_controller_alloc(), backend ready for operations
 *
 * On failure everything registered so far is unregistered again; the
 * caller still owns @ctrl and releases it with dsmil_controller_put().
 *
 * Return: 0 or a negative errno.
 */
int dsmil_controller_register(struct dsmil_controller *ctrl)
{
	unsigned int n;
	int ret;

	ret = device_add(&ctrl->dev);
	if (ret)
		return ret;
	ctrl->registered = true;

	for (n = 0; n < ctrl->nr_devs; n++) {
		ret = device_add(&ctrl->devs[n]->dev);
		if (ret) {
			dev_err(&ctrl->dev, "cannot add %s: %d\n",
				dev_name(&ctrl->devs[n]->dev), ret);
			goto err_unregister;
		}
		dsmil_notify_device(DSMIL_EVENT_ADD, ctrl->devs[n], 0);
	}

	mutex_lock(&dsmil_controllers_lock);
	list_add_tail(&ctrl->node, &dsmil_controllers);
	mutex_unlock(&dsmil_controllers_lock);
	dsmil_debugfs_add_controller(ctrl);
	dev_info(&ctrl->dev, "%s backend, %u devices (%u groups of %u)\n",
		 dsmil_backend_name(ctrl->ops->backend), ctrl->nr_devs,
		 ctrl->groups, ctrl->devices_per_group);
	return 0;

err_unregister:
	/* Tears down devices [0, n), the ones that were added. */
	dsmil_controller_unregister(ctrl);
	return ret;
}

/**
 * dsmil_controller_unregister() - kill a controller and remove its devices
 * @ctrl: a registered controller (or one whose registration failed)
 *
 * After this returns no operation runs on the backend and none will start:
 * users still holding devices get -ENODEV.  The backend may then release
 * its hardware.
 *
 * Context: process context; sleeps until running operations finish.
 */
void dsmil_controller_unregister(struct dsmil_controller *ctrl)
{
	unsigned int n;

	if (!list_empty(&ctrl->node)) {
		mutex_lock(&dsmil_controllers_lock);
		list_del_init(&ctrl->node);
		mutex_unlock(&dsmil_controllers_lock);
	}
	WRITE_ONCE(ctrl->dead, true);
	synchronize_srcu(&dsmil_srcu);

	dsmil_debugfs_remove_controller(ctrl);
	for (n = ctrl->nr_devs; n-- > 0;) {
		struct dsmil_device *ddev = ctrl->devs[n];

		if (!device_is_registered(&ddev->dev))
			continue;
		dsmil_notify_device(DSMIL_EVENT_REMOVE, ddev, 0);
		device_del(&ddev->dev);
	}
	if (ctrl->registered) {
		device_del(&ctrl->dev);
		ctrl->registered = false;
	}
}

/**
 * dsmil_controller_put() - drop the backend's reference to a controller
 * @ctrl: the controller (unregistered, or never registered)
 *
 * Drops the controller's references on its devices; memory goes when the
 * last user of a device has put it.
 */
void dsmil_controller_put(struct dsmil_controller *ctrl)
{
	unsigned int n;

	if (ctrl->devs) {
		/* Unallocated slots are NULL; a failed alloc stops early. */
		for (n = 0; n < ctrl->groups * ctrl->devices_per_group; n++) {
			if (ctrl->devs[n])
				put_device(&ctrl->devs[n]->dev);
			ctrl->devs[n] = NULL;
		}
	}
	put_device(&ctrl->dev);
}

/**
 * dsmil_controller_event() - deliver a backend event to subscribers
 * @ctrl: the controller
 * @nr: number of the device the event is for
 * @value: the event value (see struct dsmil_event_data)
 *
 * Dropped once @ctrl is dead.  The caller keeps the devices' memory valid:
 * it runs inside an operation, or in an interrupt handler that is freed
 * before dsmil_controller_put().
 *
 * Context: any, including hard interrupt.
 */
void dsmil_controller_event(struct dsmil_controller *ctrl, unsigned int nr,
			    u32 value)
{
	if (!READ_ONCE(ctrl->dead) && nr < ctrl->nr_devs)
		dsmil_notify_device(DSMIL_EVENT_IRQ, ctrl->devs[nr], value);
}

/**
 * dsmil_controller_count() - number of live controllers
 *
 * Return: how many controllers are registered and not dead.
 */
unsigned int dsmil_controller_count(void)
{
	struct dsmil_controller *ctrl;
	unsigned int n = 0;

	mutex_lock(&dsmil_controllers_lock);
	list_for_each_entry(ctrl, &dsmil_controllers, node)
		n++;
	mutex_unlock(&dsmil_controllers_lock);
	return n;
}

/**
 * dsmil_controller_class_init() - register the controller class
 *
 * Return: 0 or a negative errno.
 */
int dsmil_controller_class_init(void)
{
	return class_register(&dsmil_controller_class);
}

/**
 * dsmil_controller_class_exit() - unregister the controller class
 */
void dsmil_controller_class_exit(void)
{
	class_unregister(&dsmil_controller_class);
	ida_destroy(&dsmil_controller_ida);
}
