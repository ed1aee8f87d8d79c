// SPDX-License-Identifier: GPL-2.0
/*
 * backend_platform.c - a controller on a fixed physical MMIO region
 * (mmio_base, mmio_size), as on the real platform.
 *
 * The region is requested whole (request_mem_region) but mapped lazily,
 * chunk_size at a time, at most max_mapped_chunks at once (chunk.c).  It
 * has no DMA engine and no interrupt.  In QEMU the region is guest RAM
 * withheld from the kernel with memmap=360M$<base>.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/platform_device.h>

#include "core.h"

struct dsmil_platform {
	struct dsmil_chunk_map *map;
	phys_addr_t base;
};

static struct platform_device *dsmil_platform_pdev;
static struct dsmil_controller *dsmil_platform_ctrl;

static int dsmil_platform_read32(struct dsmil_controller *ctrl,
				 struct dsmil_device *ddev, u32 offset,
				 u32 *val)
{
	struct dsmil_platform *p = ctrl->priv;

	return dsmil_chunk_read32(p->map, (u64)dsmil_window_offset(ddev) +
				  offset, val);
}

static int dsmil_platform_write32(struct dsmil_controller *ctrl,
				  struct dsmil_device *ddev, u32 offset,
				  u32 val)
{
	struct dsmil_platform *p = ctrl->priv;

	DSMIL_ASSERT(!ddev->quarantined);
	return dsmil_chunk_write32(p->map, (u64)dsmil_window_offset(ddev) +
				   offset, val);
}

static int dsmil_platform_window(struct dsmil_controller *ctrl,
				 struct dsmil_device *ddev,
				 struct dsmil_window *win)
{
	struct dsmil_platform *p = ctrl->priv;

	win->phys = p->base + dsmil_window_offset(ddev);
	win->size = ddev->mmio_size;
	return 0;
}

static const struct dsmil_controller_ops dsmil_platform_ops = {
	.backend = DSMIL_BACKEND_PLATFORM,
	.read32 = dsmil_platform_read32,
	.write32 = dsmil_platform_write32,
	.window = dsmil_platform_window,
};

/**
 * dsmil_platform_start() - create the controller on mmio_base/mmio_size
 *
 * Its parent is the platform device "dsmil-platform" (no driver binds it).
 *
 * Return: 0; -EBUSY if the region is in use (logged), or another errno.
 */
int dsmil_platform_start(void)
{
	phys_addr_t base = dsmil_params.mmio_base;
	u64 size = dsmil_params.mmio_size;
	struct dsmil_controller *ctrl;
	struct dsmil_platform *p;
	int ret;

	dsmil_platform_pdev = platform_device_register_simple("dsmil-platform",
							      PLATFORM_DEVID_NONE,
							      NULL, 0);
	if (IS_ERR(dsmil_platform_pdev))
		return PTR_ERR(dsmil_platform_pdev);

	if (!request_mem_region(base, size, KBUILD_MODNAME)) {
		dev_err(&dsmil_platform_pdev->dev,
			"MMIO region %pa+%#llx is busy\n", &base, size);
		ret = -EBUSY;
		goto err_unregister_pdev;
	}

	ctrl = dsmil_controller_alloc(&dsmil_platform_pdev->dev,
				      &dsmil_platform_ops, size,
				      dsmil_window_size(size), sizeof(*p));
	if (!ctrl) {
		ret = -ENOMEM;
		goto err_release_region;
	}
	p = ctrl->priv;
	p->base = base;
	p->map = dsmil_chunk_map_create(base, size, dsmil_params.chunk_size,
					dsmil_params.max_mapped_chunks);
	if (!p->map) {
		ret = -ENOMEM;
		goto err_put_ctrl;
	}

	ret = dsmil_controller_register(ctrl);
	if (ret)
		goto err_destroy_map;
	dsmil_chunk_map_debugfs(p->map, ctrl->debugfs);
	dsmil_platform_ctrl = ctrl;
	return 0;

err_destroy_map:
	dsmil_chunk_map_destroy(p->map);
err_put_ctrl:
	dsmil_controller_put(ctrl);
err_release_region:
	release_mem_region(base, size);
err_unregister_pdev:
	platform_device_unregister(dsmil_platform_pdev);
	return ret;
}

/**
 * dsmil_platform_stop() - remove the controller, unmap every chunk
 */
void dsmil_platform_stop(void)
{
	struct dsmil_controller *ctrl = dsmil_platform_ctrl;
	struct dsmil_platform *p = ctrl->priv;

	dsmil_controller_unregister(ctrl);
	dsmil_chunk_map_destroy(p->map);
	p->map = NULL;
	dsmil_controller_put(ctrl);
	dsmil_platform_ctrl = NULL;
	release_mem_region(dsmil_params.mmio_base, dsmil_params.mmio_size);
	platform_device_unregister(dsmil_platform_pdev);
}
