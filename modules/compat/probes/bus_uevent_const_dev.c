// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.3 bus_type.uevent takes a const struct device *.
 */
#include <linux/device.h>

int dsmil_probe_uevent(const struct device *dev, struct kobj_uevent_env *env);
int dsmil_probe_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	return 0;
}

struct bus_type dsmil_probe_bus = {
	.uevent = dsmil_probe_uevent,
};
