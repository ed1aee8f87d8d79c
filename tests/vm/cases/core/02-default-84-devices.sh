#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The default layout is 7 groups of 12 = 84 devices named dsmil0:g<G>d<II>,
# token 0x8000 + g*12 + i, with the documented attributes and MODALIAS.
# dsmil-matrix: compat: bus_uevent_const_dev
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

load dsmil_core backend=emu
assert_eq "$(ndevs)" 84 "devices"

d=dsmil0:g0d00
assert_eq "$(dev_attr $d token)" 0x8000 "$d token"
assert_eq "$(dev_attr $d group)" 0 "$d group"
assert_eq "$(dev_attr $d index)" 0 "$d index"
assert_eq "$(dev_attr $d state)" present "$d state"
assert_eq "$(dev_attr $d quarantined)" 0 "$d quarantined"
assert_eq "$(dev_attr $d mmio_size)" 4096 "$d mmio_size"

d=dsmil0:g2d05
assert_eq "$(dev_attr $d token)" 0x801d "$d token"
grep -qx 'MODALIAS=dsmil:t801Dg02i05' "$CORE_DEVS/$d/uevent" ||
	fail "$d MODALIAS: $(cat "$CORE_DEVS/$d/uevent")"

d=dsmil0:g6d11
assert_eq "$(dev_attr $d token)" 0x8053 "$d token (last)"
assert_eq "$(dev_attr $d group)" 6 "$d group"
assert_eq "$(dev_attr $d index)" 11 "$d index"

# The default quarantine: 0x8009 0x800a 0x800b 0x8019 0x8029.
for d in dsmil0:g0d09 dsmil0:g0d10 dsmil0:g0d11 dsmil0:g2d01 dsmil0:g3d05; do
	assert_eq "$(dev_attr $d quarantined)" 1 "$d quarantined"
	assert_eq "$(dev_attr $d state)" quarantined "$d state"
done
assert_eq "$(cat $CORE_DEVS/*/quarantined | grep -c 1)" 5 "quarantined devices"

assert_eq "$(cat $CORE_CTRL/active_devices)" 0 "active_devices"
assert_eq "$(cat $CORE_CTRL/thermal_state)" ok "thermal_state"
assert_eq "$(cat $CORE_CTRL/temp_mc)" 40000 "temp_mc"
[ ! -e $CORE_DEVS/dsmil0:g7d00 ] || fail "an 8th group exists"
