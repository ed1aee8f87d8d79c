#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A quarantined device is never written: register writes, DMA to the
# device and window mapping all fail with -EPERM; register reads work.
# The device memory is the controller's, shared by all its devices: a
# quarantined device is cut off from it in both directions (DMA from the
# device fails with -EPERM too), so what a sibling writes there never
# reaches a quarantined device through the suite.  The
# quarantine parameter replaces the default list; "none" empties it.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

load dsmil_core backend=emu
load dsmil_core_test
for t in 0x8009 0x800a 0x800b 0x8019 0x8029; do
	ct_fails "Operation not permitted" write $t 0x0c 0x1234
	ct_fails "Operation not permitted" dma $t 0 16 1
	ct_fails "Operation not permitted" dmaread $t 0 16
	ct_fails "Operation not permitted" window $t
	ct_eq 0x00000000 read $t 0x0c
done
ct write 0x8008 0x0c 0x1234 >/dev/null
ct_eq 0x00001234 read 0x8008 0x0c
ct_eq ok dma 0x8008 0 16 1
ct_eq ok dmaread 0x8008 0 16
unload dsmil_core_test dsmil_core

load dsmil_core backend=emu quarantine=0x8001
load dsmil_core_test
assert_eq "$(dev_attr dsmil0:g0d01 quarantined)" 1 "0x8001 quarantined"
assert_eq "$(dev_attr dsmil0:g0d09 quarantined)" 0 "0x8009 not quarantined"
ct_fails "Operation not permitted" write 0x8001 0x0c 1
ct write 0x8009 0x0c 0x55 >/dev/null
ct_eq 0x00000055 read 0x8009 0x0c
unload dsmil_core_test dsmil_core

load dsmil_core backend=emu quarantine=none
assert_eq "$(cat $CORE_DEVS/*/quarantined | grep -c 1)" 0 "quarantined with none"
