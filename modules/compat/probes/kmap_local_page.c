// SPDX-License-Identifier: GPL-2.0
/*
 * kmap_local_page() and kunmap_local() appeared in 5.11; before, kmap()
 * and kunmap() (which take the page) map a page for a sleeping task.
 */
#include <linux/highmem.h>

void dsmil_probe_kmap_local(struct page *page);
void dsmil_probe_kmap_local(struct page *page)
{
	void *p = kmap_local_page(page);

	kunmap_local(p);
}
