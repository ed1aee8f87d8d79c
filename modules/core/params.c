// SPDX-License-Identifier: GPL-2.0
/*
 * params.c - the module parameters of dsmil_core and their validation.
 *
 * Every parameter is read-only once loaded.  dsmil_params_validate() runs
 * before anything is registered: the first bad value fails the load with
 * -EINVAL and one log line naming the parameter and what is allowed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/thermal.h>

#include "core.h"

static char backend[16] = "auto";
module_param_string(backend, backend, sizeof(backend), 0444);
MODULE_PARM_DESC(backend, "Hardware backend: auto, emu, pci or platform (default auto: pci if a supported device binds, else platform if mmio_base is set, else emu)");

static unsigned int groups = 7;
module_param(groups, uint, 0444);
MODULE_PARM_DESC(groups, "Device groups per controller (1-16, default 7)");

static unsigned int devices_per_group = 12;
module_param(devices_per_group, uint, 0444);
MODULE_PARM_DESC(devices_per_group, "Devices per group (1-32, default 12)");

static unsigned long mmio_base;
module_param(mmio_base, ulong, 0444);
MODULE_PARM_DESC(mmio_base, "Physical base of the platform backend's MMIO region (page-aligned; default 0 = none)");

static unsigned long mmio_size = 360 * SZ_1M;
module_param(mmio_size, ulong, 0444);
MODULE_PARM_DESC(mmio_size, "Size of the platform backend's MMIO region in bytes (64 KiB-16 GiB, page multiple, default 360 MiB)");

static unsigned int chunk_size = 4 * SZ_1M;
module_param(chunk_size, uint, 0444);
MODULE_PARM_DESC(chunk_size, "Platform backend mapping granule in bytes (power of two, 64 KiB-64 MiB, default 4 MiB)");

static unsigned int max_mapped_chunks = 16;
module_param(max_mapped_chunks, uint, 0444);
MODULE_PARM_DESC(max_mapped_chunks, "Most chunks the platform backend keeps mapped at once, least recently used unmapped first (1-1024, default 16)");

static char quarantine[256] = "0x8009,0x800a,0x800b,0x8019,0x8029";
module_param_string(quarantine, quarantine, sizeof(quarantine), 0444);
MODULE_PARM_DESC(quarantine, "Comma-separated tokens never written (0x8000-0x81ff, at most 32; \"none\" for no quarantine; default 0x8009,0x800a,0x800b,0x8019,0x8029)");

static int thermal_limit_mc = 85000;
module_param(thermal_limit_mc, int, 0444);
MODULE_PARM_DESC(thermal_limit_mc, "Thermal emergency threshold in millidegrees Celsius (20000-125000, default 85000)");

static bool thermal_fail_open;
module_param(thermal_fail_open, bool, 0444);
MODULE_PARM_DESC(thermal_fail_open, "Allow guarded operations while the thermal sensor cannot be read (default N: refuse them)");

static char thermal_zone[THERMAL_NAME_LENGTH];
module_param_string(thermal_zone, thermal_zone, sizeof(thermal_zone), 0444);
MODULE_PARM_DESC(thermal_zone, "Type of the thermal zone to watch (default empty: the emulated sensor, debugfs dsmil/emu_temp_mc)");

static unsigned int pci_dma_bits = 28;
module_param(pci_dma_bits, uint, 0444);
MODULE_PARM_DESC(pci_dma_bits, "Address bits the pci backend's device can DMA to (edu cannot tell: QEMU's -device edu,dma_mask=...; 28-64, default 28, QEMU's default)");

struct dsmil_params dsmil_params;

static const char * const dsmil_backend_names[] = {
	[DSMIL_BACKEND_AUTO] = "auto",
	[DSMIL_BACKEND_EMU] = "emu",
	[DSMIL_BACKEND_PCI] = "pci",
	[DSMIL_BACKEND_PLATFORM] = "platform",
};

const char *dsmil_backend_name(enum dsmil_backend b)
{
	return dsmil_backend_names[b];
}

bool dsmil_token_quarantined(u16 token)
{
	unsigned int i;

	for (i = 0; i < dsmil_params.nr_quarantine; i++)
		if (dsmil_params.quarantine[i] == token)
			return true;
	return false;
}

static int dsmil_parse_quarantine(void)
{
	char buf[sizeof(quarantine)];
	const char *bad = "";
	unsigned int n;
	int ret;

	strscpy(buf, quarantine, sizeof(buf));
	ret = dsmil_layout_parse_tokens(buf, dsmil_params.quarantine,
					DSMIL_QUARANTINE_MAX, &n, &bad);
	if (ret == -E2BIG) {
		pr_err("invalid quarantine=%s: allowed at most %d tokens\n",
		       quarantine, DSMIL_QUARANTINE_MAX);
		return -EINVAL;
	}
	if (ret) {
		pr_err("invalid quarantine=%s: token '%s' outside allowed range %#x-%#x\n",
		       quarantine, bad, DSMIL_TOKEN_BASE, DSMIL_TOKEN_LAST);
		return -EINVAL;
	}
	dsmil_params.nr_quarantine = n;
	return 0;
}

static int dsmil_parse_backend(void)
{
	enum dsmil_backend b;
	char buf[sizeof(backend)];

	strscpy(buf, backend, sizeof(buf));
	for (b = DSMIL_BACKEND_AUTO; b <= DSMIL_BACKEND_PLATFORM; b++) {
		if (!strcmp(strim(buf), dsmil_backend_names[b])) {
			dsmil_params.backend = b;
			return 0;
		}
	}
	pr_err("invalid backend=%s: allowed auto, emu, pci, platform\n",
	       backend);
	return -EINVAL;
}

static int dsmil_parse_region(void)
{
	if (!dsmil_layout_mmio_size_ok(mmio_size)) {
		pr_err("invalid mmio_size=%lu: allowed range 65536-17179869184, a multiple of %lu\n",
		       mmio_size, PAGE_SIZE);
		return -EINVAL;
	}
	if (!dsmil_layout_mmio_base_ok(mmio_base, mmio_size,
				       dsmil_params.backend ==
				       DSMIL_BACKEND_PLATFORM)) {
		pr_err("invalid mmio_base=%#lx: allowed a multiple of %#lx, non-zero for backend=platform, with mmio_base+mmio_size below 2^64\n",
		       mmio_base, PAGE_SIZE);
		return -EINVAL;
	}
	if (!dsmil_layout_chunk_size_ok(chunk_size)) {
		pr_err("invalid chunk_size=%u: allowed a power of two in range 65536-67108864\n",
		       chunk_size);
		return -EINVAL;
	}
	if (max_mapped_chunks < 1 || max_mapped_chunks > 1024) {
		pr_err("invalid max_mapped_chunks=%u: allowed range 1-1024\n",
		       max_mapped_chunks);
		return -EINVAL;
	}
	if (pci_dma_bits < 28 || pci_dma_bits > 64) {
		pr_err("invalid pci_dma_bits=%u: allowed range 28-64\n",
		       pci_dma_bits);
		return -EINVAL;
	}
	dsmil_params.pci_dma_bits = pci_dma_bits;
	dsmil_params.mmio_base = mmio_base;
	dsmil_params.mmio_size = mmio_size;
	dsmil_params.chunk_size = chunk_size;
	dsmil_params.max_mapped_chunks = max_mapped_chunks;
	return 0;
}

static int dsmil_parse_thermal(void)
{
	struct thermal_zone_device *tz;

	if (thermal_limit_mc < 20000 || thermal_limit_mc > 125000) {
		pr_err("invalid thermal_limit_mc=%d: allowed range 20000-125000\n",
		       thermal_limit_mc);
		return -EINVAL;
	}
	dsmil_params.thermal_limit_mc = thermal_limit_mc;
	dsmil_params.thermal_fail_open = thermal_fail_open;

	dsmil_params.thermal_zone = strim(thermal_zone);
	if (!dsmil_params.thermal_zone[0])
		return 0;
	tz = thermal_zone_get_zone_by_name(dsmil_params.thermal_zone);
	if (PTR_ERR_OR_ZERO(tz) == -EEXIST) {
		pr_err("invalid thermal_zone=%s: several thermal zones have this type; allowed the type of exactly one (/sys/class/thermal/*/type) or empty\n",
		       thermal_zone);
		return -EINVAL;
	}
	if (IS_ERR(tz)) {
		pr_err("invalid thermal_zone=%s: allowed the type of a registered thermal zone (/sys/class/thermal/*/type) or empty\n",
		       thermal_zone);
		return -EINVAL;
	}
	return 0;
}

/**
 * dsmil_params_validate() - check every parameter, fill dsmil_params
 *
 * Return: 0, or -EINVAL after logging one line about the first bad value.
 */
int dsmil_params_validate(void)
{
	int ret;

	ret = dsmil_parse_backend();
	if (ret)
		return ret;
	if (groups < 1 || groups > DSMIL_MAX_GROUPS) {
		pr_err("invalid groups=%u: allowed range 1-%d\n", groups,
		       DSMIL_MAX_GROUPS);
		return -EINVAL;
	}
	if (devices_per_group < 1 ||
	    devices_per_group > DSMIL_MAX_DEVICES_PER_GROUP) {
		pr_err("invalid devices_per_group=%u: allowed range 1-%d\n",
		       devices_per_group, DSMIL_MAX_DEVICES_PER_GROUP);
		return -EINVAL;
	}
	dsmil_params.groups = groups;
	dsmil_params.devices_per_group = devices_per_group;

	ret = dsmil_parse_region();
	if (ret)
		return ret;
	ret = dsmil_parse_quarantine();
	if (ret)
		return ret;
	return dsmil_parse_thermal();
}
