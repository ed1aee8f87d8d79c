// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into dsmil_core on the pci backend (QEMU's edu device,
 * one group of two devices): every fourth allocation of its load, the
 * probe included, fails in turn, then every fourth of its unload (the
 * offset changes daily, so four days cover them all; the part the
 * backends share is swept whole on emu; DSMIL_FI_STRIDE=1 fails every
 * one).  A failed load leaves nothing registered; an unload never fails.
 */
#include "faultinj.h"

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	fi_sweep_load("dsmil_core", "backend=pci groups=1 devices_per_group=2", 4,
		      fi_core_clean);
	return fi_failures ? 1 : 0;
}
