// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into dsmil, the frontend (on the emu backend): every
 * allocation of its load and unload fails in turn, on a small layout and
 * spread over a load with the default 84 devices.  A failed load leaves no
 * class, no /dev/dsmil/ctl and gives back its references on the modules
 * below; an unload never fails.
 */
#include "faultinj.h"

static const char *const deps[] = { "dsmil_core", "dsmil_smi", "dsmil_dmalock" };
static int refs[3];

static void fe_clean(const char *what)
{
	struct stat st;
	unsigned int i;

	check(stat("/sys/class/dsmil", &st), "%s: /sys/class/dsmil left behind",
		 what);
	check(stat("/dev/dsmil/ctl", &st), "%s: /dev/dsmil/ctl left behind",
		 what);
	for (i = 0; i < 3; i++)
		check(fi_refcnt(deps[i]) == refs[i],
			 "%s: %s's refcnt is %d, was %d", what, deps[i],
			 fi_refcnt(deps[i]), refs[i]);
}

static void unload_all(void)
{
	fi_sh("rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null");
}

static void load_deps(const char *core_params)
{
	unsigned int i;

	if (fi_sh("modprobe dsmil_core %s && modprobe dsmil_smi && modprobe dsmil_dmalock",
		  core_params))
		fi_die("modprobe of the modules below dsmil failed");
	for (i = 0; i < 3; i++)
		refs[i] = fi_refcnt(deps[i]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	atexit(unload_all);

	load_deps("backend=emu groups=1 devices_per_group=2");
	fi_sweep_load("dsmil", "", 1, fe_clean);
	unload_all();

	load_deps("backend=emu");
	fi_sample_load("dsmil", "", 8, fe_clean);
	return failures ? 1 : 0;
}
