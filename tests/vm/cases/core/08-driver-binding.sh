#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A dsmil driver binds by token and by (group, index); bound and held
# devices are "active" and counted in the controller's active_devices.
# dsmil-matrix: compat: bus_match_const_drv, bus_remove_void
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

load dsmil_core backend=emu
load dsmil_core_test bind=1
ct_eq 2 bound
for d in dsmil0:g0d01 dsmil0:g1d02; do
	assert_eq "$(dev_attr $d state)" active "$d state"
	assert_eq "$(basename "$(readlink "$CORE_DEVS/$d/driver")")" \
		dsmil_core_test "$d driver"
done
assert_eq "$(cat $CORE_CTRL/active_devices)" 2 "active_devices with driver"

ct hold 0x8005 >/dev/null
assert_eq "$(dev_attr dsmil0:g0d05 state)" active "held device state"
assert_eq "$(cat $CORE_CTRL/active_devices)" 3 "active_devices with a hold"
ct_eq 0x8017 find 1 11
ct_eq devices=84 count
ct release 0x8005 >/dev/null
assert_eq "$(dev_attr dsmil0:g0d05 state)" present "released device state"

unload dsmil_core_test
assert_eq "$(cat $CORE_CTRL/active_devices)" 0 "active_devices after unbind"
assert_eq "$(dev_attr dsmil0:g0d01 state)" present "unbound device state"
