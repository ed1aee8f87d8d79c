#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# backend=auto picks pci when edu is present; without it, platform when
# mmio_base is set, else emu; backend=pci without a device fails -ENODEV.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

[ -n "$DSMIL_EDU_BDF" ] || skip "no edu device in this VM"
trap 'edu_restore; core_cleanup' EXIT

load dsmil_core
assert_eq "$(cat $CORE_CTRL/backend)" pci "auto with edu"
unload dsmil_core

echo 1 > "/sys/bus/pci/devices/$DSMIL_EDU_BDF/remove"
load dsmil_core
assert_eq "$(cat $CORE_CTRL/backend)" emu "auto without edu"
unload dsmil_core
load dsmil_core mmio_base="$DSMIL_RESERVED_BASE" mmio_size="$DSMIL_RESERVED_SIZE"
assert_eq "$(cat $CORE_CTRL/backend)" platform "auto with mmio_base"
unload dsmil_core

dmesg_mark
load_fails "No such device" dsmil_core backend=pci
assert_dmesg "dsmil_core: backend=pci: no supported PCI device could be bound" 1
[ ! -e /sys/bus/dsmil ] || fail "/sys/bus/dsmil left behind"
