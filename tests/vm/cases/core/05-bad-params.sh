#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every out-of-range parameter fails the load with -EINVAL and exactly one
# dsmil_core line naming the parameter and what is allowed; nothing stays
# registered.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

# rejected PARAM=VALUE EXPECTED_LINE
rejected()
{
	dmesg_mark
	load_fails "Invalid argument" dsmil_core "$1"
	assert_dmesg "dsmil_core: " 1
	dmesg_has "dsmil_core: $2" ||
		fail "$1: expected '$2', got: $(dmesg_since | grep dsmil_core)"
	[ ! -e /sys/bus/dsmil ] || fail "$1: /sys/bus/dsmil left behind"
	[ ! -e /sys/class/dsmil_controller ] || fail "$1: class left behind"
}

rejected backend=foo "invalid backend=foo: allowed auto, emu, pci, platform"
rejected groups=0 "invalid groups=0: allowed range 1-16"
rejected groups=17 "invalid groups=17: allowed range 1-16"
rejected devices_per_group=0 "invalid devices_per_group=0: allowed range 1-32"
rejected devices_per_group=33 "invalid devices_per_group=33: allowed range 1-32"
rejected mmio_size=4097 "invalid mmio_size=4097: allowed range 65536-17179869184, a multiple of 4096"
rejected mmio_size=32768 "invalid mmio_size=32768: allowed range 65536-17179869184, a multiple of 4096"
rejected mmio_base=0x1001 "invalid mmio_base=0x1001: allowed a multiple of 0x1000, non-zero for backend=platform"
rejected backend=platform "invalid mmio_base=0x0: allowed a multiple of 0x1000, non-zero for backend=platform"
rejected chunk_size=3000000 "invalid chunk_size=3000000: allowed a power of two in range 65536-67108864"
rejected chunk_size=32768 "invalid chunk_size=32768: allowed a power of two in range 65536-67108864"
rejected chunk_size=134217728 "invalid chunk_size=134217728: allowed a power of two in range 65536-67108864"
rejected max_mapped_chunks=0 "invalid max_mapped_chunks=0: allowed range 1-1024"
rejected max_mapped_chunks=1025 "invalid max_mapped_chunks=1025: allowed range 1-1024"
rejected quarantine=0x7fff "invalid quarantine=0x7fff: token '0x7fff' outside allowed range 0x8000-0x81ff"
rejected quarantine=0x8001,0x8200 "invalid quarantine=0x8001,0x8200: token '0x8200' outside allowed range 0x8000-0x81ff"
rejected quarantine=bogus "invalid quarantine=bogus: token 'bogus' outside allowed range 0x8000-0x81ff"
rejected thermal_limit_mc=19999 "invalid thermal_limit_mc=19999: allowed range 20000-125000"
rejected thermal_limit_mc=125001 "invalid thermal_limit_mc=125001: allowed range 20000-125000"
rejected thermal_zone=no-such-zone "invalid thermal_zone=no-such-zone: allowed the type of a registered thermal zone"
# Not a number at all: the kernel's parameter parser rejects it, naming it.
rejected groups=abc "\`abc' invalid for parameter \`groups'"
