#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# backend=emu loads with the default layout and unloads leaving nothing
# behind: no bus, no controller class, no debugfs, no platform device.
# dsmil-matrix: load/unload; compat: bus_register_const
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

dmesg_mark
load dsmil_core backend=emu
assert_eq "$(cat $CORE_CTRL/backend)" emu "controller backend"
assert_eq "$(ndevs)" 84 "devices on the bus"
assert_eq "$(stat -c %a $CORE_DBG/emu_temp_mc)" 600 "emu_temp_mc mode"
[ -d /sys/devices/platform/dsmil-emu ] || fail "no dsmil-emu platform device"
assert_dmesg 'dsmil_core: emu backend started' 1
unload dsmil_core
assert_not_loaded dsmil_core
[ ! -e /sys/bus/dsmil ] || fail "/sys/bus/dsmil left behind"
[ ! -e /sys/class/dsmil_controller ] || fail "controller class left behind"
[ ! -e $CORE_DBG ] || fail "debugfs dsmil left behind"
[ ! -e /sys/devices/platform/dsmil-emu ] || fail "dsmil-emu left behind"
