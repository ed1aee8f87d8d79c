// SPDX-License-Identifier: GPL-2.0
/* RAM -> emu device memory -> RAM through the software engine, byte-exact. */
#include "roundtrip.h"

int main(void)
{
	roundtrip("emu", 4096);
	return 0;
}
