/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsmil/dmalock.h - the in-kernel API of dsmil_dmalock (alias gpu_dma_lock).
 *
 * dsmil_dmalock locks user buffers in memory for device DMA: it pins them
 * long-term, accounts them against RLIMIT_MEMLOCK, builds a coalesced
 * scatterlist and maps it for the DMA device of a dsmil controller.  A
 * buffer can then be moved to and from the controller's device memory with
 * the controller's DMA engine, under an arbitration of the engine between
 * owners.  Everything belongs to an *owner*, one per struct file: the
 * frontend creates it at open and releases it from ->release, which frees
 * everything the owner still holds (locks and claims), also when the
 * process was killed.
 *
 * The lifecycle, accounting, arbitration and errors are described in
 * Documentation/driver-api/dsmil-dmalock.rst.  Symbols are exported in the
 * DSMIL namespace: users say DSMIL_IMPORT_NS().
 *
 * Every function may sleep; none may be called once the owner is released.
 * Errors (the kernel-doc in modules/dmalock/ has each function's list):
 *
 *  all taking a handle  -ENOENT: not a handle of this owner
 *  dsmil_dma_lock       -EPERM: current->mm is not the owner's mm;
 *                       -EINVAL: bad dir, length 0, address or length not
 *                       page-aligned, range overflows or ends past the
 *                       user address space;
 *                       -E2BIG: longer than max_locked_mb;
 *                       -EMFILE: the owner holds max_handles locks;
 *                       -ENOSPC: max_locked_mb would be exceeded (all owners);
 *                       -ENODEV: no live device with that token;
 *                       -EFAULT: part of the range is not mapped (or is
 *                       VM_IO/VM_PFNMAP);
 *                       -EOPNOTSUPP: part of the range is a shared file
 *                       mapping with writeback, i.e. not shmem,
 *                       hugetlbfs or ramfs (cannot be pinned long-term);
 *                       -ENOMEM: RLIMIT_MEMLOCK exceeded (no CAP_IPC_LOCK),
 *                       or out of memory;
 *                       -EINTR: fatal signal while pinning;
 *                       -EBUSY: not TO_DEVICE and a page of the range is
 *                       in another lock that is not TO_DEVICE (any owner;
 *                       the DMA API has no overlapping device-written
 *                       mappings), or twice in this range;
 *                       errors of dma_map_sgtable()
 *  dsmil_dma_xfer       -EINVAL: bad dir, length 0, range past the buffer;
 *                       -ERANGE: range past the device memory (checked
 *                       before anything moves);
 *                       -EACCES: the lock's direction or the owner's shared
 *                       claim does not allow the transfer;
 *                       -EINTR: fatal signal while claiming (without a
 *                       claim, xfer claims for its duration, blocking,
 *                       no timeout);
 *                       errors of dsmil_dev_dma(): -ENODEV (controller
 *                       gone), -EPERM (quarantined), -EOPNOTSUPP
 *                       (no DMA engine), -EHOSTDOWN (thermal), -ETIMEDOUT,
 *                       -EIO
 *  dsmil_dma_claim      -EINVAL: bad mode or flags; -ENODEV: no live device
 *                       with that token; -EALREADY: the owner already holds
 *                       a claim on that controller; -EAGAIN: busy and
 *                       DSMIL_DMA_CLAIM_NONBLOCK; -ETIMEDOUT: still busy
 *                       after timeout_ms (0: wait forever); -EINTR: fatal
 *                       signal while waiting
 *  dsmil_dma_release_claim  -ENOENT: no claim on that controller;
 *                       -EBUSY: an xfer of the owner runs under it
 */
#ifndef _DSMIL_DMALOCK_H
#define _DSMIL_DMALOCK_H

#include <linux/types.h>

#include <dsmil/core.h>

/*
 * Version of this API.  Bumped on every incompatible change; a user can
 * refuse to build against a version it does not know with
 * BUILD_BUG_ON(DSMIL_DMALOCK_API_VERSION != 1).
 */
#define DSMIL_DMALOCK_API_VERSION	1

struct file;
struct dsmil_dma_owner;

/**
 * enum dsmil_dma_lock_dir - what the device does with a locked buffer
 * @DSMIL_DMA_LOCK_TO_DEVICE: the device reads it (DMA_TO_DEVICE)
 * @DSMIL_DMA_LOCK_FROM_DEVICE: the device writes it (DMA_FROM_DEVICE)
 * @DSMIL_DMA_LOCK_BIDIRECTIONAL: both (DMA_BIDIRECTIONAL)
 *
 * Pages are always pinned writable (FOLL_WRITE), so a buffer locked for
 * DSMIL_DMA_LOCK_TO_DEVICE still gets private (COW-broken) pages.  Pages
 * are marked dirty at unlock unless the buffer was DSMIL_DMA_LOCK_TO_DEVICE.
 * An xfer from device memory into the buffer needs FROM_DEVICE or
 * BIDIRECTIONAL, one into device memory TO_DEVICE or BIDIRECTIONAL.
 */
enum dsmil_dma_lock_dir {
	DSMIL_DMA_LOCK_TO_DEVICE = 1,
	DSMIL_DMA_LOCK_FROM_DEVICE = 2,
	DSMIL_DMA_LOCK_BIDIRECTIONAL = 3,
};

/**
 * enum dsmil_dma_sync_dir - which side gets ownership of a locked buffer
 * @DSMIL_DMA_SYNC_FOR_CPU: dma_sync_sgtable_for_cpu(): the CPU may read
 *	what the device wrote
 * @DSMIL_DMA_SYNC_FOR_DEVICE: dma_sync_sgtable_for_device(): the device
 *	may read what the CPU wrote
 */
enum dsmil_dma_sync_dir {
	DSMIL_DMA_SYNC_FOR_CPU,
	DSMIL_DMA_SYNC_FOR_DEVICE,
};

/**
 * enum dsmil_dma_claim_mode - kind of claim on a controller's DMA engine
 * @DSMIL_DMA_CLAIM_SHARED: read-only use: xfers from device memory only;
 *	coexists with other shared claims
 * @DSMIL_DMA_CLAIM_EXCLUSIVE: any xfer; excludes every other claim
 */
enum dsmil_dma_claim_mode {
	DSMIL_DMA_CLAIM_SHARED,
	DSMIL_DMA_CLAIM_EXCLUSIVE,
};

/* Flags of dsmil_dma_claim(). */
#define DSMIL_DMA_CLAIM_NONBLOCK	BIT(0)	/* busy: -EAGAIN, do not wait */

/* dma_addr of a segment of a CPU-only lock: no device masters the bus. */
#define DSMIL_DMA_NO_ADDR		(~0ULL)

/**
 * struct dsmil_dma_segment - one DMA segment of a locked buffer
 * @dma_addr: DMA address for the device that masters the bus for the
 *	controller (dsmil_dev_dma_device()), or DSMIL_DMA_NO_ADDR
 * @len: bytes
 */
struct dsmil_dma_segment {
	u64 dma_addr;
	u64 len;
};

/**
 * struct dsmil_dma_lock_info - what dsmil_dma_query() tells about a lock
 * @uaddr: user address of the buffer in the owner's mm
 * @len: bytes locked (a multiple of PAGE_SIZE)
 * @nr_pages: pages pinned (@len / PAGE_SIZE)
 * @nr_segments: DMA segments after coalescing and mapping
 * @token: token of the device whose controller the buffer is mapped for
 * @dir: the enum dsmil_dma_lock_dir of the lock
 * @flags: DSMIL_DMA_LOCK_CPU_ONLY, DSMIL_DMA_LOCK_BOUNCED
 */
struct dsmil_dma_lock_info {
	u64 uaddr;
	u64 len;
	u32 nr_pages;
	u32 nr_segments;
	u16 token;
	u8 dir;
	u32 flags;
};

/* Flags of struct dsmil_dma_lock_info. */
#define DSMIL_DMA_LOCK_CPU_ONLY	BIT(0)	/* not mapped: the CPU moves the data */
#define DSMIL_DMA_LOCK_BOUNCED	BIT(1)	/* the DMA API syncs by bouncing */

/**
 * struct dsmil_dma_stats - counters of dsmil_dmalock (all owners)
 * @locked_bytes: bytes locked now
 * @pinned_pages: pages pinned now
 * @handles: locks held now
 * @segments: DMA segments of the locks held now
 * @owners: owners alive now
 * @locks: locks made so far
 * @xfers: xfers completed so far
 * @xfer_bytes: bytes moved by completed xfers
 * @claim_waits: claims that had to wait for the engine so far
 * @claim_timeouts: claims that gave up with -ETIMEDOUT so far
 */
struct dsmil_dma_stats {
	u64 locked_bytes;
	u64 pinned_pages;
	u64 handles;
	u64 segments;
	u64 owners;
	u64 locks;
	u64 xfers;
	u64 xfer_bytes;
	u64 claim_waits;
	u64 claim_timeouts;
};

struct dsmil_dma_owner *dsmil_dma_owner_create(struct file *filp);
void dsmil_dma_owner_release(struct dsmil_dma_owner *owner);

int dsmil_dma_lock(struct dsmil_dma_owner *owner, unsigned long uaddr,
		   size_t len, enum dsmil_dma_lock_dir dir, u16 token,
		   u32 *handle);
int dsmil_dma_unlock(struct dsmil_dma_owner *owner, u32 handle);
int dsmil_dma_sync(struct dsmil_dma_owner *owner, u32 handle,
		   enum dsmil_dma_sync_dir dir);
int dsmil_dma_query(struct dsmil_dma_owner *owner, u32 handle,
		    struct dsmil_dma_lock_info *info,
		    struct dsmil_dma_segment *segs, unsigned int max_segs);
int dsmil_dma_xfer(struct dsmil_dma_owner *owner, u32 handle, u64 offset,
		   u32 dev_offset, size_t len, enum dsmil_dma_dir dir);

int dsmil_dma_claim(struct dsmil_dma_owner *owner, u16 token,
		    enum dsmil_dma_claim_mode mode, unsigned int flags,
		    unsigned int timeout_ms);
int dsmil_dma_release_claim(struct dsmil_dma_owner *owner, u16 token);

void dsmil_dma_get_stats(struct dsmil_dma_stats *stats);

#endif /* _DSMIL_DMALOCK_H */
