// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - user buffers locked for device DMA (dsmil_dmalock):
 * DSMIL_IOC_DMA_LOCK, _UNLOCK, _SYNC, _QUERY, _XFER, _CLAIM and _RELEASE.
 *
 * Each open ctl file is one dmalock owner: its locks and claims belong to
 * the file and are released when it is released (process exit included).
 * Locking a buffer, moving it and claiming a DMA engine need CAP_SYS_RAWIO
 * and a file open for writing; locking and moving are refused under kernel
 * lockdown (a device reading and writing memory behind the kernel's back,
 * as /dev/mem would); unlock, sync, query and release only touch
 * the file's own handles.  dsmil_dmalock's errnos come back unchanged
 * (include/dsmil/dmalock.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <dsmil/dmalock.h>

#include "frontend.h"

/* A 1.0 DMA_QUERY reports the lock's direction as is. */
static_assert(DSMIL_LOCK_TO_DEVICE == DSMIL_DMA_LOCK_TO_DEVICE);
static_assert(DSMIL_LOCK_FROM_DEVICE == DSMIL_DMA_LOCK_FROM_DEVICE);
static_assert(DSMIL_LOCK_BIDIRECTIONAL == DSMIL_DMA_LOCK_BIDIRECTIONAL);
static_assert(sizeof(struct dsmil_dma_segment) ==
	      sizeof(struct dsmil_dma_segment_entry));
static_assert(sizeof(struct dsmil_dma_segment_entry) ==
	      DSMIL_DMA_SEGMENT_ENTRY_SIZE_VER0);
static_assert(offsetof(struct dsmil_dma_segment, len) ==
	      offsetof(struct dsmil_dma_segment_entry, length));

static struct dsmil_dma_owner *dsmil_fe_owner(struct file *filp)
{
	struct dsmil_fe_ctl *ctl = filp->private_data;

	return ctl->dma_owner;
}

static int dsmil_fe_ioc_dma_lock(struct file *filp, void *p)
{
	struct dsmil_dma_lock_args *a = p;
	int dir, ret = dsmil_fe_check_dma_lock(a);

	if (ret)
		return ret;
	dir = dsmil_fe_lock_dir(a->dir);
	if (dir < 0)
		return dir;
	return dsmil_dma_lock(dsmil_fe_owner(filp), a->addr, a->length, dir,
			      a->token, &a->handle);
}

static int dsmil_fe_ioc_dma_unlock(struct file *filp, void *p)
{
	struct dsmil_dma_handle_args *a = p;

	if (a->flags || a->reserved)
		return -EINVAL;
	return dsmil_dma_unlock(dsmil_fe_owner(filp), a->handle);
}

static int dsmil_fe_ioc_dma_sync(struct file *filp, void *p)
{
	struct dsmil_dma_sync_args *a = p;
	int ret = dsmil_fe_check_dma_sync(a);

	if (ret)
		return ret;
	return dsmil_dma_sync(dsmil_fe_owner(filp), a->handle,
			      a->dir == DSMIL_SYNC_FOR_CPU ?
			      DSMIL_DMA_SYNC_FOR_CPU : DSMIL_DMA_SYNC_FOR_DEVICE);
}

static int dsmil_fe_ioc_dma_query(struct file *filp, void *p)
{
	struct dsmil_dma_query_args *a = p;
	struct dsmil_dma_owner *owner = dsmil_fe_owner(filp);
	struct dsmil_dma_segment *segs = NULL;
	struct dsmil_dma_lock_info info;
	unsigned int n;
	int ret, stride;

	if ((a->flags & ~DSMIL_QUERY_DIR) || a->reserved || a->reserved2 ||
	    a->reserved3)
		return -EINVAL;
	stride = dsmil_fe_entry_size(a->entry_size,
				     DSMIL_DMA_SEGMENT_ENTRY_SIZE_VER0);
	if (stride < 0)
		return stride;
	ret = dsmil_dma_query(owner, a->handle, &info, NULL, 0);
	if (ret)
		return ret;
	n = min(a->max_segments, info.nr_segments);
	if (n) {
		segs = kvcalloc(n, sizeof(*segs), GFP_KERNEL);
		if (!segs)
			return -ENOMEM;
		/* Asked again: the lock may have gone meanwhile. */
		ret = dsmil_dma_query(owner, a->handle, &info, segs, n);
		if (!ret)
			ret = dsmil_fe_array_out(u64_to_user_ptr(a->segments),
						 stride, segs, sizeof(*segs), n,
						 true);
		kvfree(segs);
		if (ret)
			return ret;
	}
	a->addr = info.uaddr;
	a->length = info.len;
	a->nr_pages = info.nr_pages;
	a->nr_segments = info.nr_segments;
	a->token = info.token;
	a->dir = dsmil_fe_query_dir(info.dir, a->flags);
	a->lock_flags = 0;
	if (info.flags & DSMIL_DMA_LOCK_CPU_ONLY)
		a->lock_flags |= DSMIL_LOCK_CPU_ONLY;
	if (info.flags & DSMIL_DMA_LOCK_BOUNCED)
		a->lock_flags |= DSMIL_LOCK_BOUNCED;
	return 0;
}

static int dsmil_fe_ioc_dma_xfer(struct file *filp, void *p)
{
	struct dsmil_dma_xfer_args *a = p;
	int ret = dsmil_fe_check_dma_xfer(a);

	if (ret)
		return ret;
	return dsmil_dma_xfer(dsmil_fe_owner(filp), a->handle, a->offset,
			      a->dev_offset, a->length,
			      dsmil_fe_xfer_to_device(a) ?
			      DSMIL_DMA_TO_DEVICE : DSMIL_DMA_FROM_DEVICE);
}

static int dsmil_fe_ioc_dma_claim(struct file *filp, void *p)
{
	struct dsmil_dma_claim_args *a = p;
	int ret = dsmil_fe_check_dma_claim(a);

	if (ret)
		return ret;
	return dsmil_dma_claim(dsmil_fe_owner(filp), a->token,
			       a->mode == DSMIL_CLAIM_SHARED ?
			       DSMIL_DMA_CLAIM_SHARED : DSMIL_DMA_CLAIM_EXCLUSIVE,
			       a->flags & DSMIL_CLAIM_NONBLOCK ?
			       DSMIL_DMA_CLAIM_NONBLOCK : 0, a->timeout_ms);
}

static int dsmil_fe_ioc_dma_release(struct file *filp, void *p)
{
	struct dsmil_dma_claim_args *a = p;
	int ret = dsmil_fe_check_dma_release(a);

	if (ret)
		return ret;
	return dsmil_dma_release_claim(dsmil_fe_owner(filp), a->token);
}

/**
 * dsmil_fe_dma_open() - make a ctl file a dmalock owner
 * @ctl: the file's state
 * @filp: the file
 *
 * Return: 0, or the errno of dsmil_dma_owner_create().
 */
int dsmil_fe_dma_open(struct dsmil_fe_ctl *ctl, struct file *filp)
{
	struct dsmil_dma_owner *owner = dsmil_dma_owner_create(filp);

	if (IS_ERR(owner))
		return PTR_ERR(owner);
	ctl->dma_owner = owner;
	return 0;
}

/**
 * dsmil_fe_dma_release() - release everything a ctl file locked or claimed
 * @ctl: the file's state
 */
void dsmil_fe_dma_release(struct dsmil_fe_ctl *ctl)
{
	dsmil_dma_owner_release(ctl->dma_owner);
	ctl->dma_owner = NULL;
}

/**
 * dsmil_fe_dma_fill_stats() - the DMA part of DSMIL_IOC_STATS
 * @a: the arguments being filled
 */
void dsmil_fe_dma_fill_stats(struct dsmil_stats_args *a)
{
	struct dsmil_dma_stats s;

	dsmil_dma_get_stats(&s);
	a->dma_locked_bytes = s.locked_bytes;
	a->dma_pinned_pages = s.pinned_pages;
	a->dma_handles = s.handles;
	a->dma_segments = s.segments;
	a->dma_owners = s.owners;
	a->dma_locks = s.locks;
	a->dma_xfers = s.xfers;
	a->dma_xfer_bytes = s.xfer_bytes;
	a->dma_claim_waits = s.claim_waits;
	a->dma_claim_timeouts = s.claim_timeouts;
}

const struct dsmil_fe_cmd dsmil_fe_dma_cmds[] = {
	DSMIL_FE_CMD(DSMIL_IOC_DMA_LOCK, struct dsmil_dma_lock_args,
		     DSMIL_DMA_LOCK_SIZE_VER0, CAP_SYS_RAWIO,
		     DSMIL_FE_CMD_OUT | DSMIL_FE_CMD_EFFECTS |
		     DSMIL_FE_CMD_LOCKDOWN,
		     dsmil_fe_ioc_dma_lock),
	DSMIL_FE_CMD(DSMIL_IOC_DMA_UNLOCK, struct dsmil_dma_handle_args,
		     DSMIL_DMA_HANDLE_SIZE_VER0, 0, 0, dsmil_fe_ioc_dma_unlock),
	DSMIL_FE_CMD(DSMIL_IOC_DMA_SYNC, struct dsmil_dma_sync_args,
		     DSMIL_DMA_SYNC_SIZE_VER0, 0, 0, dsmil_fe_ioc_dma_sync),
	DSMIL_FE_CMD(DSMIL_IOC_DMA_QUERY, struct dsmil_dma_query_args,
		     DSMIL_DMA_QUERY_SIZE_VER0, 0, DSMIL_FE_CMD_OUT,
		     dsmil_fe_ioc_dma_query),
	DSMIL_FE_CMD(DSMIL_IOC_DMA_XFER, struct dsmil_dma_xfer_args,
		     DSMIL_DMA_XFER_SIZE_VER0, CAP_SYS_RAWIO,
		     DSMIL_FE_CMD_LOCKDOWN, dsmil_fe_ioc_dma_xfer),
	DSMIL_FE_CMD(DSMIL_IOC_DMA_CLAIM, struct dsmil_dma_claim_args,
		     DSMIL_DMA_CLAIM_SIZE_VER0, CAP_SYS_RAWIO, 0,
		     dsmil_fe_ioc_dma_claim),
	DSMIL_FE_CMD(DSMIL_IOC_DMA_RELEASE, struct dsmil_dma_claim_args,
		     DSMIL_DMA_CLAIM_SIZE_VER0, 0, 0, dsmil_fe_ioc_dma_release),
};
const unsigned int dsmil_fe_nr_dma_cmds = ARRAY_SIZE(dsmil_fe_dma_cmds);

static_assert(sizeof(struct dsmil_dma_lock_args) == DSMIL_DMA_LOCK_SIZE_VER0);
static_assert(sizeof(struct dsmil_dma_handle_args) == DSMIL_DMA_HANDLE_SIZE_VER0);
static_assert(sizeof(struct dsmil_dma_sync_args) == DSMIL_DMA_SYNC_SIZE_VER0);
static_assert(sizeof(struct dsmil_dma_query_args) == DSMIL_DMA_QUERY_SIZE_VER2);
static_assert(sizeof(struct dsmil_dma_xfer_args) == DSMIL_DMA_XFER_SIZE_VER0);
static_assert(sizeof(struct dsmil_dma_claim_args) == DSMIL_DMA_CLAIM_SIZE_VER0);
