// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into a dsmil_core load of the default layout (emu, 84
 * devices): its allocations are counted, and 12 of them spread over the
 * whole load fail in turn (the small layouts of the other cases fail
 * every one).  A failed load leaves nothing registered.
 */
#include "faultinj.h"

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	fi_sample_load("dsmil_core", "backend=emu", 12, fi_core_clean);
	return failures ? 1 : 0;
}
