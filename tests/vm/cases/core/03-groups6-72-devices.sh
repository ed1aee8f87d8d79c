#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# groups=6 gives the legacy layout: 72 devices, last token 0x8047.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

load dsmil_core backend=emu groups=6
assert_eq "$(ndevs)" 72 "devices"
assert_eq "$(dev_attr dsmil0:g5d11 token)" 0x8047 "last token"
assert_eq "$(dev_attr dsmil0:g3d05 token)" 0x8029 "g3d05 token"
assert_eq "$(dev_attr dsmil0:g3d05 quarantined)" 1 "0x8029 quarantined"
[ ! -e $CORE_DEVS/dsmil0:g6d00 ] || fail "a 7th group exists"
