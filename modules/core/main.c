// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - dsmil_core: load, pick a backend, unload.
 *
 * Load order: validate the parameters (nothing registered on failure),
 * register the bus and the controller class, create debugfs, start the
 * thermal guard, then the backend.  Unload undoes it in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include <dsmil/build.h>

#include "core.h"

static enum dsmil_backend dsmil_running_backend;

static int dsmil_backend_start(void)
{
	enum dsmil_backend b = dsmil_params.backend;
	int ret;

	if (b == DSMIL_BACKEND_AUTO) {
		if (!dsmil_pci_start()) {
			b = DSMIL_BACKEND_PCI;
			goto started;
		}
		b = dsmil_params.mmio_base ? DSMIL_BACKEND_PLATFORM :
					     DSMIL_BACKEND_EMU;
	}

	switch (b) {
	case DSMIL_BACKEND_EMU:
		ret = dsmil_emu_start();
		break;
	case DSMIL_BACKEND_PCI:
		ret = dsmil_pci_start();
		if (ret == -ENODEV)
			pr_err("backend=pci: no supported PCI device could be bound\n");
		break;
	case DSMIL_BACKEND_PLATFORM:
		ret = dsmil_platform_start();
		break;
	default:
		ret = -EINVAL;
		break;
	}
	if (ret)
		return ret;
started:
	dsmil_running_backend = b;
	pr_info("%s backend started\n", dsmil_backend_name(b));
	return 0;
}

static void dsmil_backend_stop(void)
{
	switch (dsmil_running_backend) {
	case DSMIL_BACKEND_EMU:
		dsmil_emu_stop();
		break;
	case DSMIL_BACKEND_PCI:
		dsmil_pci_stop();
		break;
	case DSMIL_BACKEND_PLATFORM:
		dsmil_platform_stop();
		break;
	default:
		DSMIL_ASSERT(false);
		break;
	}
}

static int __init dsmil_core_init(void)
{
	int ret;

	ret = dsmil_params_validate();
	if (ret)
		return ret;

	ret = dsmil_bus_init();
	if (ret)
		return ret;
	dsmil_debugfs_init();
	ret = dsmil_thermal_init();
	if (ret)
		goto err_debugfs_exit;
	ret = dsmil_backend_start();
	if (ret)
		goto err_thermal_exit;
	return 0;

err_thermal_exit:
	dsmil_thermal_exit();
err_debugfs_exit:
	dsmil_debugfs_exit();
	dsmil_bus_exit();
	return ret;
}

static void __exit dsmil_core_exit(void)
{
	dsmil_backend_stop();
	dsmil_thermal_exit();
	dsmil_debugfs_exit();
	dsmil_bus_exit();
}

module_init(dsmil_core_init);
module_exit(dsmil_core_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil core: bus, device registry, MMIO backends and thermal guard");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
