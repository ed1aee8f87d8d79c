#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 50 load/unload cycles over the three backends (dsmil_load_cycles=N on
# the kernel command line: make check's debug leg runs 12, check-full 21) leave nothing
# behind: no bus, no requested region, no interrupt, controller numbers
# reused.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

cycles=$(cmdline_arg dsmil_load_cycles 50)
for i in $(seq "$cycles"); do
	case $((i % 3)) in
	0) load dsmil_core backend=emu ;;
	1) if [ -n "$DSMIL_EDU_BDF" ]; then
		load dsmil_core backend=pci
	   else
		load dsmil_core backend=emu
	   fi ;;
	2) load dsmil_core backend=platform mmio_base="$DSMIL_RESERVED_BASE" \
		mmio_size="$DSMIL_RESERVED_SIZE" ;;
	esac
	[ -e $CORE_CTRL ] || fail "cycle $i: no dsmil0"
	assert_eq "$(ndevs)" 84 "cycle $i devices"
	unload dsmil_core
	[ $((i % 10)) != 0 ] || note "cycle $i: $SECONDS s"
done
[ ! -e /sys/bus/dsmil ] || fail "/sys/bus/dsmil left behind"
grep -q " : dsmil_core" /proc/iomem && fail "region still requested"
assert_eq "$(grep -c dsmil_core /proc/interrupts)" 0 "interrupt lines left"
true
