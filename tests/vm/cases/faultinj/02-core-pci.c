// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into dsmil_core on the pci backend (QEMU's edu device,
 * one group of two devices): every allocation of its load after
 * bus_register()'s (fi_after_bus_register(): those are swept on emu), the
 * probe included, fails in turn, then every one of its unload.  A failed
 * load leaves nothing registered; an unload never fails.  No allocation
 * under register_irq_proc() fails, which every load reaches through
 * request_irq() of a new MSI vector: 6.12 warns at the vector's release
 * when one of them did (faultinj.h, FI_KERNEL_BROKEN_IRQ).
 */
#include "faultinj.h"

#define PARAMS	"backend=pci groups=1 devices_per_group=2"

int main(void)
{
	unsigned int first;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	first = fi_after_bus_register(PARAMS);
	fi_reject(FI_KERNEL_BROKEN_IRQ);
	fi_sweep_load_from("dsmil_core", PARAMS, first, 1, fi_core_clean);
	return failures ? 1 : 0;
}
