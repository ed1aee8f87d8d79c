// SPDX-License-Identifier: GPL-2.0
/*
 * Since 5.15 bus_type.remove returns void; before, it returned int (and
 * the driver core ignored the value).
 */
#include <linux/device.h>

void dsmil_probe_remove(struct device *dev);
void dsmil_probe_remove(struct device *dev)
{
}

struct bus_type dsmil_probe_bus = {
	.remove = dsmil_probe_remove,
};
