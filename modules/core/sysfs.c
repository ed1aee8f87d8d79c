// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - attributes of dsmil devices and controllers
 * (Documentation/ABI/testing/sysfs-bus-dsmil).
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "core.h"

/**
 * dsmil_device_state() - the "state" of a device
 * @ddev: the device (a reference held)
 *
 * The first that applies: "error" (controller dead or failed), "absent"
 * (no window), "quarantined", "active" (held through dsmil_device_get(),
 * or bound to a driver that is not passive), "present".
 *
 * Context: any.
 * Return: the state name, a string constant.
 */
const char *dsmil_device_state(struct dsmil_device *ddev)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	struct device_driver *drv;

	if (READ_ONCE(ctrl->dead) || READ_ONCE(ctrl->failed))
		return "error";
	if (ddev->absent)
		return "absent";
	if (ddev->quarantined)
		return "quarantined";
	if (atomic_read(&ddev->users) > 0)
		return "active";
	drv = READ_ONCE(ddev->dev.driver);
	if (drv && !to_dsmil_driver(drv)->passive)
		return "active";
	return "present";
}
DSMIL_EXPORT(dsmil_device_state);

static ssize_t group_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_dsmil_device(dev)->group);
}
static DEVICE_ATTR_RO(group);

static ssize_t index_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", to_dsmil_device(dev)->index);
}
static DEVICE_ATTR_RO(index);

static ssize_t token_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "0x%04x\n", to_dsmil_device(dev)->token);
}
static DEVICE_ATTR_RO(token);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", dsmil_device_state(to_dsmil_device(dev)));
}
static DEVICE_ATTR_RO(state);

static ssize_t quarantined_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", to_dsmil_device(dev)->quarantined);
}
static DEVICE_ATTR_RO(quarantined);

static ssize_t mmio_size_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_dsmil_device(dev)->mmio_size);
}
static DEVICE_ATTR_RO(mmio_size);

static struct attribute *dsmil_device_attrs[] = {
	&dev_attr_group.attr,
	&dev_attr_index.attr,
	&dev_attr_token.attr,
	&dev_attr_state.attr,
	&dev_attr_quarantined.attr,
	&dev_attr_mmio_size.attr,
	NULL
};

static const struct attribute_group dsmil_device_group = {
	.attrs = dsmil_device_attrs,
};

const struct attribute_group *dsmil_device_groups[] = {
	&dsmil_device_group,
	NULL
};

static ssize_t backend_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct dsmil_controller *ctrl = to_dsmil_controller(dev);

	return sysfs_emit(buf, "%s\n", dsmil_backend_name(ctrl->ops->backend));
}
static DEVICE_ATTR_RO(backend);

static ssize_t active_devices_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct dsmil_controller *ctrl = to_dsmil_controller(dev);
	unsigned int n, active = 0;

	for (n = 0; n < ctrl->nr_devs; n++)
		if (!strcmp(dsmil_device_state(ctrl->devs[n]), "active"))
			active++;
	return sysfs_emit(buf, "%u\n", active);
}
static DEVICE_ATTR_RO(active_devices);

static ssize_t thermal_state_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  dsmil_thermal_state_name(dsmil_thermal_status(NULL)));
}
static DEVICE_ATTR_RO(thermal_state);

static ssize_t temp_mc_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	int temp;

	dsmil_thermal_status(&temp);
	return sysfs_emit(buf, "%d\n", temp);
}
static DEVICE_ATTR_RO(temp_mc);

static struct attribute *dsmil_controller_attrs[] = {
	&dev_attr_backend.attr,
	&dev_attr_active_devices.attr,
	&dev_attr_thermal_state.attr,
	&dev_attr_temp_mc.attr,
	NULL
};

static const struct attribute_group dsmil_controller_group = {
	.attrs = dsmil_controller_attrs,
};

const struct attribute_group *dsmil_controller_groups[] = {
	&dsmil_controller_group,
	NULL
};
