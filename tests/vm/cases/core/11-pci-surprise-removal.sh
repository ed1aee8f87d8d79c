#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Removing the edu PCI device while a user holds dsmil devices and keeps
# calling: the devices leave the bus, every later call on a held device
# fails with -ENODEV, releasing them frees everything, and a rescan binds
# the device again.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

[ -n "$DSMIL_EDU_BDF" ] || skip "no edu device in this VM"
trap 'edu_restore; core_cleanup' EXIT

load dsmil_core backend=pci
load dsmil_core_test
ct hold 0x8000 >/dev/null
ct hold 0x8005 >/dev/null
assert_eq "$(cat $CORE_CTRL/active_devices)" 2 "active_devices"

# A user hammering the device while it goes away.
( for _ in $(seq 400); do
	echo "read 0x8005 0" > "$CORE_CMD" 2>/dev/null
	echo "write 0x8005 0x0c 1" > "$CORE_CMD" 2>/dev/null
  done ) &
hammer=$!
sleep 0.2
echo 1 > "/sys/bus/pci/devices/$DSMIL_EDU_BDF/remove"
wait $hammer

[ ! -e "/sys/bus/pci/devices/$DSMIL_EDU_BDF" ] || fail "edu still present"
assert_eq "$(ndevs)" 0 "devices after removal"
[ ! -e $CORE_CTRL ] || fail "controller still registered"
ct_eq "add=0 remove=84 irq=0 last_irq=0x0" events
ct_fails "No such device" read 0x8000 0
ct_fails "No such device" write 0x8005 0x0c 1
ct_fails "No such device" dma 0x8000 0 16 1
ct_fails "No such device" window 0x8000
ct_fails "No such device" dmasize 0x8005
ct_fails "No such file or directory" read 0x8001 0
ct release 0x8000 >/dev/null
ct release 0x8005 >/dev/null

echo 1 > /sys/bus/pci/rescan
[ -e "/sys/bus/pci/devices/$DSMIL_EDU_BDF" ] || fail "edu not back after rescan"
assert_eq "$(ndevs)" 84 "devices after rescan"
assert_eq "$(cat $CORE_CTRL/backend)" pci "backend after rescan"
ct_eq 0x010000ed read 0x8000 0
unload dsmil_core_test dsmil_core
assert_eq "$(grep -c dsmil_core /proc/interrupts)" 0 "interrupt lines left"
