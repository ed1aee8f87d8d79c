// SPDX-License-Identifier: GPL-2.0
/*
 * pin.c - from a user range to pinned pages (Documentation/core-api/
 * pin_user_pages.rst, case 1: long-term pins for DMA).
 *
 * validate (shape.c) -> refuse what cannot be pinned long-term -> charge
 * RLIMIT_MEMLOCK of the locking user (and count in the owner's mm) ->
 * pin_user_pages_fast(FOLL_WRITE |
 * FOLL_LONGTERM) in batches.  The undo functions are safe on a lock at any
 * stage: they undo what the flags say was done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hugetlb.h>
#include <linux/backing-dev.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>

#include "internal.h"

/* Pages pinned per pin_user_pages_fast() call, between cond_resched(). */
#define DMALOCK_PIN_BATCH	512

/*
 * A shared file mapping whose pages the kernel tracks for writeback
 * (page_mkwrite, a backing device that writes back) cannot be pinned
 * long-term: writeback and truncation would run under a device writing the
 * pages.  6.5+ GUP refuses it (as -EFAULT, indistinguishable from a hole);
 * older kernels pin it.  The criterion is GUP's (vma_needs_dirty_tracking()
 * minus soft-dirty): shmem, hugetlbfs and ramfs mappings are fine.
 */
static bool dmalock_vma_unpinnable(struct vm_area_struct *vma)
{
	if (!vma->vm_file || !(vma->vm_flags & VM_SHARED) ||
	    is_vm_hugetlb_page(vma))
		return false;
	if (vma->vm_ops && vma->vm_ops->page_mkwrite)
		return true;
	return mapping_can_writeback(vma->vm_file->f_mapping);
}

/**
 * dmalock_check_vmas() - refuse ranges that cannot be pinned long-term
 * @mm: the owner's mm (current->mm)
 * @uaddr: start, page-aligned
 * @len: bytes
 *
 * A check before pinning, so that the refusal has its own errno on every
 * kernel; GUP itself refuses the same mappings on 6.5+ if one appears
 * between the check and the pin.
 *
 * Return: 0; -EFAULT if part of the range is not mapped or is I/O memory
 * (VM_IO, VM_PFNMAP); -EOPNOTSUPP (one pr_debug line) if part of it is a
 * shared file mapping with writeback (not shmem, hugetlbfs, ramfs); -EINTR
 * on a fatal signal while waiting for the mmap lock.
 */
int dmalock_check_vmas(struct mm_struct *mm, unsigned long uaddr, size_t len)
{
	unsigned long addr = uaddr, end = uaddr + len;
	struct vm_area_struct *vma;
	int ret = 0;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr ||
		    (vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			ret = -EFAULT;
			break;
		}
		if (dmalock_vma_unpinnable(vma)) {
			pr_debug("refusing %#lx-%#lx: shared file mapping of %pD cannot be pinned long-term\n",
				 uaddr, end, vma->vm_file);
			ret = -EOPNOTSUPP;
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ret;
}

/*
 * Charge @nr_pages to @user's locked_vm against the current task's
 * RLIMIT_MEMLOCK, as io_uring does (__io_account_mem()): the limit holds
 * for all the user's processes together.
 */
static int dmalock_charge_user(struct user_struct *user,
			       unsigned long nr_pages)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	unsigned long cur = atomic_long_read(&user->locked_vm), new;

	do {
		if (check_add_overflow(cur, nr_pages, &new) || new > limit)
			return -ENOMEM;
	} while (!atomic_long_try_cmpxchg(&user->locked_vm, &cur, new));
	return 0;
}

/**
 * dmalock_account() - charge a lock's pages to RLIMIT_MEMLOCK
 * @buf: the lock
 *
 * Without CAP_IPC_LOCK the pages are charged to the locking user's
 * locked_vm (user_struct, shared by all its processes) and the limit is
 * enforced for the user as a whole, as io_uring and RDMA do; the lock
 * keeps a reference to the credentials charged.  Either way they are
 * counted in the owner's mm (account_locked_vm(): VmLck in
 * /proc/PID/status; it also enforces the limit per mm without
 * CAP_IPC_LOCK).
 *
 * Return: 0 or -ENOMEM (limit exceeded).
 */
int dmalock_account(struct dmalock_buf *buf)
{
	const struct cred *cred = NULL;
	int ret;

	if (!capable(CAP_IPC_LOCK)) {
		cred = get_current_cred();
		ret = dmalock_charge_user(cred->user, buf->nr_pages);
		if (ret) {
			put_cred(cred);
			return ret;
		}
	}
	ret = account_locked_vm(buf->mm, buf->nr_pages, true);
	if (ret) {
		if (cred) {
			atomic_long_sub(buf->nr_pages, &cred->user->locked_vm);
			put_cred(cred);
		}
		return ret;
	}
	buf->cred = cred;
	buf->accounted = true;
	return 0;
}

/**
 * dmalock_unaccount() - give the charge back (no-op if not charged)
 * @buf: the lock
 *
 * Uses the mm and the credentials saved at lock time: this may run in
 * another task, after the owner's process exited (the owner holds an
 * mmgrab(), the lock a reference to the credentials).
 */
void dmalock_unaccount(struct dmalock_buf *buf)
{
	if (!buf->accounted)
		return;
	account_locked_vm(buf->mm, buf->nr_pages, false);
	if (buf->cred) {
		atomic_long_sub(buf->nr_pages, &buf->cred->user->locked_vm);
		put_cred(buf->cred);
		buf->cred = NULL;
	}
	buf->accounted = false;
}

/**
 * dmalock_pin() - pin every page of a lock
 * @buf: the lock, accounted; current->mm is buf->mm
 *
 * pin_user_pages_fast(FOLL_WRITE | FOLL_LONGTERM) in batches of
 * DMALOCK_PIN_BATCH pages with cond_resched() between them; FOLL_LONGTERM
 * first migrates pages out of ZONE_MOVABLE and CMA.  On failure the pages
 * pinned so far stay recorded in buf->nr_pinned for dmalock_unpin().
 *
 * Return: 0; -EFAULT if a page cannot be pinned (unmapped, no write
 * permission, refused by GUP); -EINTR on a fatal signal; -ENOMEM.
 */
int dmalock_pin(struct dmalock_buf *buf)
{
	unsigned long addr;
	int n, ret;

	buf->pages = kvmalloc_array(buf->nr_pages, sizeof(*buf->pages),
				    GFP_KERNEL);
	if (!buf->pages)
		return -ENOMEM;

	while (buf->nr_pinned < buf->nr_pages) {
		if (fatal_signal_pending(current))
			return -EINTR;
		n = min_t(unsigned long, buf->nr_pages - buf->nr_pinned,
			  DMALOCK_PIN_BATCH);
		addr = buf->uaddr + (buf->nr_pinned << PAGE_SHIFT);
		ret = pin_user_pages_fast(addr, n, FOLL_WRITE | FOLL_LONGTERM,
					  buf->pages + buf->nr_pinned);
		if (ret <= 0)
			return ret ? ret : -EFAULT;
		buf->nr_pinned += ret;
		atomic64_add(ret, &dmalock_counters.pinned_pages);
		cond_resched();
	}
	return 0;
}

/**
 * dmalock_unpin() - unpin what dmalock_pin() pinned and free the array
 * @buf: the lock, unmapped
 *
 * Pages the device may have written (any direction but TO_DEVICE) are
 * marked dirty, so that their contents are not lost if the memory is
 * reclaimed after the unpin.
 */
void dmalock_unpin(struct dmalock_buf *buf)
{
	if (buf->nr_pinned) {
		unpin_user_pages_dirty_lock(buf->pages, buf->nr_pinned,
					    buf->dir != DSMIL_DMA_LOCK_TO_DEVICE);
		atomic64_sub(buf->nr_pinned, &dmalock_counters.pinned_pages);
		buf->nr_pinned = 0;
	}
	kvfree(buf->pages);
	buf->pages = NULL;
}
