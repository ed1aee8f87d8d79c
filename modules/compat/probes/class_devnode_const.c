// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.2 class.devnode takes a const struct device *.
 */
#include <linux/device.h>

char *dsmil_probe_devnode(const struct device *dev, umode_t *mode);
char *dsmil_probe_devnode(const struct device *dev, umode_t *mode)
{
	return NULL;
}

struct class dsmil_probe_class = {
	.devnode = dsmil_probe_devnode,
};
