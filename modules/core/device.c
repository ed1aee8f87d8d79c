// SPDX-License-Identifier: GPL-2.0
/*
 * device.c - the exported device API: lookup, references, registers,
 * windows, DMA and the device notifier chain.
 *
 * Every call on a device checks, in this order: the controller is alive
 * (-ENODEV), the device has a window (-ENXIO), the arguments are in range
 * (-EINVAL, -ERANGE), then for operations that change the device: it is
 * not quarantined (-EPERM), a register write or writable window does not
 * reach the controller's own engine registers (-EACCES), DMA: the engine
 * has not failed (-EIO), and no thermal emergency is latched
 * (-DSMIL_THERMAL_ERRNO).  Only then does the backend run, inside an SRCU
 * read section that keeps the controller's hardware alive (controller.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/notifier.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "core.h"

static ATOMIC_NOTIFIER_HEAD(dsmil_device_chain);

/**
 * dsmil_notify_device() - call the device notifier chain
 * @event: what happened
 * @ddev: to which device
 * @value: event value, see struct dsmil_event_data
 *
 * Context: any.
 */
void dsmil_notify_device(enum dsmil_event event, struct dsmil_device *ddev,
			 u32 value)
{
	struct dsmil_event_data data = { .ddev = ddev, .value = value };

	atomic_notifier_call_chain(&dsmil_device_chain, event, &data);
}

/**
 * dsmil_register_device_notifier() - hear about devices
 * @nb: called with a DSMIL_EVENT_* action and a struct dsmil_event_data
 *
 * Callbacks run in atomic context (DSMIL_EVENT_IRQ from hard interrupts)
 * and must not sleep; in particular they must not call the register or
 * DMA functions.  Devices that exist when @nb is registered are not
 * replayed: use dsmil_device_iterate() for them.
 *
 * Return: 0.
 */
int dsmil_register_device_notifier(struct notifier_block *nb)
{
	return atomic_notifier_chain_register(&dsmil_device_chain, nb);
}
DSMIL_EXPORT(dsmil_register_device_notifier);

/**
 * dsmil_unregister_device_notifier() - stop hearing about devices
 * @nb: notifier given to dsmil_register_device_notifier()
 *
 * When this returns, @nb is not running and will not be called again.
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int dsmil_unregister_device_notifier(struct notifier_block *nb)
{
	return atomic_notifier_chain_unregister(&dsmil_device_chain, nb);
}
DSMIL_EXPORT(dsmil_unregister_device_notifier);

/**
 * dsmil_device_get() - take a user reference on a device
 * @ddev: the device
 *
 * A device with users is "active" in sysfs.  The memory of @ddev stays
 * valid until the matching dsmil_device_put(), even if its controller goes
 * away (calls then return -ENODEV).
 *
 * Context: any.
 * Return: @ddev.
 */
struct dsmil_device *dsmil_device_get(struct dsmil_device *ddev)
{
	get_device(&ddev->dev);
	atomic_inc(&ddev->users);
	return ddev;
}
DSMIL_EXPORT(dsmil_device_get);

/**
 * dsmil_device_put() - drop a reference taken by get or a lookup
 * @ddev: the device, or NULL
 *
 * Context: process context (may free the device).
 */
void dsmil_device_put(struct dsmil_device *ddev)
{
	if (!ddev)
		return;
	DSMIL_ASSERT(atomic_read(&ddev->users) > 0);
	atomic_dec(&ddev->users);
	put_device(&ddev->dev);
}
DSMIL_EXPORT(dsmil_device_put);

struct dsmil_pos {
	unsigned int group;
	unsigned int index;
};

static int dsmil_match_token(struct device *dev, const void *data)
{
	struct dsmil_device *ddev = to_dsmil_device(dev);

	return !READ_ONCE(ddev->ctrl->dead) && ddev->token == *(const u16 *)data;
}

static int dsmil_match_pos(struct device *dev, const void *data)
{
	const struct dsmil_pos *pos = data;
	struct dsmil_device *ddev = to_dsmil_device(dev);

	return !READ_ONCE(ddev->ctrl->dead) && ddev->group == pos->group &&
	       ddev->index == pos->index;
}

static struct dsmil_device *dsmil_find(const void *data,
				       int (*match)(struct device *dev,
						    const void *data))
{
	struct device *dev;
	struct dsmil_device *ddev;

	dev = bus_find_device(&dsmil_bus_type, NULL, data, match);
	if (!dev)
		return NULL;
	/* bus_find_device() took the device reference; add the user. */
	ddev = to_dsmil_device(dev);
	atomic_inc(&ddev->users);
	return ddev;
}

/**
 * dsmil_device_find() - look a device up by token
 * @token: token id (DSMIL_TOKEN_BASE + group * devices_per_group + index)
 *
 * With several controllers, the one registered first wins; iterate with
 * dsmil_device_iterate() to see them all.
 *
 * Context: process context.
 * Return: the device with a user reference (release with
 * dsmil_device_put()), or NULL if no live controller has @token.
 */
struct dsmil_device *dsmil_device_find(u16 token)
{
	return dsmil_find(&token, dsmil_match_token);
}
DSMIL_EXPORT(dsmil_device_find);

/**
 * dsmil_device_find_by_pos() - look a device up by group and index
 * @group: group number
 * @index: index within the group
 *
 * Context: process context.
 * Return: as dsmil_device_find().
 */
struct dsmil_device *dsmil_device_find_by_pos(unsigned int group,
					      unsigned int index)
{
	struct dsmil_pos pos = { .group = group, .index = index };

	return dsmil_find(&pos, dsmil_match_pos);
}
DSMIL_EXPORT(dsmil_device_find_by_pos);

struct dsmil_iter {
	dsmil_device_fn fn;
	void *data;
};

static int dsmil_iter_one(struct device *dev, void *data)
{
	struct dsmil_iter *it = data;

	return it->fn(to_dsmil_device(dev), it->data);
}

/**
 * dsmil_device_iterate() - call a function for every registered device
 * @fn: called with each device (valid during the call; take a reference
 *	with dsmil_device_get() to keep it); a non-zero return stops the walk
 * @data: passed to @fn
 *
 * Devices come in registration order: controller by controller, token by
 * token.
 *
 * Context: process context.
 * Return: 0, or the first non-zero value @fn returned.
 */
int dsmil_device_iterate(dsmil_device_fn fn, void *data)
{
	struct dsmil_iter it = { .fn = fn, .data = data };

	return bus_for_each_dev(&dsmil_bus_type, NULL, &it, dsmil_iter_one);
}
DSMIL_EXPORT(dsmil_device_iterate);

static int dsmil_check_reg(struct dsmil_device *ddev, u32 offset)
{
	if (ddev->absent)
		return -ENXIO;
	if (offset & 3)
		return -EINVAL;
	if (offset >= ddev->mmio_size || ddev->mmio_size - offset < 4)
		return -ERANGE;
	return 0;
}

/*
 * Do @len bytes at @offset of @ddev's window hold registers of the
 * controller's own engine (ctrl->engine_start, engine_size)?
 */
static bool dsmil_engine_overlaps(struct dsmil_device *ddev, u32 offset,
				  u64 len)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	u64 start = dsmil_window_offset(ddev) + offset;

	return ctrl->engine_size &&
	       start < ctrl->engine_start + ctrl->engine_size &&
	       ctrl->engine_start < start + len;
}

/*
 * One register access under the controller's SRCU: a read, or (@write) a
 * write, which also needs the device out of quarantine, a register that
 * the controller's engine does not own and no thermal emergency.
 */
static int dsmil_reg_access(struct dsmil_device *ddev, u32 offset, u32 *val,
			    bool write)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	int idx, ret;

	might_sleep();
	idx = srcu_read_lock(&dsmil_srcu);
	if (READ_ONCE(ctrl->dead))
		ret = -ENODEV;
	else
		ret = dsmil_check_reg(ddev, offset);
	if (!ret && write && ddev->quarantined)
		ret = -EPERM;
	if (!ret && write && dsmil_engine_overlaps(ddev, offset, 4))
		ret = -EACCES;
	if (!ret && write)
		ret = dsmil_thermal_guard();
	if (!ret)
		ret = write ? ctrl->ops->write32(ctrl, ddev, offset, *val) :
			      ctrl->ops->read32(ctrl, ddev, offset, val);
	srcu_read_unlock(&dsmil_srcu, idx);
	return ret;
}

/**
 * dsmil_dev_read32() - read a 32-bit register of a device
 * @ddev: the device (a reference held)
 * @offset: byte offset in the device's window, a multiple of 4
 * @val: receives the value
 *
 * Reads are not guarded: they work on quarantined devices and during a
 * thermal emergency.
 *
 * Context: process context; may sleep (the platform backend maps chunks).
 * Return: 0; -ENODEV if the controller is gone, -ENXIO if the device is
 * absent, -EINVAL if @offset is misaligned, -ERANGE if it is outside the
 * window, or a backend error (-ENOMEM mapping a chunk).
 */
int dsmil_dev_read32(struct dsmil_device *ddev, u32 offset, u32 *val)
{
	return dsmil_reg_access(ddev, offset, val, false);
}
DSMIL_EXPORT(dsmil_dev_read32);

/**
 * dsmil_dev_write32() - write a 32-bit register of a device (guarded)
 * @ddev: the device (a reference held)
 * @offset: byte offset in the device's window, a multiple of 4
 * @val: the value
 *
 * Context: process context; may sleep.
 * Return: 0; the errors of dsmil_dev_read32(), or -EPERM if the device is
 * quarantined, -EACCES if the register belongs to the controller's own
 * engine (pci: edu's interrupt and DMA registers in the window of device
 * (0, 0)), -DSMIL_THERMAL_ERRNO (-EHOSTDOWN) during a thermal emergency.
 */
int dsmil_dev_write32(struct dsmil_device *ddev, u32 offset, u32 val)
{
	return dsmil_reg_access(ddev, offset, &val, true);
}
DSMIL_EXPORT(dsmil_dev_write32);

static int dsmil_window(struct dsmil_device *ddev, struct dsmil_window *win,
			bool read_only)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	int idx, ret = 0;

	idx = srcu_read_lock(&dsmil_srcu);
	if (READ_ONCE(ctrl->dead))
		ret = -ENODEV;
	else if (ddev->absent)
		ret = -ENXIO;
	else if (ddev->quarantined && !read_only)
		ret = -EPERM;
	else if (!read_only && dsmil_engine_overlaps(ddev, 0, ddev->mmio_size))
		ret = -EACCES;
	else if (!ctrl->ops->window)
		ret = -EOPNOTSUPP;
	else
		ret = ctrl->ops->window(ctrl, ddev, win);
	srcu_read_unlock(&dsmil_srcu, idx);
	return ret;
}

/**
 * dsmil_dev_window() - where a device's register window is, for mmap
 * @ddev: the device (a reference held)
 * @win: receives the physical address and size
 *
 * Quarantined devices are refused, and so is a window that holds
 * registers of the controller's own engine (pci: device (0, 0)): their
 * windows are only handed out by dsmil_dev_window_readonly(), for mappings
 * without write access.
 *
 * Context: any.
 * Return: 0; -ENODEV, -ENXIO as dsmil_dev_read32(); -EPERM if quarantined;
 * -EACCES if the window holds engine registers; -EOPNOTSUPP if the backend
 * has no physical windows (emu).
 */
int dsmil_dev_window(struct dsmil_device *ddev, struct dsmil_window *win)
{
	return dsmil_window(ddev, win, false);
}
DSMIL_EXPORT(dsmil_dev_window);

/**
 * dsmil_dev_window_readonly() - dsmil_dev_window() for a read-only mapping
 * @ddev: the device (a reference held)
 * @win: receives the physical address and size
 *
 * Also hands out the window of a quarantined device and the window that
 * holds engine registers: the caller promises
 * to map it without write access (no PROT_WRITE, VM_MAYWRITE cleared), so
 * that nothing writes the device through the mapping.
 *
 * Context: any.
 * Return: 0; -ENODEV, -ENXIO, -EOPNOTSUPP as dsmil_dev_window().
 */
int dsmil_dev_window_readonly(struct dsmil_device *ddev,
			      struct dsmil_window *win)
{
	return dsmil_window(ddev, win, true);
}
DSMIL_EXPORT(dsmil_dev_window_readonly);

/**
 * dsmil_dev_dma_size() - size of the device memory of a device's controller
 * @ddev: the device (a reference held)
 * @size: receives the number of bytes dsmil_dev_dma() can address
 *
 * Context: any.
 * Return: 0; -ENODEV if the controller is gone; -EOPNOTSUPP if it has no
 * DMA engine (platform backend).
 */
int dsmil_dev_dma_size(struct dsmil_device *ddev, size_t *size)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	int idx, ret = 0;

	idx = srcu_read_lock(&dsmil_srcu);
	if (READ_ONCE(ctrl->dead))
		ret = -ENODEV;
	else if (!ctrl->ops->dma)
		ret = -EOPNOTSUPP;
	else
		*size = ctrl->dma_size;
	srcu_read_unlock(&dsmil_srcu, idx);
	return ret;
}
DSMIL_EXPORT(dsmil_dev_dma_size);

/*
 * One transfer of the engine of @ddev's controller: from or to the kernel
 * buffer @buf (ops->dma), or from or to bus address @addr (ops->dma_bus)
 * if @buf is NULL.
 */
static int dsmil_dev_dma_run(struct dsmil_device *ddev,
			     enum dsmil_dma_dir dir, u32 dev_offset, void *buf,
			     dma_addr_t addr, size_t len)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	int idx, ret;

	might_sleep();
	if (dir != DSMIL_DMA_TO_DEVICE && dir != DSMIL_DMA_FROM_DEVICE)
		return -EINVAL;
	if (!len)
		return -EINVAL;

	idx = srcu_read_lock(&dsmil_srcu);
	if (READ_ONCE(ctrl->dead))
		ret = -ENODEV;
	else if (ddev->absent)
		ret = -ENXIO;
	else if (buf ? !ctrl->ops->dma : !ctrl->ops->dma_bus)
		ret = -EOPNOTSUPP;
	else if (dev_offset >= ctrl->dma_size ||
		 len > ctrl->dma_size - dev_offset)
		ret = -ERANGE;
	else
		ret = 0;
	if (ret)
		goto out_unlock;

	if (mutex_lock_interruptible(&ctrl->dma_lock)) {
		ret = -EINTR;
		goto out_unlock;
	}
	/*
	 * The policies are judged under the lock, right before the engine
	 * runs: a transfer may have waited here behind others while the
	 * engine failed or an emergency was latched.
	 */
	if (READ_ONCE(ctrl->failed))
		ret = -EIO;
	else if (ddev->quarantined)
		ret = -EPERM;
	else
		ret = dsmil_thermal_guard();
	if (!ret && buf)
		ret = ctrl->ops->dma(ctrl, dir, dev_offset, buf, len);
	else if (!ret)
		ret = ctrl->ops->dma_bus(ctrl, dir, dev_offset, addr, len);
	mutex_unlock(&ctrl->dma_lock);
out_unlock:
	srcu_read_unlock(&dsmil_srcu, idx);
	return ret;
}

/**
 * dsmil_dev_dma() - copy with the DMA engine of a device's controller
 * @ddev: the device on whose behalf (a reference held)
 * @dir: DSMIL_DMA_TO_DEVICE or DSMIL_DMA_FROM_DEVICE
 * @dev_offset: byte offset in the controller's device memory
 * @buf: kernel buffer (any kernel memory; the backend bounces it)
 * @len: bytes to copy, 1 .. device memory size - @dev_offset
 *
 * Both directions are guarded by the thermal guard.  The device memory is
 * the controller's, shared by all its devices: a quarantined @ddev is cut
 * off from it in both directions (-EPERM), so nothing a sibling writes
 * there reaches a quarantined device through the suite.  Transfers of a controller
 * are serialized; the guard, the quarantine and the engine's health are
 * checked with the controller's DMA lock held, right before the engine
 * runs, not before waiting for the lock.  The pci backend completes a
 * transfer by interrupt and gives up after one second (debugfs
 * dsmil<N>/dma_timeout_ms); a timeout stops the engine and fails the
 * controller's DMA until the controller is reset (the PCI device rebound).
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL for a bad @dir or @len 0, -ERANGE past the device
 * memory, -ENODEV, -ENXIO, -EOPNOTSUPP (no DMA engine), -EINTR if
 * interrupted while waiting for another transfer, -EIO if the engine
 * failed before (a timeout, until reset), -EPERM, -DSMIL_THERMAL_ERRNO,
 * -ETIMEDOUT or -EIO from the engine.
 */
int dsmil_dev_dma(struct dsmil_device *ddev, enum dsmil_dma_dir dir,
		  u32 dev_offset, void *buf, size_t len)
{
	if (!buf)
		return -EINVAL;
	return dsmil_dev_dma_run(ddev, dir, dev_offset, buf, 0, len);
}
DSMIL_EXPORT(dsmil_dev_dma);

/**
 * dsmil_dev_dma_bus() - have the engine of a device's controller DMA
 *	straight from or into host memory
 * @ddev: the device on whose behalf (a reference held)
 * @dir: DSMIL_DMA_TO_DEVICE (host memory -> device memory) or
 *	DSMIL_DMA_FROM_DEVICE (device memory -> host memory)
 * @dev_offset: byte offset in the controller's device memory
 * @addr: bus address of the host memory, from a streaming mapping made on
 *	dsmil_dev_dma_device() and owned by the device for this call
 *	(dma_sync_*_for_device() before, dma_sync_*_for_cpu() after a
 *	DSMIL_DMA_FROM_DEVICE transfer)
 * @len: bytes, 1 .. device memory size - @dev_offset; @addr .. @addr +
 *	@len - 1 must be one contiguous piece of the mapping
 *
 * The engine itself masters the bus: nothing is copied by the CPU.  The
 * checks, serialization and failure handling are those of dsmil_dev_dma().
 *
 * Context: process context; sleeps.
 * Return: as dsmil_dev_dma(); -EOPNOTSUPP if no device of the controller
 * masters the bus (emu, platform).
 */
int dsmil_dev_dma_bus(struct dsmil_device *ddev, enum dsmil_dma_dir dir,
		      u32 dev_offset, dma_addr_t addr, size_t len)
{
	return dsmil_dev_dma_run(ddev, dir, dev_offset, NULL, addr, len);
}
DSMIL_EXPORT(dsmil_dev_dma_bus);

/*
 * dsmil_dev_dma_sg() where a device of the controller masters the bus:
 * @sgl mapped on @dma_dev, each mapped segment one transfer of the engine
 * straight from or into its pages.  The SRCU read lock is held from the
 * mapping to the unmapping, so that the controller's unregistration (and
 * the release of @dma_dev's driver after it) waits for the unmapping.
 * -EAGAIN if the pages cannot be mapped for the device (a mask narrower
 * than their addresses, no IOMMU or swiotlb to help): the caller copies.
 */
static int dsmil_dev_dma_sg_bus(struct dsmil_device *ddev,
				struct device *dma_dev, enum dsmil_dma_dir dir,
				u32 dev_offset, struct scatterlist *sgl,
				unsigned int nents, size_t len)
{
	enum dma_data_direction ddir = dir == DSMIL_DMA_TO_DEVICE ?
				       DMA_TO_DEVICE : DMA_FROM_DEVICE;
	struct scatterlist *sg;
	size_t done = 0, n;
	int idx, mapped, i, ret = 0;

	idx = srcu_read_lock(&dsmil_srcu);
	if (READ_ONCE(ddev->ctrl->dead)) {
		ret = -ENODEV;
		goto out_unlock;
	}
	mapped = dma_map_sg(dma_dev, sgl, nents, ddir);
	if (!mapped) {
		ret = -EAGAIN;
		goto out_unlock;
	}
	for_each_sg(sgl, sg, mapped, i) {
		if (done == len)
			break;
		n = min_t(size_t, sg_dma_len(sg), len - done);
		ret = dsmil_dev_dma_run(ddev, dir, dev_offset + done, NULL,
					sg_dma_address(sg), n);
		if (ret)
			break;
		done += n;
	}
	dma_unmap_sg(dma_dev, sgl, nents, ddir);
out_unlock:
	srcu_read_unlock(&dsmil_srcu, idx);
	return ret;
}

/**
 * dsmil_dev_dma_sg() - dsmil_dev_dma() from or to a scatterlist
 * @ddev: as dsmil_dev_dma()
 * @dir: as dsmil_dev_dma()
 * @dev_offset: as dsmil_dev_dma()
 * @sgl: the scatterlist, of pages the DMA API can map (not vmalloc or
 *	stack memory); not mapped by the caller
 * @nents: number of entries of @sgl
 * @len: bytes to move; @sgl must hold at least that many
 *
 * Where a device of the controller masters the bus (pci), @sgl is mapped
 * on it (dsmil_dev_dma_device()) and the engine moves each mapped segment
 * straight from or into the pages, through whatever IOMMU or swiotlb the
 * platform puts there: nothing is copied by the CPU.  Elsewhere (emu,
 * platform), or when the pages cannot be mapped for the device, the data
 * moves in pieces of at most PAGE_SIZE through a kernel buffer, each a
 * dsmil_dev_dma().  Every transfer has dsmil_dev_dma()'s checks; a failure
 * stops the transfer with part of it done.
 *
 * Context: process context; sleeps.
 * Return: as dsmil_dev_dma(); -EINVAL if @sgl is shorter than @len,
 * -ENOMEM.
 */
int dsmil_dev_dma_sg(struct dsmil_device *ddev, enum dsmil_dma_dir dir,
		     u32 dev_offset, struct scatterlist *sgl,
		     unsigned int nents, size_t len)
{
	struct scatterlist *sg;
	struct device *dma_dev;
	size_t done, n, total = 0;
	void *bounce;
	unsigned int i;
	int ret = 0;

	if (!len || len > U32_MAX)
		return -EINVAL;
	if (dir != DSMIL_DMA_TO_DEVICE && dir != DSMIL_DMA_FROM_DEVICE)
		return -EINVAL;
	for_each_sg(sgl, sg, nents, i)
		total += sg->length;
	if (total < len)
		return -EINVAL;

	dma_dev = dsmil_dev_dma_device(ddev);
	if (!IS_ERR(dma_dev)) {
		ret = dsmil_dev_dma_sg_bus(ddev, dma_dev, dir, dev_offset, sgl,
					   nents, len);
		put_device(dma_dev);
		if (ret != -EAGAIN)
			return ret;
		ret = 0;
	} else if (PTR_ERR(dma_dev) != -EOPNOTSUPP) {
		return PTR_ERR(dma_dev);
	}

	bounce = kmalloc(min_t(size_t, len, PAGE_SIZE), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	for (done = 0; done < len; done += n) {
		n = min_t(size_t, len - done, PAGE_SIZE);
		if (dir == DSMIL_DMA_TO_DEVICE &&
		    sg_pcopy_to_buffer(sgl, nents, bounce, n, done) != n) {
			ret = -EINVAL;
			break;
		}
		ret = dsmil_dev_dma(ddev, dir, dev_offset + done, bounce, n);
		if (ret)
			break;
		if (dir == DSMIL_DMA_FROM_DEVICE &&
		    sg_pcopy_from_buffer(sgl, nents, bounce, n, done) != n) {
			ret = -EINVAL;
			break;
		}
	}
	kfree(bounce);
	return ret;
}
DSMIL_EXPORT(dsmil_dev_dma_sg);

/**
 * dsmil_dev_dma_device() - the device that masters the bus for a device's
 *	controller, to map host memory on
 * @ddev: the device (a reference held)
 *
 * Streaming DMA mappings (dma_map_sgtable() and friends) of host memory
 * that dsmil_dev_dma_bus() moves are made for this device: the pci
 * backend's pci_dev, with the DMA mask its module parameter pci_dma_bits
 * sets, behind whatever IOMMU or swiotlb the platform puts there.  The
 * addresses of such a mapping are valid for that device only.
 *
 * Context: any.
 * Return: the device with a reference (put_device() it);
 * ERR_PTR(-EOPNOTSUPP) if no device of the controller masters the bus
 * (emu, platform: data moves with the CPU), ERR_PTR(-ENODEV) if the
 * controller is gone.
 */
struct device *dsmil_dev_dma_device(struct dsmil_device *ddev)
{
	struct dsmil_controller *ctrl = ddev->ctrl;
	struct device *dev;
	int idx;

	idx = srcu_read_lock(&dsmil_srcu);
	if (READ_ONCE(ctrl->dead))
		dev = ERR_PTR(-ENODEV);
	else if (!ctrl->dma_dev || !ctrl->ops->dma_bus)
		dev = ERR_PTR(-EOPNOTSUPP);
	else
		dev = get_device(ctrl->dma_dev);
	srcu_read_unlock(&dsmil_srcu, idx);
	return dev;
}
DSMIL_EXPORT(dsmil_dev_dma_device);
