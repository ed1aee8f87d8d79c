/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsmil_compat.h - every kernel API difference the suite cares about.
 *
 * The DSMIL_HAVE_* macros come from compile-time probes
 * (modules/compat/probes/, run by scripts/compat-probe against the target
 * kernel's headers).  Code outside modules/compat never tests kernel
 * versions; it uses the wrappers defined here.
 */
#ifndef _DSMIL_COMPAT_H
#define _DSMIL_COMPAT_H

#include <linux/version.h>
#include <linux/module.h>
#include <linux/scatterlist.h>	/* dsmil_sg_alloc_table_from_pages_segment() */

#include "dsmil_compat_config.h"

/* The one version test allowed: the oldest kernel the suite supports. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 10, 0)
#error "dsmil needs Linux 5.10 or newer"
#endif

/*
 * Symbol namespace of the suite.  Before 6.13 the export macros stringify a
 * bare identifier; since then they take a string literal.  The extra level of
 * macro expansion lets DSMIL_NS expand before the kernel macro stringifies it.
 */
#ifdef DSMIL_HAVE_NS_IDENTIFIER
#define DSMIL_NS DSMIL
#else
#define DSMIL_NS "DSMIL"
#endif

#define __DSMIL_EXPORT(sym, ns)	EXPORT_SYMBOL_NS_GPL(sym, ns)
/* Export @sym, GPL-only, in the DSMIL namespace. */
#define DSMIL_EXPORT(sym)	__DSMIL_EXPORT(sym, DSMIL_NS)

#define __DSMIL_IMPORT(ns)	MODULE_IMPORT_NS(ns)
/* Import the DSMIL namespace; every module using the suite's API says so. */
#define DSMIL_IMPORT_NS()	__DSMIL_IMPORT(DSMIL_NS)

/*
 * dsmil_core: the driver-core callbacks of the dsmil bus.  The const
 * qualifiers appeared in bus_type.uevent (6.3) and bus_type.match (6.11);
 * callbacks are declared with these so one definition fits every kernel.
 */
#ifdef DSMIL_HAVE_BUS_UEVENT_CONST_DEV
#define DSMIL_BUS_UEVENT_CONST const
#else
#define DSMIL_BUS_UEVENT_CONST
#endif

#ifdef DSMIL_HAVE_BUS_MATCH_CONST_DRV
#define DSMIL_BUS_MATCH_CONST const
#else
#define DSMIL_BUS_MATCH_CONST
#endif

/*
 * dsmil_core: bus_register() and struct device.bus take a const bus_type
 * since 6.4; before, bus_register() writes into it.  DSMIL_BUS_TYPE(name)
 * declares the bus type const wherever the kernel allows it.
 */
#ifdef DSMIL_HAVE_BUS_REGISTER_CONST
#define DSMIL_BUS_TYPE(name)	const struct bus_type name
#else
#define DSMIL_BUS_TYPE(name)	struct bus_type name
#endif

/* dsmil_core: INTx flag of pci_alloc_irq_vectors() (PCI_IRQ_LEGACY before 6.10). */
#ifdef DSMIL_HAVE_PCI_IRQ_INTX
#define DSMIL_PCI_IRQ_INTX PCI_IRQ_INTX
#else
#define DSMIL_PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

/*
 * dsmil_dmalock: does the DMA API bounce @dev's streaming mapping at
 * @addr (swiotlb)?  On x86, which is coherent, a sync is needed only to
 * bounce, and since 6.11 (struct device's dma_skip_sync) dma_need_sync()
 * says exactly that, behind an IOMMU too.  Before, it is true for every
 * mapping of a device behind iommu-dma (its ops have sync hooks), which
 * bounces only the mappings of untrusted PCI devices.
 */
#include <linux/dma-mapping.h>
#ifdef DSMIL_HAVE_DMA_SKIP_SYNC
#define dsmil_dma_bounces(dev, addr)	dma_need_sync(dev, addr)
#else
#include <linux/dma-map-ops.h>
#include <linux/pci.h>

static inline bool dsmil_dma_bounces(struct device *dev, dma_addr_t addr)
{
	if (!dma_need_sync(dev, addr))
		return false;
	if (!get_dma_ops(dev))		/* dma-direct: a sync means swiotlb */
		return true;
	return dev_is_pci(dev) && to_pci_dev(dev)->untrusted;
}
#endif

/*
 * dsmil_dmalock: a mapping of a page in which the task may sleep
 * (kmap_local_page() since 5.11).  Before, the suite's only architecture
 * (x86_64, dkms.conf's BUILD_EXCLUSIVE_ARCH) has no highmem: every page
 * has its kernel address.
 */
#ifdef DSMIL_HAVE_KMAP_LOCAL_PAGE
#define dsmil_kmap_local(page)		kmap_local_page(page)
#define dsmil_kunmap_local(page, addr)	kunmap_local(addr)
#else
#ifdef CONFIG_HIGHMEM
#error "dsmil_dmalock needs kmap_local_page() on a kernel with highmem"
#endif
#define dsmil_kmap_local(page)		page_address(page)
#define dsmil_kunmap_local(page, addr)	do { } while (0)
#endif

/*
 * dsmil_dmalock: a scatterlist over pages, contiguous pages coalesced into
 * segments of at most max_segment bytes (sg_alloc_table_from_pages_segment()
 * since 5.15, __sg_alloc_table_from_pages() before).
 */
#ifdef DSMIL_HAVE_SG_PAGES_SEGMENT
#define dsmil_sg_alloc_table_from_pages_segment sg_alloc_table_from_pages_segment
#else
static inline int
dsmil_sg_alloc_table_from_pages_segment(struct sg_table *sgt,
					struct page **pages,
					unsigned int n_pages,
					unsigned int offset,
					unsigned long size,
					unsigned int max_segment, gfp_t gfp)
{
	return PTR_ERR_OR_ZERO(__sg_alloc_table_from_pages(sgt, pages, n_pages,
							   offset, size,
							   max_segment, NULL,
							   0, gfp));
}
#endif

/*
 * dsmil (frontend): vma->vm_flags is read-only since 6.3 and changed
 * through vm_flags_set()/vm_flags_clear().
 */
#ifdef DSMIL_HAVE_VM_FLAGS_SET
#define dsmil_vm_flags_set(vma, flags)		vm_flags_set(vma, flags)
#define dsmil_vm_flags_clear(vma, flags)	vm_flags_clear(vma, flags)
#else
#define dsmil_vm_flags_set(vma, flags)		((vma)->vm_flags |= (flags))
#define dsmil_vm_flags_clear(vma, flags)	((vma)->vm_flags &= ~(flags))
#endif

/* dsmil (frontend): class.devnode takes a const device since 6.2. */
#ifdef DSMIL_HAVE_CLASS_DEVNODE_CONST
#define DSMIL_CLASS_DEVNODE_CONST const
#else
#define DSMIL_CLASS_DEVNODE_CONST
#endif

/*
 * dsmil_core: bus_type.remove returns void since 5.15 (int before, ignored
 * by the driver core).  DSMIL_BUS_REMOVE(name, fn) defines the callback
 * "name" of the kernel's type calling void fn(struct device *).
 */
#ifdef DSMIL_HAVE_BUS_REMOVE_VOID
#define DSMIL_BUS_REMOVE(name, fn)				\
	static void name(struct device *dev)			\
	{							\
		fn(dev);					\
	}
#else
#define DSMIL_BUS_REMOVE(name, fn)				\
	static int name(struct device *dev)			\
	{							\
		fn(dev);					\
		return 0;					\
	}
#endif

/*
 * vexfs: the inode operations take the mount's idmap first: a struct
 * mnt_idmap * since 6.3, a struct user_namespace * from 5.12, nothing
 * before.  Callbacks are declared as
 *	static int vexfs_create(DSMIL_IDMAP_PARAM struct inode *dir, ...)
 * passed on as "DSMIL_IDMAP_ARG dir, ...", and the helpers below take an
 * "idmap" argument that is dropped where the kernel has none (so it may
 * name a parameter that does not exist).
 */
#if defined(DSMIL_HAVE_IOP_MNT_IDMAP)
#define DSMIL_IDMAP_PARAM	struct mnt_idmap *idmap,
#define DSMIL_IDMAP_ARG		idmap,
#elif defined(DSMIL_HAVE_IOP_USER_NS)
#define DSMIL_IDMAP_PARAM	struct user_namespace *idmap,
#define DSMIL_IDMAP_ARG		idmap,
#else
#define DSMIL_IDMAP_PARAM
#define DSMIL_IDMAP_ARG
#endif

#if defined(DSMIL_HAVE_IOP_MNT_IDMAP) || defined(DSMIL_HAVE_IOP_USER_NS)
#define dsmil_setattr_prepare(idmap, dentry, attr) \
	setattr_prepare(idmap, dentry, attr)
#define dsmil_setattr_copy(idmap, inode, attr)	setattr_copy(idmap, inode, attr)
#define dsmil_inode_init_owner(idmap, inode, dir, mode) \
	inode_init_owner(idmap, inode, dir, mode)
#else
#define dsmil_setattr_prepare(idmap, dentry, attr) setattr_prepare(dentry, attr)
#define dsmil_setattr_copy(idmap, inode, attr)	setattr_copy(inode, attr)
#define dsmil_inode_init_owner(idmap, inode, dir, mode) \
	inode_init_owner(inode, dir, mode)
#endif

/* vexfs: generic_fillattr() takes the statx request mask since 6.6. */
#if defined(DSMIL_HAVE_GENERIC_FILLATTR_MASK)
#define dsmil_generic_fillattr(idmap, mask, inode, stat) \
	generic_fillattr(idmap, mask, inode, stat)
#elif defined(DSMIL_HAVE_IOP_MNT_IDMAP) || defined(DSMIL_HAVE_IOP_USER_NS)
#define dsmil_generic_fillattr(idmap, mask, inode, stat) \
	generic_fillattr(idmap, inode, stat)
#else
#define dsmil_generic_fillattr(idmap, mask, inode, stat) \
	generic_fillattr(inode, stat)
#endif

/*
 * vexfs: inode_operations.create() ends with "umode_t mode, bool excl",
 * newer kernels (7.x) with "umode_t mode": DSMIL_CREATE_MODE_PARAMS.
 */
#ifdef DSMIL_HAVE_IOP_CREATE_NO_EXCL
#define DSMIL_CREATE_MODE_PARAMS	umode_t mode
#else
#define DSMIL_CREATE_MODE_PARAMS	umode_t mode, bool excl
#endif

/*
 * vexfs: inode_operations.mkdir() returns a struct dentry * since 6.15
 * (NULL: the dentry given was used).  DSMIL_MKDIR_RET_T is the return
 * type, DSMIL_MKDIR_RET(err) turns 0 or -errno into it.
 */
#ifdef DSMIL_HAVE_IOP_MKDIR_DENTRY
#define DSMIL_MKDIR_RET_T	struct dentry *
#define DSMIL_MKDIR_RET(err)	ERR_PTR(err)
#else
#define DSMIL_MKDIR_RET_T	int
#define DSMIL_MKDIR_RET(err)	(err)
#endif

/* vexfs: inode timestamps through accessors (ctime 6.6, atime/mtime 6.7). */
#ifdef DSMIL_HAVE_INODE_GET_ATIME
#define dsmil_inode_get_atime(inode)		inode_get_atime(inode)
#define dsmil_inode_get_mtime(inode)		inode_get_mtime(inode)
#define dsmil_inode_set_atime(inode, ts)	inode_set_atime_to_ts(inode, ts)
#define dsmil_inode_set_mtime(inode, ts)	inode_set_mtime_to_ts(inode, ts)
#else
#define dsmil_inode_get_atime(inode)		((inode)->i_atime)
#define dsmil_inode_get_mtime(inode)		((inode)->i_mtime)
#define dsmil_inode_set_atime(inode, ts)	((inode)->i_atime = (ts))
#define dsmil_inode_set_mtime(inode, ts)	((inode)->i_mtime = (ts))
#endif
#ifdef DSMIL_HAVE_INODE_GET_CTIME
#define dsmil_inode_get_ctime(inode)		inode_get_ctime(inode)
#define dsmil_inode_set_ctime(inode, ts)	inode_set_ctime_to_ts(inode, ts)
#define dsmil_inode_set_ctime_current(inode)	inode_set_ctime_current(inode)
#else
#define dsmil_inode_get_ctime(inode)		((inode)->i_ctime)
#define dsmil_inode_set_ctime(inode, ts)	((inode)->i_ctime = (ts))
#define dsmil_inode_set_ctime_current(inode) \
	((inode)->i_ctime = current_time(inode))
#endif

/*
 * vexfs: page-cache operations of a buffer-head filesystem.
 * DSMIL_DEFINE_BLOCK_READ(name, get_block) defines the read_folio (5.19) or
 * readpage callback "name"; DSMIL_AOPS_READ(name) is its initializer.
 */
#ifdef DSMIL_HAVE_AOPS_READ_FOLIO
#define DSMIL_DEFINE_BLOCK_READ(name, get_block)			\
	static int name(struct file *file, struct folio *folio)	\
	{								\
		return block_read_full_folio(folio, get_block);		\
	}
#define DSMIL_AOPS_READ(name)	.read_folio = name
#else
#define DSMIL_DEFINE_BLOCK_READ(name, get_block)			\
	static int name(struct file *file, struct page *page)		\
	{								\
		return block_read_full_page(page, get_block);		\
	}
#define DSMIL_AOPS_READ(name)	.readpage = name
#endif

/* Buffer-head dirtying and invalidation (folio callbacks since 5.18). */
#ifdef DSMIL_HAVE_AOPS_DIRTY_FOLIO
#define DSMIL_AOPS_BUFFER_DIRTY		.dirty_folio = block_dirty_folio
#define DSMIL_AOPS_BUFFER_INVALIDATE	.invalidate_folio = block_invalidate_folio
#else
#define DSMIL_AOPS_BUFFER_DIRTY		.set_page_dirty = __set_page_dirty_buffers
#define DSMIL_AOPS_BUFFER_INVALIDATE	.invalidatepage = block_invalidatepage
#endif

/*
 * writepage() exists until 6.7 and mpage_writepages() needs it before 5.19:
 * DSMIL_DEFINE_BLOCK_WRITEPAGE(name, get_block) defines it where it exists,
 * DSMIL_AOPS_WRITEPAGE(name) is its initializer (with the comma) or nothing.
 */
#ifdef DSMIL_HAVE_BLOCK_WRITE_FULL_PAGE
#define DSMIL_DEFINE_BLOCK_WRITEPAGE(name, get_block)			\
	static int name(struct page *page, struct writeback_control *wbc) \
	{								\
		return block_write_full_page(page, get_block, wbc);	\
	}
#define DSMIL_AOPS_WRITEPAGE(name)	.writepage = name,
#else
#define DSMIL_DEFINE_BLOCK_WRITEPAGE(name, get_block)
#define DSMIL_AOPS_WRITEPAGE(name)
#endif

/*
 * DSMIL_DEFINE_BLOCK_WRITE_BEGIN(name, get_block, failed, pre, post)
 * defines the write_begin callback "name": pre(mapping) first (before the
 * page is locked: vexfs starts its jbd2 handle there; 0 or -errno), then
 * block_write_begin() with @get_block; on failure post(mapping) and
 * failed(mapping, pos + len) to undo blocks allocated past the end of the
 * file.  On success post() is left to the write_end callback that
 * DSMIL_DEFINE_GENERIC_WRITE_END(name, post) defines: generic_write_end()
 * then post(mapping) (0 or -errno).  Their arguments: struct file * (a
 * const struct kiocb * since 6.17), a "flags" argument to write_begin
 * before 6.0, a folio instead of a page since 6.12.
 */
#if defined(DSMIL_HAVE_WRITE_BEGIN_KIOCB)
#define DSMIL_DEFINE_BLOCK_WRITE_BEGIN(name, get_block, failed, pre, post) \
	static int name(const struct kiocb *iocb,			\
			struct address_space *mapping, loff_t pos,	\
			unsigned int len, struct folio **foliop,	\
			void **fsdata)					\
	{								\
		int err = pre(mapping);					\
		if (err)						\
			return err;					\
		err = block_write_begin(mapping, pos, len, foliop,	\
					get_block);			\
		if (unlikely(err)) {					\
			post(mapping);					\
			failed(mapping, pos + len);			\
		}							\
		return err;						\
	}
#elif defined(DSMIL_HAVE_WRITE_BEGIN_FOLIO)
#define DSMIL_DEFINE_BLOCK_WRITE_BEGIN(name, get_block, failed, pre, post) \
	static int name(struct file *file, struct address_space *mapping, \
			loff_t pos, unsigned int len,			\
			struct folio **foliop, void **fsdata)		\
	{								\
		int err = pre(mapping);					\
		if (err)						\
			return err;					\
		err = block_write_begin(mapping, pos, len, foliop,	\
					get_block);			\
		if (unlikely(err)) {					\
			post(mapping);					\
			failed(mapping, pos + len);			\
		}							\
		return err;						\
	}
#elif defined(DSMIL_HAVE_WRITE_BEGIN_NO_FLAGS)
#define DSMIL_DEFINE_BLOCK_WRITE_BEGIN(name, get_block, failed, pre, post) \
	static int name(struct file *file, struct address_space *mapping, \
			loff_t pos, unsigned int len,			\
			struct page **pagep, void **fsdata)		\
	{								\
		int err = pre(mapping);					\
		if (err)						\
			return err;					\
		err = block_write_begin(mapping, pos, len, pagep,	\
					get_block);			\
		if (unlikely(err)) {					\
			post(mapping);					\
			failed(mapping, pos + len);			\
		}							\
		return err;						\
	}
#else
#define DSMIL_DEFINE_BLOCK_WRITE_BEGIN(name, get_block, failed, pre, post) \
	static int name(struct file *file, struct address_space *mapping, \
			loff_t pos, unsigned int len, unsigned int flags, \
			struct page **pagep, void **fsdata)		\
	{								\
		int err = pre(mapping);					\
		if (err)						\
			return err;					\
		err = block_write_begin(mapping, pos, len, flags,	\
					pagep, get_block);		\
		if (unlikely(err)) {					\
			post(mapping);					\
			failed(mapping, pos + len);			\
		}							\
		return err;						\
	}
#endif

#if defined(DSMIL_HAVE_WRITE_BEGIN_KIOCB)
#define DSMIL_DEFINE_GENERIC_WRITE_END(name, post)			\
	static int name(const struct kiocb *iocb,			\
			struct address_space *mapping, loff_t pos,	\
			unsigned int len, unsigned int copied,		\
			struct folio *folio, void *fsdata)		\
	{								\
		int ret = generic_write_end(iocb, mapping, pos, len,	\
					    copied, folio, fsdata);	\
		int err = post(mapping);				\
		return ret < 0 || !err ? ret : err;			\
	}
#elif defined(DSMIL_HAVE_WRITE_BEGIN_FOLIO)
#define DSMIL_DEFINE_GENERIC_WRITE_END(name, post)			\
	static int name(struct file *file, struct address_space *mapping, \
			loff_t pos, unsigned int len, unsigned int copied, \
			struct folio *folio, void *fsdata)		\
	{								\
		int ret = generic_write_end(file, mapping, pos, len,	\
					    copied, folio, fsdata);	\
		int err = post(mapping);				\
		return ret < 0 || !err ? ret : err;			\
	}
#else
#define DSMIL_DEFINE_GENERIC_WRITE_END(name, post)			\
	static int name(struct file *file, struct address_space *mapping, \
			loff_t pos, unsigned int len, unsigned int copied, \
			struct page *page, void *fsdata)		\
	{								\
		int ret = generic_write_end(file, mapping, pos, len,	\
					    copied, page, fsdata);	\
		int err = post(mapping);				\
		return ret < 0 || !err ? ret : err;			\
	}
#endif

/* vexfs: splice_read of page-cache files (filemap_splice_read() since 6.5). */
#ifdef DSMIL_HAVE_FILEMAP_SPLICE_READ
#define dsmil_filemap_splice_read	filemap_splice_read
#else
#define dsmil_filemap_splice_read	generic_file_splice_read
#endif

/* vexfs: jbd2_journal_flush() takes a flags argument since 5.15. */
#ifdef DSMIL_HAVE_JBD2_FLUSH_FLAGS
#define dsmil_jbd2_journal_flush(journal)	jbd2_journal_flush(journal, 0)
#else
#define dsmil_jbd2_journal_flush(journal)	jbd2_journal_flush(journal)
#endif

/*
 * vexfs: a jbd2_inode's dirty range in bytes (inclusive end), false when
 * empty; jbd2 keeps it in pages behind jbd2_jinode_get_dirty_range() since
 * 7.x, in the byte fields i_dirty_start and i_dirty_end before.
 */
#ifdef DSMIL_HAVE_JBD2_JINODE_DIRTY_RANGE
#define dsmil_jbd2_jinode_dirty_range(jinode, start, end) \
	jbd2_jinode_get_dirty_range(jinode, start, end)
#else
#define dsmil_jbd2_jinode_dirty_range(jinode, start, end) \
	(*(start) = (jinode)->i_dirty_start, *(end) = (jinode)->i_dirty_end, true)
#endif

/* vexfs: blkdev_issue_flush() lost its gfp mask in 5.12. */
#ifdef DSMIL_HAVE_BLKDEV_ISSUE_FLUSH_NOGFP
#define dsmil_blkdev_issue_flush(bdev)	blkdev_issue_flush(bdev)
#else
#define dsmil_blkdev_issue_flush(bdev)	blkdev_issue_flush(bdev, GFP_KERNEL)
#endif

/* vexfs: size of a block device in bytes (bdev_nr_bytes() since 5.16). */
#ifdef DSMIL_HAVE_BDEV_NR_BYTES
#define dsmil_bdev_nr_bytes(bdev)	bdev_nr_bytes(bdev)
#else
#define dsmil_bdev_nr_bytes(bdev)	i_size_read((bdev)->bd_inode)
#endif

/* vexfs: whether an inode from iget_locked() is new (i_state accessors: 7.x). */
#ifdef DSMIL_HAVE_INODE_STATE_READ
#define dsmil_inode_is_new(inode)	(inode_state_read_once(inode) & I_NEW)
#else
#define dsmil_inode_is_new(inode)	((inode)->i_state & I_NEW)
#endif

/*
 * vexfs: inode_permission() as seen through the mount of @file (an idmap
 * since 6.3, a user namespace from 5.12, neither before).
 */
#if defined(DSMIL_HAVE_IOP_MNT_IDMAP)
#define dsmil_inode_permission(file, inode, mask) \
	inode_permission(file_mnt_idmap(file), inode, mask)
#elif defined(DSMIL_HAVE_IOP_USER_NS)
#define dsmil_inode_permission(file, inode, mask) \
	inode_permission(file_mnt_user_ns(file), inode, mask)
#else
#define dsmil_inode_permission(file, inode, mask) inode_permission(inode, mask)
#endif

/*
 * dsmil_smi: a workqueue bound to CPUs, as alloc_workqueue() made them by
 * default, says so with WQ_PERCPU where it exists (6.17, Debian's 6.12.y):
 * since 7.x alloc_workqueue() warns about a queue without WQ_PERCPU or
 * WQ_UNBOUND.
 */
#ifdef DSMIL_HAVE_WQ_PERCPU
#define DSMIL_WQ_PERCPU WQ_PERCPU
#else
#define DSMIL_WQ_PERCPU 0
#endif

#endif /* _DSMIL_COMPAT_H */
