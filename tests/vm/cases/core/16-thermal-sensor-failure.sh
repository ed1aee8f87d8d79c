#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The thermal guard fails closed.  When the sensor cannot be read (the
# emulated one told to fail with EIO through debugfs emu_temp_error) the
# guard's state is "unknown" before the write returns: the notifier fires
# once, register writes and DMA fail with -EHOSTDOWN like in an emergency,
# reads still work (smi/09-thermal: the token service refuses too).  A good
# reading below the clearing point makes it "ok" again; one in the
# hysteresis band latches an emergency.  With thermal_fail_open=1 the state
# is "unknown" but guarded operations go on.  An ambiguous zone type is
# refused at load (core/05-bad-params has the missing one).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

dmesg_mark
load dsmil_core backend=emu thermal_limit_mc=85000
load dsmil_core_test
ct_eq "state=ok temp=40000 emergencies=0 clears=0" thermal
[ "$(cat $CORE_DBG/emu_temp_error)" = 0 ] || fail "emu_temp_error is not 0 at load"

echo 5 > $CORE_DBG/emu_temp_error
ct_eq "state=unknown temp=40000 emergencies=0 clears=0 unknowns=1 refuses=1" thermal
assert_eq "$(cat $CORE_CTRL/thermal_state)" unknown "thermal_state"
assert_dmesg 'dsmil_core: thermal sensor emulated cannot be read \(-5\): guard state unknown, guarded operations refused until it reads again' 1
ct_fails "Host is down" write 0x8000 0x0c 1
ct_fails "Host is down" dma 0x8000 0 64 1
ct_eq 0x00009c40 read 0x8000 0x18

echo 0 > $CORE_DBG/emu_temp_error
ct_eq "state=ok temp=40000 emergencies=0 clears=1 unknowns=1 refuses=0" thermal
assert_dmesg 'dsmil_core: thermal sensor emulated reads again: 40000 mC, guard ok' 1
ct write 0x8000 0x0c 1 >/dev/null
ct_eq ok dma 0x8000 0 64 1

# Back from unknown into the hysteresis band: an emergency, not "ok".
echo 5 > $CORE_DBG/emu_temp_error
echo 82000 > $CORE_DBG/emu_temp_mc
echo 0 > $CORE_DBG/emu_temp_error
ct_eq "state=emergency temp=82000 emergencies=1 clears=1 unknowns=2 refuses=1" thermal
echo 40000 > $CORE_DBG/emu_temp_mc
ct_eq "state=ok temp=40000 emergencies=1 clears=2 unknowns=2 refuses=0" thermal
# Not an errno: refused.
if (echo 4096 > $CORE_DBG/emu_temp_error) 2>/dev/null; then
	fail "emu_temp_error took 4096"
fi
unload dsmil_core_test
unload dsmil_core

# thermal_fail_open=1: unknown, logged, and allowed.
dmesg_mark
load dsmil_core backend=emu thermal_fail_open=1
load dsmil_core_test
echo 5 > $CORE_DBG/emu_temp_error
ct_eq "state=unknown temp=40000 emergencies=0 clears=0 unknowns=1 refuses=0" thermal
assert_dmesg 'guard state unknown, guarded operations allowed \(thermal_fail_open=1\)' 1
ct write 0x8000 0x0c 1 >/dev/null
ct_eq ok dma 0x8000 0 64 1
echo 0 > $CORE_DBG/emu_temp_error
unload dsmil_core_test
unload dsmil_core
true
