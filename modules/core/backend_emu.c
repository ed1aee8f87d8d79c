// SPDX-License-Identifier: GPL-2.0
/*
 * backend_emu.c - the emulated controller (QEMU, CI, laptops).
 *
 * Each device has a 4 KiB window holding a register file of 32-bit
 * registers with deterministic behaviour (offsets relative to the window):
 *
 *   0x00 ID            RO  0xD5000000 | token
 *   0x04 STATUS        RO  bit 0 READY (always 1), bit 1 ENABLED
 *                          (CONTROL.ENABLE), bit 2 QUARANTINED,
 *                          bits 31:16 doorbells rung so far (wraps)
 *   0x08 CONTROL       RW  bit 0 ENABLE, bit 1 EVENT_EN; other bits read 0
 *   0x0C SCRATCH       RW  any value, reads back what was written
 *   0x10 DOORBELL      WO  writing V sets DOORBELL_ACK to ~V, counts the
 *                          doorbell and, with CONTROL.EVENT_EN, delivers
 *                          DSMIL_EVENT_IRQ with value V; reads 0
 *   0x14 DOORBELL_ACK  RO  ~(last value rung), 0xFFFFFFFF after reset
 *   0x18 TEMP          RO  the emulated sensor, millidegrees Celsius
 *   other offsets          read 0xFFFFFFFF, writes are ignored
 *
 * Writes to read-only registers are ignored.  Every register resets to 0
 * (DOORBELL_ACK to 0xFFFFFFFF) when the module loads.  The controller's
 * DMA engine copies to and from 4 KiB of device memory synchronously; each
 * transfer takes dsmil_emu_dma_delay_ms more (debugfs emu_dma_delay_ms, 0
 * by default, at most DSMIL_EMU_DMA_DELAY_MAX_MS), which models a slow
 * engine for the tests of what waits behind one.  Nothing of emu masters
 * the bus (no dma_bus op, no ctrl->dma_dev): host memory is never mapped
 * for it, and the engine copies with the CPU from and into kernel
 * addresses (dsmil_dev_dma()); locks on emu are CPU-only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/overflow.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "core.h"

#define DSMIL_EMU_REG_ID		0x00
#define DSMIL_EMU_REG_STATUS		0x04
#define DSMIL_EMU_REG_CONTROL		0x08
#define DSMIL_EMU_REG_SCRATCH		0x0c
#define DSMIL_EMU_REG_DOORBELL		0x10
#define DSMIL_EMU_REG_DOORBELL_ACK	0x14
#define DSMIL_EMU_REG_TEMP		0x18

#define DSMIL_EMU_ID_MAGIC		0xd5000000
#define DSMIL_EMU_STATUS_READY		BIT(0)
#define DSMIL_EMU_STATUS_ENABLED	BIT(1)
#define DSMIL_EMU_STATUS_QUARANTINED	BIT(2)
#define DSMIL_EMU_CONTROL_ENABLE	BIT(0)
#define DSMIL_EMU_CONTROL_EVENT_EN	BIT(1)
#define DSMIL_EMU_CONTROL_MASK		(DSMIL_EMU_CONTROL_ENABLE | \
					 DSMIL_EMU_CONTROL_EVENT_EN)
#define DSMIL_EMU_DMA_SIZE		4096

struct dsmil_emu_regs {
	u32 control;
	u32 scratch;
	u32 doorbell_ack;
	u16 doorbells;
};

struct dsmil_emu {
	spinlock_t lock;		/* protects regs */
	u8 mem[DSMIL_EMU_DMA_SIZE];	/* device memory, under ctrl->dma_lock */
	struct dsmil_emu_regs regs[];
};

/* Written through debugfs (root only); read once per transfer. */
u32 dsmil_emu_dma_delay_ms;

static struct platform_device *dsmil_emu_pdev;
static struct dsmil_controller *dsmil_emu_ctrl;

static struct dsmil_emu_regs *dsmil_emu_regs(struct dsmil_controller *ctrl,
					     struct dsmil_device *ddev)
{
	struct dsmil_emu *emu = ctrl->priv;

	return &emu->regs[ddev->group * ctrl->devices_per_group + ddev->index];
}

static int dsmil_emu_read32(struct dsmil_controller *ctrl,
			    struct dsmil_device *ddev, u32 offset, u32 *val)
{
	struct dsmil_emu *emu = ctrl->priv;
	struct dsmil_emu_regs *r = dsmil_emu_regs(ctrl, ddev);

	spin_lock(&emu->lock);
	switch (offset) {
	case DSMIL_EMU_REG_ID:
		*val = DSMIL_EMU_ID_MAGIC | ddev->token;
		break;
	case DSMIL_EMU_REG_STATUS:
		*val = DSMIL_EMU_STATUS_READY | (u32)r->doorbells << 16;
		if (r->control & DSMIL_EMU_CONTROL_ENABLE)
			*val |= DSMIL_EMU_STATUS_ENABLED;
		if (ddev->quarantined)
			*val |= DSMIL_EMU_STATUS_QUARANTINED;
		break;
	case DSMIL_EMU_REG_CONTROL:
		*val = r->control;
		break;
	case DSMIL_EMU_REG_SCRATCH:
		*val = r->scratch;
		break;
	case DSMIL_EMU_REG_DOORBELL:
		*val = 0;
		break;
	case DSMIL_EMU_REG_DOORBELL_ACK:
		*val = r->doorbell_ack;
		break;
	case DSMIL_EMU_REG_TEMP:
		*val = dsmil_thermal_emu_get();
		break;
	default:
		*val = 0xffffffff;
		break;
	}
	spin_unlock(&emu->lock);
	return 0;
}

static int dsmil_emu_write32(struct dsmil_controller *ctrl,
			     struct dsmil_device *ddev, u32 offset, u32 val)
{
	struct dsmil_emu *emu = ctrl->priv;
	struct dsmil_emu_regs *r = dsmil_emu_regs(ctrl, ddev);
	bool event = false;

	DSMIL_ASSERT(!ddev->quarantined);
	spin_lock(&emu->lock);
	switch (offset) {
	case DSMIL_EMU_REG_CONTROL:
		r->control = val & DSMIL_EMU_CONTROL_MASK;
		break;
	case DSMIL_EMU_REG_SCRATCH:
		r->scratch = val;
		break;
	case DSMIL_EMU_REG_DOORBELL:
		r->doorbell_ack = ~val;
		r->doorbells++;
		event = r->control & DSMIL_EMU_CONTROL_EVENT_EN;
		break;
	default:
		break;
	}
	spin_unlock(&emu->lock);
	if (event)
		dsmil_controller_event(ctrl, ddev->group *
				       ctrl->devices_per_group + ddev->index,
				       val);
	return 0;
}

static int dsmil_emu_dma(struct dsmil_controller *ctrl, enum dsmil_dma_dir dir,
			 u32 dev_offset, void *buf, size_t len)
{
	struct dsmil_emu *emu = ctrl->priv;
	u32 delay_ms = min_t(u32, READ_ONCE(dsmil_emu_dma_delay_ms),
			     DSMIL_EMU_DMA_DELAY_MAX_MS);

	lockdep_assert_held(&ctrl->dma_lock);
	if (delay_ms)
		msleep(delay_ms);
	if (dir == DSMIL_DMA_TO_DEVICE)
		memcpy(emu->mem + dev_offset, buf, len);
	else
		memcpy(buf, emu->mem + dev_offset, len);
	return 0;
}

static const struct dsmil_controller_ops dsmil_emu_ops = {
	.backend = DSMIL_BACKEND_EMU,
	.read32 = dsmil_emu_read32,
	.write32 = dsmil_emu_write32,
	.dma = dsmil_emu_dma,
};

/**
 * dsmil_emu_start() - create the emulated controller
 *
 * Its parent is the platform device "dsmil-emu" (no driver binds it).
 *
 * Return: 0 or a negative errno.
 */
int dsmil_emu_start(void)
{
	unsigned int n, nr = dsmil_params.groups * dsmil_params.devices_per_group;
	struct dsmil_controller *ctrl;
	struct dsmil_emu *emu;
	int ret;

	dsmil_emu_pdev = platform_device_register_simple("dsmil-emu",
							 PLATFORM_DEVID_NONE,
							 NULL, 0);
	if (IS_ERR(dsmil_emu_pdev))
		return PTR_ERR(dsmil_emu_pdev);

	ctrl = dsmil_controller_alloc(&dsmil_emu_pdev->dev, &dsmil_emu_ops,
				      (u64)nr * DSMIL_EMU_WINDOW_SIZE,
				      DSMIL_EMU_WINDOW_SIZE,
				      struct_size(emu, regs, nr));
	if (!ctrl) {
		ret = -ENOMEM;
		goto err_unregister_pdev;
	}
	emu = ctrl->priv;
	spin_lock_init(&emu->lock);
	for (n = 0; n < nr; n++)
		emu->regs[n].doorbell_ack = 0xffffffff;
	ctrl->dma_size = DSMIL_EMU_DMA_SIZE;

	ret = dsmil_controller_register(ctrl);
	if (ret)
		goto err_put_ctrl;
	dsmil_emu_ctrl = ctrl;
	return 0;

err_put_ctrl:
	dsmil_controller_put(ctrl);
err_unregister_pdev:
	platform_device_unregister(dsmil_emu_pdev);
	return ret;
}

/**
 * dsmil_emu_stop() - remove the emulated controller
 */
void dsmil_emu_stop(void)
{
	dsmil_controller_unregister(dsmil_emu_ctrl);
	dsmil_controller_put(dsmil_emu_ctrl);
	dsmil_emu_ctrl = NULL;
	platform_device_unregister(dsmil_emu_pdev);
}
