#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# backend=platform on a region that is not free (system RAM at 16 MiB)
# fails the load with -EBUSY, one log line, nothing registered.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

dmesg_mark
load_fails "Device or resource busy" dsmil_core backend=platform \
	mmio_base=0x1000000 mmio_size=0x100000
assert_dmesg "dsmil-platform: MMIO region 0x0000000001000000\+0x100000 is busy" 1
[ ! -e /sys/bus/dsmil ] || fail "/sys/bus/dsmil left behind"
[ ! -e /sys/devices/platform/dsmil-platform ] || fail "platform device left behind"
