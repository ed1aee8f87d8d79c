// SPDX-License-Identifier: GPL-2.0
/*
 * mmap.c - mapping a device's register window into userspace, uncached.
 *
 * The core cannot guard accesses made through a mapping, so the frontend
 * does, page by page: pages are mapped on fault and always read-only; the
 * first write to a page asks pfn_mkwrite, which refuses (SIGBUS) while the
 * device is quarantined or gone, a thermal emergency is latched or the
 * kernel is locked down.  A thermal emergency and the removal of a device
 * revoke the existing page table entries (unmap_mapping_range() on every
 * open file of the node), so that each access after it faults again and is
 * judged anew: reads go on during an emergency, writes resume after it.
 * Removal (the driver's remove, node.c) sets node->gone before it revokes,
 * and faults look at it under node->lock: once remove has returned, every
 * access to a former mapping gets SIGBUS, before the backend releases the
 * window.
 *
 * A writable mapping needs a file opened for writing (CAP_SYS_RAWIO at
 * open, devfile.c) of a device that is not quarantined and whose window
 * holds none of the controller's own engine registers (the core's
 * dsmil_dev_window() says: pci, device (0, 0)); other mappings
 * lose VM_MAYWRITE, so mprotect() cannot add PROT_WRITE later.  Only
 * MAP_SHARED mappings are allowed (private copy-on-write of I/O memory
 * makes no sense).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/security.h>

#include "frontend.h"

/**
 * dsmil_fe_mappable() - whether a device's node can be mmap()ed
 * @ddev: the device (a reference held)
 *
 * Context: any.
 * Return: true if the backend gives the device a physical window.
 */
bool dsmil_fe_mappable(struct dsmil_device *ddev)
{
	struct dsmil_window win;

	return !dsmil_dev_window_readonly(ddev, &win);
}

static vm_fault_t dsmil_fe_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct dsmil_fe_file *f = vma->vm_private_data;
	struct dsmil_fe_node *node = f->node;
	struct dsmil_window win;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	pgprot_t prot;

	down_read(&node->lock);
	if (node->gone || dsmil_dev_window_readonly(node->ddev, &win))
		goto out_unlock;
	if (vmf->pgoff >= win.size >> PAGE_SHIFT)
		goto out_unlock;
	/* Read-only: write access is granted page by page, in pfn_mkwrite. */
	prot = pgprot_noncached(vm_get_page_prot(vma->vm_flags & ~VM_WRITE));
	ret = vmf_insert_pfn_prot(vma, vmf->address,
				  PHYS_PFN(win.phys) + vmf->pgoff, prot);
out_unlock:
	up_read(&node->lock);
	return ret;
}

static vm_fault_t dsmil_fe_vm_pfn_mkwrite(struct vm_fault *vmf)
{
	struct dsmil_fe_file *f = vmf->vma->vm_private_data;
	struct dsmil_fe_node *node = f->node;

	if (READ_ONCE(node->gone) || node->ddev->quarantined ||
	    READ_ONCE(dsmil_fe.thermal_emergency))
		return VM_FAULT_SIGBUS;
	if (security_locked_down(LOCKDOWN_DEV_MEM)) {
		dsmil_fe_count(refused_lockdown);
		return VM_FAULT_SIGBUS;
	}
	return 0;
}

static const struct vm_operations_struct dsmil_fe_vm_ops = {
	.fault = dsmil_fe_vm_fault,
	.pfn_mkwrite = dsmil_fe_vm_pfn_mkwrite,
};

/**
 * dsmil_fe_mmap() - mmap of /dev/dsmil/<device>
 * @filp: an open device node
 * @vma: the mapping; vm_pgoff is the page offset in the window
 *
 * Return: 0; -ENODEV (device gone), -EINVAL (MAP_PRIVATE, range outside
 * the window), -EPERM (writable mapping of a quarantined device, or under
 * lockdown), -EACCES (writable mapping of a window that holds the
 * controller's engine registers), or the core's -ENXIO (absent) /
 * -EOPNOTSUPP (no windows).
 */
int dsmil_fe_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct dsmil_fe_file *f = filp->private_data;
	struct dsmil_device *ddev = f->node->ddev;
	unsigned long pages = vma_pages(vma), win_pages;
	struct dsmil_window win;
	int ret, wret;

	if (READ_ONCE(f->node->gone))
		return -ENODEV;
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	ret = dsmil_dev_window_readonly(ddev, &win);
	if (ret)
		return ret;
	win_pages = win.size >> PAGE_SHIFT;
	if (vma->vm_pgoff >= win_pages || pages > win_pages - vma->vm_pgoff)
		return -EINVAL;
	/* -EPERM quarantined, -EACCES the controller's engine registers. */
	wret = dsmil_dev_window(ddev, &win);
	if (vma->vm_flags & VM_WRITE) {
		if (wret)
			return wret;
		ret = security_locked_down(LOCKDOWN_DEV_MEM);
		if (ret) {
			dsmil_fe_count(refused_lockdown);
			return ret;
		}
	}
	if (wret || !(filp->f_mode & FMODE_WRITE))
		dsmil_vm_flags_clear(vma, VM_MAYWRITE);
	dsmil_vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	vma->vm_ops = &dsmil_fe_vm_ops;
	vma->vm_private_data = f;
	dsmil_fe_count(mmaps);
	return 0;
}

/**
 * dsmil_fe_node_revoke() - unmap every page mapped from a node
 * @node: the node
 *
 * Later accesses fault and are judged again (dsmil_fe_vm_fault()).
 *
 * Context: process context; takes node->files_lock.
 */
void dsmil_fe_node_revoke(struct dsmil_fe_node *node)
{
	struct dsmil_fe_file *f;

	mutex_lock(&node->files_lock);
	list_for_each_entry(f, &node->files, link)
		unmap_mapping_range(f->filp->f_mapping, 0, 0, 1);
	mutex_unlock(&node->files_lock);
}
