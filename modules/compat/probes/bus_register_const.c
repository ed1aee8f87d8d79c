// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.4 bus_register() and struct device.bus take a const struct
 * bus_type, so a bus type can live in read-only memory.
 */
#include <linux/device.h>

static const struct bus_type dsmil_probe_bus = {
	.name = "dsmil_probe",
};

static int __maybe_unused dsmil_probe_bus_register(void)
{
	return bus_register(&dsmil_probe_bus);
}
