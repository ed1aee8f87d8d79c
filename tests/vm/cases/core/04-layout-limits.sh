#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The layout limits load: 1x1 (one device) and 16x32 (512 devices, tokens
# up to 0x81ff).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

load dsmil_core backend=emu groups=1 devices_per_group=1
assert_eq "$(ndevs)" 1 "devices of 1x1"
assert_eq "$(dev_attr dsmil0:g0d00 token)" 0x8000 "token of 1x1"
unload dsmil_core

load dsmil_core backend=emu groups=16 devices_per_group=32
assert_eq "$(ndevs)" 512 "devices of 16x32"
assert_eq "$(dev_attr dsmil0:g15d31 token)" 0x81ff "last token of 16x32"
assert_eq "$(dev_attr dsmil0:g0d09 quarantined)" 1 "0x8009 quarantined"
assert_eq "$(dev_attr dsmil0:g0d25 quarantined)" 1 "0x8019 quarantined"
