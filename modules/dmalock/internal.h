/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what the files of dsmil_dmalock share (not exported).
 *
 * Who owns what:
 *  - main.c: load/unload and the module parameters.
 *  - owner.c: owners, their handle tables, the exported lock API.
 *  - shape.c: the shape of a user range, the segment limit, coalescing
 *    pages into a scatterlist (no state).
 *  - pin.c: refusing unpinnable mappings, RLIMIT_MEMLOCK accounting,
 *    pinning.
 *  - map.c: the sg_table and its DMA mapping.
 *  - claim.c: arbitration of the controllers' DMA engines.
 *  - xfer.c: transfers between locked buffers and device memory.
 *  - stats.c: counters, in /sys/module/dsmil_dmalock/stats/.
 */
#ifndef _DSMIL_DMALOCK_INTERNAL_H
#define _DSMIL_DMALOCK_INTERNAL_H

#include <linux/atomic.h>
#include <linux/dma-direction.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <dsmil/build.h>
#include <dsmil/core.h>
#include <dsmil/dmalock.h>
#include <dsmil_compat.h>

/* Validated module parameters. */
extern unsigned int dmalock_max_locked_mb;
extern unsigned int dmalock_max_handles;
extern u32 dmalock_unbind_delay_ms;
extern atomic_t dmalock_unbind_waiting;

/**
 * struct dmalock_buf - one locked buffer (a handle)
 * @ref: held by the owner's handle table and by running operations; the
 *	last put tears the lock down (dmalock_buf_release())
 * @handle: id in the owner's table
 * @uaddr: user address in @mm
 * @len: bytes, a multiple of PAGE_SIZE
 * @nr_pages: @len >> PAGE_SHIFT
 * @dir: enum dsmil_dma_lock_dir
 * @mm: the owner's mm (an mmgrab() of the lock's own: the lock may
 *	outlive the owner when the DMA device's driver unbinds at the same
 *	time, see map.c)
 * @pages: the pinned pages
 * @nr_pinned: how many of @pages are pinned
 * @accounted: @nr_pages were charged to @mm's locked_vm
 * @cred: the credentials whose user's locked_vm @nr_pages were charged to
 *	(a reference); NULL for a locker with CAP_IPC_LOCK
 * @reserved: @len was added to the global locked byte count
 * @sgt: the coalesced scatterlist, mapped for @dma_dev if there is one
 * @nr_segs: segments of @sgt counted in dmalock_counters.segments (DMA
 *	segments if mapped, else CPU segments)
 * @map_lock: orders the use of the mapping (xfer, sync, query) against
 *	its unmap when @dma_dev's driver unbinds
 * @mapped: @sgt is DMA-mapped (under @map_lock once the lock is built)
 * @devres: the mapping has a devres entry on @dma_dev (map.c)
 * @bounced: the DMA API needs syncs for the mapping (dma_need_sync()):
 *	on x86, swiotlb bounces it
 * @writer: the pages are recorded as this lock's in map.c's dmalock_writers
 *	(a lock the device may write)
 * @ddev: the device the lock targets (a reference)
 * @dma_dev: the device that masters the bus for the controller (a
 *	reference), NULL for a CPU-only lock (emu, platform)
 */
struct dmalock_buf {
	struct kref ref;
	u32 handle;
	unsigned long uaddr;
	size_t len;
	unsigned long nr_pages;
	enum dsmil_dma_lock_dir dir;
	struct mm_struct *mm;
	struct page **pages;
	unsigned long nr_pinned;
	bool accounted;
	const struct cred *cred;
	bool reserved;
	struct sg_table sgt;
	unsigned int nr_segs;
	struct mutex map_lock;	/* see @map_lock above */
	bool mapped;
	bool devres;
	bool bounced;
	bool writer;
	struct dsmil_device *ddev;
	struct device *dma_dev;
};

struct dmalock_arb;

/**
 * struct dmalock_claim - a claim an owner holds on a controller's engine
 * @node: in the owner's @claims
 * @arb: the controller's arbitration state
 * @mode: enum dsmil_dma_claim_mode
 * @token: the token it was claimed through (for release by token)
 * @xfers: xfers running under this claim (owner->lock); release waits
 *	for none to run (-EBUSY otherwise)
 */
struct dmalock_claim {
	struct list_head node;
	struct dmalock_arb *arb;
	enum dsmil_dma_claim_mode mode;
	u16 token;
	unsigned int xfers;
};

/**
 * struct dsmil_dma_owner - everything one struct file holds
 * @lock: protects @bufs, @nr_bufs and @claims
 * @bufs: handle -> struct dmalock_buf
 * @nr_bufs: entries in @bufs (at most max_handles)
 * @next_handle: where the cyclic handle allocation goes on (xa_alloc_cyclic)
 * @claims: struct dmalock_claim, at most one per controller
 * @mm: the mm of the process that created the owner (mmgrab())
 * @filp: the file the owner belongs to (identification only)
 */
struct dsmil_dma_owner {
	struct mutex lock;	/* see @lock above */
	struct xarray bufs;
	unsigned int nr_bufs;
	u32 next_handle;
	struct list_head claims;
	struct mm_struct *mm;
	struct file *filp;
};

/* owner.c */
void dmalock_buf_put(struct dmalock_buf *buf);
struct dmalock_buf *dmalock_buf_get(struct dsmil_dma_owner *owner, u32 handle);

/* shape.c: pure checks and the coalesced scatterlist */
int dmalock_check_range(unsigned long uaddr, size_t len);
unsigned int dmalock_seg_limit(size_t max_mapping, size_t max_seg);
int dmalock_sg_build(struct sg_table *sgt, struct page **pages,
		     unsigned long nr_pages, unsigned int max_segment);

/* pin.c */
int dmalock_check_vmas(struct mm_struct *mm, unsigned long uaddr, size_t len);
int dmalock_account(struct dmalock_buf *buf);
void dmalock_unaccount(struct dmalock_buf *buf);
int dmalock_pin(struct dmalock_buf *buf);
void dmalock_unpin(struct dmalock_buf *buf);

/* map.c */
enum dma_data_direction dmalock_dma_dir(enum dsmil_dma_lock_dir dir);
int dmalock_map(struct dmalock_buf *buf);
void dmalock_detach(struct dmalock_buf *buf);
void dmalock_unmap(struct dmalock_buf *buf);
int dmalock_sync(struct dmalock_buf *buf, enum dsmil_dma_sync_dir dir);

/* claim.c */
int dmalock_claim_get(struct dsmil_device *ddev, enum dsmil_dma_claim_mode mode,
		      unsigned int flags, unsigned int timeout_ms,
		      struct dmalock_arb **arbp);
void dmalock_claim_put(struct dmalock_arb *arb, enum dsmil_dma_claim_mode mode);
struct dmalock_claim *dmalock_owner_claim(struct dsmil_dma_owner *owner,
					  struct dsmil_device *ddev);
void dmalock_owner_release_claims(struct dsmil_dma_owner *owner);

/* stats.c */
struct dmalock_counters {
	atomic64_t locked_bytes;
	atomic64_t pinned_pages;
	atomic64_t handles;
	atomic64_t segments;
	atomic64_t owners;
	atomic64_t locks;
	atomic64_t xfers;
	atomic64_t xfer_bytes;
	atomic64_t claim_waits;
	atomic64_t claim_timeouts;
};

extern struct dmalock_counters dmalock_counters;
int dmalock_stats_init(void);
void dmalock_stats_exit(void);

#endif /* _DSMIL_DMALOCK_INTERNAL_H */
