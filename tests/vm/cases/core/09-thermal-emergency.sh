#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Setting the emulated sensor to thermal_limit_mc latches an emergency
# before the debugfs write returns: the notifier fires once, register
# writes and DMA fail with -EHOSTDOWN, reads still work.  It clears only
# below limit - 5000 m°C.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

dmesg_mark
load dsmil_core backend=emu thermal_limit_mc=85000
load dsmil_core_test
ct_eq "state=ok temp=40000 emergencies=0 clears=0" thermal

echo 84999 > $CORE_DBG/emu_temp_mc
assert_eq "$(cat $CORE_CTRL/thermal_state)" ok "thermal_state below limit"
echo 85000 > $CORE_DBG/emu_temp_mc
ct_eq "state=emergency temp=85000 emergencies=1 clears=0" thermal
assert_eq "$(cat $CORE_CTRL/thermal_state)" emergency "thermal_state"
assert_eq "$(cat $CORE_CTRL/temp_mc)" 85000 "temp_mc"
assert_dmesg 'dsmil_core: thermal emergency: 85000 mC reached the limit of 85000 mC' 1
ct_fails "Host is down" write 0x8000 0x0c 1
ct_fails "Host is down" dma 0x8000 0 64 1
ct_eq 0x00014c08 read 0x8000 0x18

# Hysteresis: 80000 is not below 85000 - 5000.
echo 80000 > $CORE_DBG/emu_temp_mc
assert_eq "$(cat $CORE_CTRL/thermal_state)" emergency "thermal_state at 80000"
ct_fails "Host is down" write 0x8000 0x0c 1
echo 79999 > $CORE_DBG/emu_temp_mc
ct_eq "state=ok temp=79999 emergencies=1 clears=1" thermal
assert_dmesg 'dsmil_core: thermal emergency cleared: 79999 mC' 1
ct write 0x8000 0x0c 1 >/dev/null
ct_eq ok dma 0x8000 0 64 1

# A second crossing is a second emergency.
echo 100000 > $CORE_DBG/emu_temp_mc
ct_eq "state=emergency temp=100000 emergencies=2 clears=1" thermal
