// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into dsmil_core on the emu backend (one group of two
 * devices: failures between the devices too): every allocation of its
 * load fails in turn, then every allocation of its unload.  A failed load leaves nothing registered (bus,
 * class, debugfs); an unload never fails.
 */
#include "faultinj.h"

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	fi_sweep_load("dsmil_core", "backend=emu groups=1 devices_per_group=2", 1,
		      fi_core_clean);
	return failures ? 1 : 0;
}
