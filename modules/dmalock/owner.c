// SPDX-License-Identifier: GPL-2.0
/*
 * owner.c - owners, their handle tables and the exported lock API.
 *
 * An owner belongs to one struct file.  Each lock is a struct dmalock_buf
 * in the owner's xarray under a u32 handle, reference counted: the table
 * holds one reference, every running operation (query, sync, xfer) one
 * more, the devres entry of its DMA mapping one (map.c), and the last put
 * tears the lock down in reverse order of dmalock_buf_create().
 * dsmil_dma_owner_release() drops the table's references and releases
 * the devres entries, so a lock outlives its owner only while the DMA
 * device's driver unbinding is unmapping it at that very moment (it then
 * goes when the unbinding drops its reference; the lock holds its own
 * mmgrab() and credentials for that, and the entry a reference on this
 * module, so dsmil_dmalock cannot be unloaded before).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "internal.h"

static void dmalock_buf_release(struct kref *ref)
{
	struct dmalock_buf *buf = container_of(ref, struct dmalock_buf, ref);

	dmalock_unmap(buf);
	dmalock_unpin(buf);
	dmalock_unaccount(buf);
	if (buf->reserved)
		atomic64_sub(buf->len, &dmalock_counters.locked_bytes);
	if (buf->dma_dev)
		put_device(buf->dma_dev);
	dsmil_device_put(buf->ddev);
	mmdrop(buf->mm);
	kfree(buf);
}

/**
 * dmalock_buf_put() - drop a reference to a lock
 * @buf: the lock; the last reference unmaps, unpins and unaccounts it
 *
 * Context: process context; may sleep.
 */
void dmalock_buf_put(struct dmalock_buf *buf)
{
	kref_put(&buf->ref, dmalock_buf_release);
}

/**
 * dmalock_buf_get() - look a handle up and take a reference
 * @owner: the owner
 * @handle: the handle
 *
 * Return: the lock (release with dmalock_buf_put()) or NULL.
 */
struct dmalock_buf *dmalock_buf_get(struct dsmil_dma_owner *owner, u32 handle)
{
	struct dmalock_buf *buf;

	mutex_lock(&owner->lock);
	buf = xa_load(&owner->bufs, handle);
	if (buf)
		kref_get(&buf->ref);
	mutex_unlock(&owner->lock);
	return buf;
}

/**
 * dsmil_dma_owner_create() - create the owner context of an open file
 * @filp: the file; call dsmil_dma_owner_release() from its ->release
 *
 * Records the calling process's mm: only that mm's memory can be locked
 * through this owner.  The owner holds a reference on dsmil_dmalock, so
 * the module cannot be unloaded while an owner exists.
 *
 * Context: process context of a user process.
 * Return: the owner, ERR_PTR(-EINVAL) without a user mm (kernel thread),
 * ERR_PTR(-ENOMEM).
 */
struct dsmil_dma_owner *dsmil_dma_owner_create(struct file *filp)
{
	struct dsmil_dma_owner *owner;

	if (!current->mm)
		return ERR_PTR(-EINVAL);
	owner = kzalloc(sizeof(*owner), GFP_KERNEL_ACCOUNT);
	if (!owner)
		return ERR_PTR(-ENOMEM);
	mutex_init(&owner->lock);
	xa_init_flags(&owner->bufs, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&owner->claims);
	owner->filp = filp;
	owner->mm = current->mm;
	mmgrab(owner->mm);
	__module_get(THIS_MODULE);
	atomic64_inc(&dmalock_counters.owners);
	return owner;
}
DSMIL_EXPORT(dsmil_dma_owner_create);

/**
 * dsmil_dma_owner_release() - release everything an owner holds, free it
 * @owner: from dsmil_dma_owner_create(), or NULL
 *
 * Unlocks every buffer (unmap, unpin - pages the device may have written
 * are marked dirty -, unaccount from the mm recorded at creation) and
 * releases every claim, waking waiters.  Call it from the file's
 * ->release (not ->flush): it then runs once, after the last reference to
 * the file is gone, also when the process was killed or the file was
 * inherited; it may run in another task than the one that locked.
 *
 * Context: process context; no other call on @owner may run or follow.
 */
void dsmil_dma_owner_release(struct dsmil_dma_owner *owner)
{
	struct dmalock_buf *buf;
	unsigned long handle;

	if (!owner)
		return;
	dmalock_owner_release_claims(owner);
	xa_for_each(&owner->bufs, handle, buf) {
		xa_erase(&owner->bufs, handle);
		atomic64_dec(&dmalock_counters.handles);
		dmalock_detach(buf);
		dmalock_buf_put(buf);
		cond_resched();
	}
	xa_destroy(&owner->bufs);
	mmdrop(owner->mm);
	atomic64_dec(&dmalock_counters.owners);
	kfree(owner);
	module_put(THIS_MODULE);
}
DSMIL_EXPORT(dsmil_dma_owner_release);

static bool dmalock_dir_valid(enum dsmil_dma_lock_dir dir)
{
	return dir == DSMIL_DMA_LOCK_TO_DEVICE ||
	       dir == DSMIL_DMA_LOCK_FROM_DEVICE ||
	       dir == DSMIL_DMA_LOCK_BIDIRECTIONAL;
}

/* Add @len to the global locked bytes unless max_locked_mb is exceeded. */
static int dmalock_reserve(struct dmalock_buf *buf)
{
	u64 cap = (u64)dmalock_max_locked_mb << 20;

	if (atomic64_add_return(buf->len, &dmalock_counters.locked_bytes) >
	    cap) {
		atomic64_sub(buf->len, &dmalock_counters.locked_bytes);
		return -ENOSPC;
	}
	buf->reserved = true;
	return 0;
}

/* Everything of a lock but the handle; undone by dmalock_buf_release(). */
static int dmalock_buf_build(struct dmalock_buf *buf)
{
	int ret;

	ret = dmalock_reserve(buf);
	if (ret)
		return ret;
	ret = dmalock_check_vmas(buf->mm, buf->uaddr, buf->len);
	if (ret)
		return ret;
	/* No device masters the bus (emu, platform): a CPU-only lock. */
	buf->dma_dev = dsmil_dev_dma_device(buf->ddev);
	if (IS_ERR(buf->dma_dev)) {
		ret = PTR_ERR(buf->dma_dev);
		buf->dma_dev = NULL;
		if (ret != -EOPNOTSUPP)
			return ret;
	}
	ret = dmalock_account(buf);
	if (ret)
		return ret;
	ret = dmalock_pin(buf);
	if (ret)
		return ret;
	return dmalock_map(buf);
}

/**
 * dsmil_dma_lock() - lock a user buffer for DMA by a controller
 * @owner: the owner; current->mm must be the owner's mm
 * @uaddr: start of the buffer, page-aligned
 * @len: bytes, a non-zero multiple of PAGE_SIZE
 * @dir: what the device does with the buffer
 * @token: a device of the controller whose DMA device the buffer is
 *	mapped for (and whose engine dsmil_dma_xfer() uses)
 * @handle: receives the handle (1 .. INT_MAX, unique within @owner)
 *
 * In this order: validates the arguments, checks the caps, refuses shared
 * file mappings that cannot be pinned long-term (one pr_debug line),
 * charges the pages to RLIMIT_MEMLOCK of the locking user (its
 * user_struct's locked_vm, shared by all its processes, as io_uring and
 * RDMA charge it; not with CAP_IPC_LOCK) and counts them in the owner's
 * mm (account_locked_vm()), pins them with
 * pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM) in batches, builds a scatterlist in which physically contiguous pages
 * share a segment and maps it with dma_map_sgtable() on the device that
 * masters the bus for the controller (none: a CPU-only lock, not mapped).
 * Any failure undoes
 * every earlier step.  The buffer stays locked when the process unmaps
 * it: the pages stay pinned until unlock.
 *
 * Context: process context of the owner's process; sleeps.
 * Return: 0; -EPERM if current->mm is not the owner's; -EINVAL for a bad
 * @dir, @len 0, a misaligned @uaddr or @len, a range that overflows or
 * ends past the user address space; -E2BIG if @len exceeds max_locked_mb;
 * -EMFILE if @owner holds max_handles locks; -ENOSPC if max_locked_mb
 * would be exceeded; -ENODEV if no live device has @token; -EFAULT if
 * part of the range is not mapped; -EOPNOTSUPP if part of it is a shared
 * file mapping with writeback (not shmem, hugetlbfs, ramfs); -ENOMEM if
 * RLIMIT_MEMLOCK would be exceeded without CAP_IPC_LOCK, or no memory;
 * -EINTR on a fatal signal; -EBUSY if @dir is not TO_DEVICE and a page of
 * the range is in another such lock (any owner: the DMA API does not
 * support overlapping mappings the device writes) or twice in the range;
 * an error of dma_map_sgtable().
 */
int dsmil_dma_lock(struct dsmil_dma_owner *owner, unsigned long uaddr,
		   size_t len, enum dsmil_dma_lock_dir dir, u16 token,
		   u32 *handle)
{
	struct dmalock_buf *buf;
	u32 id;
	int ret;

	might_sleep();
	if (current->mm != owner->mm)
		return -EPERM;
	if (!dmalock_dir_valid(dir))
		return -EINVAL;
	ret = dmalock_check_range(uaddr, len);
	if (ret)
		return ret;
	if (len > ((size_t)dmalock_max_locked_mb << 20))
		return -E2BIG;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL_ACCOUNT);
	if (!buf)
		return -ENOMEM;
	kref_init(&buf->ref);
	mutex_init(&buf->map_lock);
	buf->uaddr = uaddr;
	buf->len = len;
	buf->nr_pages = len >> PAGE_SHIFT;
	buf->dir = dir;
	buf->ddev = dsmil_device_find(token);
	if (!buf->ddev) {
		kfree(buf);
		return -ENODEV;
	}
	/* Its own: the lock may outlive the owner (see map.c, devres). */
	buf->mm = owner->mm;
	mmgrab(buf->mm);

	/* Claim a slot first: a full table costs nothing to refuse. */
	mutex_lock(&owner->lock);
	if (owner->nr_bufs >= dmalock_max_handles) {
		mutex_unlock(&owner->lock);
		ret = -EMFILE;
		goto err_put_buf;
	}
	owner->nr_bufs++;
	mutex_unlock(&owner->lock);

	ret = dmalock_buf_build(buf);
	if (ret)
		goto err_release_slot;

	/*
	 * Cyclic: a handle just unlocked is not given out again at once, so a
	 * stale one names no buffer rather than another one (1 = wrapped).
	 */
	ret = xa_alloc_cyclic(&owner->bufs, &id, buf, xa_limit_31b,
			      &owner->next_handle, GFP_KERNEL_ACCOUNT);
	if (ret < 0)
		goto err_release_slot;
	buf->handle = id;
	*handle = id;
	atomic64_inc(&dmalock_counters.handles);
	atomic64_inc(&dmalock_counters.locks);
	return 0;

err_release_slot:
	dmalock_detach(buf);
	mutex_lock(&owner->lock);
	owner->nr_bufs--;
	mutex_unlock(&owner->lock);
err_put_buf:
	dmalock_buf_put(buf);
	return ret;
}
DSMIL_EXPORT(dsmil_dma_lock);

/**
 * dsmil_dma_unlock() - unlock a buffer
 * @owner: the owner
 * @handle: from dsmil_dma_lock()
 *
 * The handle is gone when this returns; the buffer is unmapped, unpinned
 * (marked dirty unless it was locked DSMIL_DMA_LOCK_TO_DEVICE) and
 * unaccounted as soon as no operation on it runs any more.
 *
 * Context: process context; sleeps.
 * Return: 0 or -ENOENT if @handle is not a lock of @owner.
 */
int dsmil_dma_unlock(struct dsmil_dma_owner *owner, u32 handle)
{
	struct dmalock_buf *buf;

	mutex_lock(&owner->lock);
	buf = xa_erase(&owner->bufs, handle);
	if (buf)
		owner->nr_bufs--;
	mutex_unlock(&owner->lock);
	if (!buf)
		return -ENOENT;
	atomic64_dec(&dmalock_counters.handles);
	dmalock_detach(buf);
	dmalock_buf_put(buf);
	return 0;
}
DSMIL_EXPORT(dsmil_dma_unlock);

/**
 * dsmil_dma_sync() - hand a locked buffer to the CPU or to the device
 * @owner: the owner
 * @handle: from dsmil_dma_lock()
 * @dir: DSMIL_DMA_SYNC_FOR_CPU before the CPU reads what the device
 *	wrote, DSMIL_DMA_SYNC_FOR_DEVICE before the device uses what the CPU
 *	wrote
 *
 * Transfers (dsmil_dma_xfer()) sync the pieces they move themselves; a
 * CPU-only lock (no device masters the bus) has nothing to sync.
 *
 * Context: process context.
 * Return: 0, -EINVAL for a bad @dir, -ENOENT for an unknown handle,
 * -ENODEV if the lock's DMA device went away.
 */
int dsmil_dma_sync(struct dsmil_dma_owner *owner, u32 handle,
		   enum dsmil_dma_sync_dir dir)
{
	struct dmalock_buf *buf;
	int ret;

	if (dir != DSMIL_DMA_SYNC_FOR_CPU && dir != DSMIL_DMA_SYNC_FOR_DEVICE)
		return -EINVAL;
	buf = dmalock_buf_get(owner, handle);
	if (!buf)
		return -ENOENT;
	ret = dmalock_sync(buf, dir);
	dmalock_buf_put(buf);
	return ret;
}
DSMIL_EXPORT(dsmil_dma_sync);

/**
 * dsmil_dma_query() - describe a lock and list its DMA segments
 * @owner: the owner
 * @handle: from dsmil_dma_lock()
 * @info: receives the description (info->nr_segments: all segments)
 * @segs: receives the first min(@max_segs, info->nr_segments) segments
 *	in buffer order; may be NULL if @max_segs is 0
 * @max_segs: room in @segs
 *
 * The addresses are those of the device that masters the bus for the
 * lock's controller (dsmil_dev_dma_device()), valid for it only.  A
 * CPU-only lock has none: its segments are the runs of contiguous pages,
 * each with DSMIL_DMA_NO_ADDR, and info->flags has
 * DSMIL_DMA_LOCK_CPU_ONLY.
 *
 * Context: process context.
 * Return: 0, -ENOENT for an unknown handle, -ENODEV if the lock's DMA
 * device went away (its mapping with it).
 */
int dsmil_dma_query(struct dsmil_dma_owner *owner, u32 handle,
		    struct dsmil_dma_lock_info *info,
		    struct dsmil_dma_segment *segs, unsigned int max_segs)
{
	struct dmalock_buf *buf;
	struct scatterlist *sg;
	unsigned int i;
	int ret = 0;

	buf = dmalock_buf_get(owner, handle);
	if (!buf)
		return -ENOENT;
	info->uaddr = buf->uaddr;
	info->len = buf->len;
	info->nr_pages = buf->nr_pages;
	info->nr_segments = buf->nr_segs;
	info->token = buf->ddev->token;
	info->dir = buf->dir;
	info->flags = 0;
	if (!buf->dma_dev) {
		info->flags |= DSMIL_DMA_LOCK_CPU_ONLY;
		for_each_sgtable_sg(&buf->sgt, sg, i) {
			if (i >= max_segs)
				break;
			segs[i].dma_addr = DSMIL_DMA_NO_ADDR;
			segs[i].len = sg->length;
		}
		goto out_put;
	}
	mutex_lock(&buf->map_lock);
	if (!buf->mapped) {
		ret = -ENODEV;
	} else {
		if (buf->bounced)
			info->flags |= DSMIL_DMA_LOCK_BOUNCED;
		for_each_sgtable_dma_sg(&buf->sgt, sg, i) {
			if (i >= max_segs)
				break;
			segs[i].dma_addr = sg_dma_address(sg);
			segs[i].len = sg_dma_len(sg);
		}
	}
	mutex_unlock(&buf->map_lock);
out_put:
	dmalock_buf_put(buf);
	return ret;
}
DSMIL_EXPORT(dsmil_dma_query);
