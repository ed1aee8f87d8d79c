// SPDX-License-Identifier: GPL-2.0
/*
 * RAM -> edu -> RAM through real device DMA (backend=pci: edu's engine
 * bus-masters its 4095 usable bytes), byte-exact.
 * dsmil-matrix: smoke: dsmil_dmalock
 */
#include "roundtrip.h"

int main(void)
{
	if (!getenv("DSMIL_EDU_BDF") || !*getenv("DSMIL_EDU_BDF")) {
		printf("SKIP: no edu device\n");
		return 77;
	}
	roundtrip("pci", 4095);
	return 0;
}
