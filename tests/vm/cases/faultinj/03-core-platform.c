// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into dsmil_core on the platform backend (1 MiB of the
 * reserved RAM in 64 KiB chunks, one group of two devices): every
 * allocation of its load fails in turn, then every one of its unload.  A
 * failed load leaves nothing registered, the region released included (the
 * next load requests it again); an unload never fails.
 */
#include "faultinj.h"

int main(void)
{
	const char *base = getenv("DSMIL_RESERVED_BASE");
	char params[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	if (!base)
		fi_die("no DSMIL_RESERVED_BASE");
	snprintf(params, sizeof(params),
		 "backend=platform mmio_base=%s mmio_size=0x100000 chunk_size=0x10000 max_mapped_chunks=2 groups=1 devices_per_group=2",
		 base);
	fi_sweep_load("dsmil_core", params, 1, fi_core_clean);
	return failures ? 1 : 0;
}
