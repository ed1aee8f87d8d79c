// SPDX-License-Identifier: GPL-2.0
/*
 * backend_pci.c - controllers on PCI devices; the test target is QEMU's
 * edu device (hw/misc/edu.c, 1234:11e8).
 *
 * BAR0 is the controller's region: device windows are laid over it from
 * offset 0, so the window of device (0, 0) holds edu's own registers.  Those
 * the driver drives for its transfers (interrupt raise and ack, the DMA
 * engine: 0x60-0x9f) are the controller's engine registers: the core
 * refuses to write them for anyone and to hand out that window for a
 * writable mapping.  The
 * DMA engine is edu's: 4 KiB of device memory at device address 0x40000
 * (of which 4095 bytes are used, see EDU_DMA_USABLE), a transfer
 * completed by interrupt.  edu masters the bus itself: the pci_dev is the
 * controller's DMA device (ctrl->dma_dev), host memory is mapped on it with
 * the DMA mask of the pci_dma_bits parameter (edu has no register that
 * tells its mask: QEMU's default is 28 bits, -device edu,dma_mask=...
 * widens it), so the engine moves data straight from and into locked user
 * pages (dsmil_pci_dma_bus()), through an IOMMU or swiotlb if the platform
 * puts one there; so do scatterlists of dsmil_dev_dma_sg().  Kernel buffers
 * of dsmil_dev_dma() (any kernel memory) go through a coherent buffer of
 * the device.  A transfer that times out turns bus
 * mastering off (edu cannot abort one) and fails the controller: every
 * later transfer fails with -EIO until the device is rebound, whose probe
 * waits for the engine to be idle before mastering is turned on again.  One MSI vector, INTx if MSI is not
 * available; every interrupt is acked (status 0x24 written to 0x64) and
 * delivered as DSMIL_EVENT_IRQ of device (0, 0) with the status as value.
 *
 * dsmil_core is not autoloaded by PCI id: it is loaded explicitly, and the
 * backend is chosen at load (auto picks pci if this driver bound a device).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "core.h"

#define EDU_REG_ID		0x00
#define EDU_REG_LIVENESS	0x04
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
/* What the driver's engine owns: raise/ack 0x60-0x67, DMA 0x80-0x9f. */
#define EDU_REG_ENGINE_START	EDU_REG_IRQ_RAISE
#define EDU_REG_ENGINE_END	0xa0

#define EDU_DMA_CMD_START	BIT(0)
#define EDU_DMA_CMD_FROM_DEVICE	BIT(1)
#define EDU_DMA_CMD_IRQ		BIT(2)
#define EDU_IRQ_DMA		0x100
#define EDU_DMA_BUF		0x40000
#define EDU_DMA_SIZE		4096
/*
 * Bytes of edu's buffer a transfer may reach.  QEMU up to 7.2 (Debian 12)
 * checks the transfer's end with "end < buffer end" and aborts the whole
 * machine (hw_error) on a transfer that ends at the buffer's end; later
 * versions fixed the check.  The last byte is therefore never used.
 */
#define EDU_DMA_USABLE		(EDU_DMA_SIZE - 1)
#define EDU_DMA_TIMEOUT_MS	1000
#define EDU_DMA_IDLE_WAIT_US	(1000 * USEC_PER_MSEC)

#define DSMIL_LIVENESS_PATTERN	0x5a3cc3a5

struct dsmil_pci {
	struct pci_dev *pdev;
	struct dsmil_controller *ctrl;
	void __iomem *bar;
	resource_size_t bar_start;
	int irq;
	struct completion dma_done;
	u32 dma_timeout_ms;
	void *bounce;
	dma_addr_t bounce_dma;
	u64 copied;		/* bytes through @bounce, under ctrl->dma_lock */
};

static atomic_t dsmil_pci_bound = ATOMIC_INIT(0);

static int dsmil_pci_read32(struct dsmil_controller *ctrl,
			    struct dsmil_device *ddev, u32 offset, u32 *val)
{
	struct dsmil_pci *p = ctrl->priv;

	*val = readl(p->bar + dsmil_window_offset(ddev) + offset);
	return 0;
}

static int dsmil_pci_write32(struct dsmil_controller *ctrl,
			     struct dsmil_device *ddev, u32 offset, u32 val)
{
	struct dsmil_pci *p = ctrl->priv;

	DSMIL_ASSERT(!ddev->quarantined);
	writel(val, p->bar + dsmil_window_offset(ddev) + offset);
	return 0;
}

static int dsmil_pci_window(struct dsmil_controller *ctrl,
			    struct dsmil_device *ddev, struct dsmil_window *win)
{
	struct dsmil_pci *p = ctrl->priv;

	win->phys = p->bar_start + dsmil_window_offset(ddev);
	win->size = ddev->mmio_size;
	return 0;
}

/*
 * edu's address registers are 64 bits wide: a 4-byte write replaces the
 * whole register and its upper half alone cannot be written, so an
 * address above 4 GiB takes one 8-byte write (the suite is x86_64 only).
 */
static void dsmil_pci_write_addr(struct dsmil_pci *p, u32 reg, u64 addr)
{
	writeq(addr, p->bar + reg);
}

/*
 * One transfer of edu's engine between device memory at @dev_offset and
 * bus address @addr of the pci_dev, completed by interrupt.
 */
static int dsmil_pci_engine(struct dsmil_controller *ctrl,
			    enum dsmil_dma_dir dir, u32 dev_offset,
			    dma_addr_t addr, size_t len)
{
	struct dsmil_pci *p = ctrl->priv;
	u32 cmd = EDU_DMA_CMD_START | EDU_DMA_CMD_IRQ;
	u64 src, dst;

	lockdep_assert_held(&ctrl->dma_lock);
	if (dir == DSMIL_DMA_TO_DEVICE) {
		src = addr;
		dst = EDU_DMA_BUF + dev_offset;
	} else {
		src = EDU_DMA_BUF + dev_offset;
		dst = addr;
		cmd |= EDU_DMA_CMD_FROM_DEVICE;
	}

	reinit_completion(&p->dma_done);
	dsmil_pci_write_addr(p, EDU_REG_DMA_SRC, src);
	dsmil_pci_write_addr(p, EDU_REG_DMA_DST, dst);
	writel(len, p->bar + EDU_REG_DMA_COUNT);
	writel(cmd, p->bar + EDU_REG_DMA_CMD);

	if (!wait_for_completion_timeout(&p->dma_done,
			msecs_to_jiffies(READ_ONCE(p->dma_timeout_ms)))) {
		/*
		 * edu has no abort: the engine may still move the bytes
		 * later.  Bus mastering off stops it reaching memory (the
		 * mapping may be unmapped, the pages unpinned, after this
		 * returns), and the controller refuses every later transfer
		 * until it is reset.
		 */
		pci_clear_master(p->pdev);
		WRITE_ONCE(ctrl->failed, true);
		dev_err(&p->pdev->dev,
			"DMA of %zu bytes timed out: engine stopped, controller failed until reset\n",
			len);
		return -ETIMEDOUT;
	}
	if (readl(p->bar + EDU_REG_DMA_CMD) & EDU_DMA_CMD_START)
		return -EIO;
	return 0;
}

/* A kernel buffer: through the coherent buffer of the pci_dev. */
static int dsmil_pci_dma(struct dsmil_controller *ctrl, enum dsmil_dma_dir dir,
			 u32 dev_offset, void *buf, size_t len)
{
	struct dsmil_pci *p = ctrl->priv;
	int ret;

	if (dir == DSMIL_DMA_TO_DEVICE)
		memcpy(p->bounce, buf, len);
	ret = dsmil_pci_engine(ctrl, dir, dev_offset, p->bounce_dma, len);
	if (!ret && dir == DSMIL_DMA_FROM_DEVICE)
		memcpy(buf, p->bounce, len);
	p->copied += len;
	return ret;
}

/* Host memory mapped on the pci_dev: edu reads or writes it itself. */
static int dsmil_pci_dma_bus(struct dsmil_controller *ctrl,
			     enum dsmil_dma_dir dir, u32 dev_offset,
			     dma_addr_t addr, size_t len)
{
	return dsmil_pci_engine(ctrl, dir, dev_offset, addr, len);
}

static const struct dsmil_controller_ops dsmil_pci_ops = {
	.backend = DSMIL_BACKEND_PCI,
	.read32 = dsmil_pci_read32,
	.write32 = dsmil_pci_write32,
	.window = dsmil_pci_window,
	.dma = dsmil_pci_dma,
	.dma_bus = dsmil_pci_dma_bus,
};

static irqreturn_t dsmil_pci_irq(int irq, void *data)
{
	struct dsmil_pci *p = data;
	u32 status;

	status = readl(p->bar + EDU_REG_IRQ_STATUS);
	/* Nothing pending (shared INTx), or the device is gone. */
	if (!status || status == 0xffffffff)
		return IRQ_NONE;
	writel(status, p->bar + EDU_REG_IRQ_ACK);
	if (status & EDU_IRQ_DMA)
		complete(&p->dma_done);
	dsmil_controller_event(p->ctrl, 0, status);
	return IRQ_HANDLED;
}

/* edu's liveness register reads back the inverse of what was written. */
static int dsmil_pci_liveness(struct dsmil_pci *p)
{
	u32 got;

	writel(DSMIL_LIVENESS_PATTERN, p->bar + EDU_REG_LIVENESS);
	got = readl(p->bar + EDU_REG_LIVENESS);
	if (got != (u32)~DSMIL_LIVENESS_PATTERN) {
		dev_err(&p->pdev->dev, "liveness check failed: wrote %#x, read %#x\n",
			DSMIL_LIVENESS_PATTERN, got);
		return -EIO;
	}
	return 0;
}

static int dsmil_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dsmil_controller *ctrl;
	struct dsmil_pci *p;
	resource_size_t len;
	u32 cmd;
	int ret;

	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_region(pdev, 0, KBUILD_MODNAME);
	if (ret)
		goto err_disable;

	len = pci_resource_len(pdev, 0);
	ctrl = dsmil_controller_alloc(&pdev->dev, &dsmil_pci_ops, len,
				      dsmil_window_size(len), sizeof(*p));
	if (!ctrl) {
		ret = -ENOMEM;
		goto err_release_region;
	}
	p = ctrl->priv;
	p->pdev = pdev;
	p->ctrl = ctrl;
	p->bar_start = pci_resource_start(pdev, 0);
	init_completion(&p->dma_done);
	p->dma_timeout_ms = EDU_DMA_TIMEOUT_MS;
	ctrl->dma_size = EDU_DMA_USABLE;
	ctrl->engine_start = EDU_REG_ENGINE_START;
	ctrl->engine_size = EDU_REG_ENGINE_END - EDU_REG_ENGINE_START;

	p->bar = pci_iomap(pdev, 0, 0);
	if (!p->bar) {
		ret = -ENOMEM;
		goto err_put_ctrl;
	}
	ret = dsmil_pci_liveness(p);
	if (ret)
		goto err_unmap;

	/* A transfer of a previous binding that timed out may still run. */
	ret = readl_poll_timeout(p->bar + EDU_REG_DMA_CMD, cmd,
				 !(cmd & EDU_DMA_CMD_START), 1000,
				 EDU_DMA_IDLE_WAIT_US);
	if (ret) {
		dev_err(&pdev->dev, "DMA engine still busy\n");
		goto err_unmap;
	}
	pci_set_master(pdev);
	ret = dma_set_mask_and_coherent(&pdev->dev,
					DMA_BIT_MASK(dsmil_params.pci_dma_bits));
	if (ret) {
		dev_err(&pdev->dev, "no DMA with a %u-bit mask: %d\n",
			dsmil_params.pci_dma_bits, ret);
		goto err_clear_master;
	}
	ctrl->dma_dev = &pdev->dev;
	p->bounce = dma_alloc_coherent(&pdev->dev, EDU_DMA_SIZE, &p->bounce_dma,
				       GFP_KERNEL);
	if (!p->bounce) {
		ret = -ENOMEM;
		goto err_clear_master;
	}

	ret = pci_alloc_irq_vectors(pdev, 1, 1,
				    PCI_IRQ_MSI | DSMIL_PCI_IRQ_INTX);
	if (ret < 0)
		goto err_free_bounce;
	p->irq = pci_irq_vector(pdev, 0);
	ret = request_irq(p->irq, dsmil_pci_irq,
			  pdev->msi_enabled ? 0 : IRQF_SHARED, KBUILD_MODNAME,
			  p);
	if (ret)
		goto err_free_vectors;

	ret = dsmil_controller_register(ctrl);
	if (ret)
		goto err_free_irq;
	/* Tests force a timeout by setting it below edu's 100 ms. */
	debugfs_create_u32("dma_timeout_ms", 0600, ctrl->debugfs,
			   &p->dma_timeout_ms);
	/* What went through the coherent buffer: tests check what did not. */
	debugfs_create_u64("dma_copied", 0400, ctrl->debugfs, &p->copied);
	pci_set_drvdata(pdev, ctrl);
	atomic_inc(&dsmil_pci_bound);
	dev_info(&pdev->dev, "%s: id %#x, liveness ok, %s irq %d, BAR0 %pR, %u-bit DMA\n",
		 dev_name(&ctrl->dev), readl(p->bar + EDU_REG_ID),
		 pdev->msi_enabled ? "MSI" : "INTx", p->irq,
		 &pdev->resource[0], dsmil_params.pci_dma_bits);
	return 0;

err_free_irq:
	free_irq(p->irq, p);
err_free_vectors:
	pci_free_irq_vectors(pdev);
err_free_bounce:
	dma_free_coherent(&pdev->dev, EDU_DMA_SIZE, p->bounce, p->bounce_dma);
err_clear_master:
	pci_clear_master(pdev);
err_unmap:
	pci_iounmap(pdev, p->bar);
err_put_ctrl:
	dsmil_controller_put(ctrl);
err_release_region:
	pci_release_region(pdev, 0);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

/*
 * Also the surprise-removal path (sysfs "remove", hot unplug): users may
 * hold devices; unregistering makes their later calls fail with -ENODEV
 * and waits for running ones before the hardware goes.
 */
static void dsmil_pci_remove(struct pci_dev *pdev)
{
	struct dsmil_controller *ctrl = pci_get_drvdata(pdev);
	struct dsmil_pci *p = ctrl->priv;

	dsmil_controller_unregister(ctrl);
	free_irq(p->irq, p);
	pci_free_irq_vectors(pdev);
	/* Nothing reaches the bounce buffer once mastering is off. */
	pci_clear_master(pdev);
	dma_free_coherent(&pdev->dev, EDU_DMA_SIZE, p->bounce, p->bounce_dma);
	pci_iounmap(pdev, p->bar);
	dsmil_controller_put(ctrl);
	pci_release_region(pdev, 0);
	pci_disable_device(pdev);
	atomic_dec(&dsmil_pci_bound);
}

static const struct pci_device_id dsmil_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU edu */
	{ }
};

static struct pci_driver dsmil_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = dsmil_pci_ids,
	.probe = dsmil_pci_probe,
	.remove = dsmil_pci_remove,
	/* start() must know whether a device bound when registration returns */
	.driver.probe_type = PROBE_FORCE_SYNCHRONOUS,
};

/**
 * dsmil_pci_start() - register the PCI driver and see whether it bound
 *
 * Probing is synchronous, so when pci_register_driver() returns every
 * supported device present has been probed.  Devices hot-plugged later
 * bind too, as long as the driver stays registered.
 *
 * Return: 0 if at least one device bound (the driver stays registered),
 * -ENODEV if none did (the driver is unregistered again), or the error of
 * pci_register_driver().
 */
int dsmil_pci_start(void)
{
	int ret;

	ret = pci_register_driver(&dsmil_pci_driver);
	if (ret)
		return ret;
	if (!atomic_read(&dsmil_pci_bound)) {
		pci_unregister_driver(&dsmil_pci_driver);
		return -ENODEV;
	}
	return 0;
}

/**
 * dsmil_pci_stop() - unbind every device and unregister the driver
 */
void dsmil_pci_stop(void)
{
	pci_unregister_driver(&dsmil_pci_driver);
	DSMIL_ASSERT(atomic_read(&dsmil_pci_bound) == 0);
}
