// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into dsmil_smi and dsmil_dmalock (on dsmil_core, emu
 * backend): every allocation of each load and unload fails in turn.  A
 * failed load gives back every reference it took on dsmil_core; an unload
 * never fails.
 */
#include "faultinj.h"

static int core_ref;

static void deps_clean(const char *what)
{
	check(fi_refcnt("dsmil_core") == core_ref,
		 "%s: dsmil_core's refcnt is %d, was %d", what,
		 fi_refcnt("dsmil_core"), core_ref);
}

static void unload_all(void)
{
	fi_sh("rmmod dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	atexit(unload_all);
	if (fi_sh("modprobe dsmil_core backend=emu groups=2 devices_per_group=3"))
		fi_die("modprobe dsmil_core failed");
	core_ref = fi_refcnt("dsmil_core");

	fi_sweep_load("dsmil_smi", "", 1, deps_clean);
	fi_sweep_load("dsmil_dmalock", "", 1, deps_clean);
	return failures ? 1 : 0;
}
