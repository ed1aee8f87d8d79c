// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.11 bus_type.match takes a const struct device_driver *.
 */
#include <linux/device.h>

int dsmil_probe_match(struct device *dev, const struct device_driver *drv);
int dsmil_probe_match(struct device *dev, const struct device_driver *drv)
{
	return 0;
}

struct bus_type dsmil_probe_bus = {
	.match = dsmil_probe_match,
};
