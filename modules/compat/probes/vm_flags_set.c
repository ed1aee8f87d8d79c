// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.3 vma->vm_flags is read-only: vm_flags_set() and vm_flags_clear()
 * change it.
 */
#include <linux/mm.h>

void dsmil_probe_vm_flags(struct vm_area_struct *vma);
void dsmil_probe_vm_flags(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
	vm_flags_clear(vma, VM_MAYWRITE);
}
