// SPDX-License-Identifier: GPL-2.0
/*
 * PCI_IRQ_INTX replaced PCI_IRQ_LEGACY in 6.10 (the old name is gone).
 */
#include <linux/pci.h>

unsigned int dsmil_probe_intx = PCI_IRQ_INTX;
