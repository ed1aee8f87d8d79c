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

#endif /* _DSMIL_COMPAT_H */
