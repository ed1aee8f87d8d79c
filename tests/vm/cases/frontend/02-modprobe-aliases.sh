#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "modprobe dsmil-84dev" and "modprobe dsmil-72dev" load the whole stack in
# their layout: the aliases are the frontend's own (modules.alias), the
# layouts come from etc/modprobe.d/dsmil-layout.conf.  A frontend asked for
# one layout refuses a core loaded with another, in one line.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

conf=$DSMIL_SRC/etc/modprobe.d/dsmil-layout.conf
nodes() { find /dev/dsmil -mindepth 1 -name 'dsmil*' | wc -l; }

# The alias alone (no configuration): the module and what it needs.
modprobe dsmil-84dev || fail "modprobe dsmil-84dev failed"
for m in dsmil_core dsmil_smi dsmil_dmalock dsmil; do
	assert_loaded $m
done
assert_eq "$(nodes)" 84 "device nodes (dsmil-84dev)"
fe_unload

# With the shipped configuration.
modprobe -C "$conf" dsmil-72dev || fail "modprobe dsmil-72dev failed"
assert_eq "$(nodes)" 72 "device nodes (dsmil-72dev)"
assert_eq "$(cat /sys/module/dsmil_core/parameters/groups)" 6 "core groups"
assert_eq "$(cat /sys/module/dsmil/parameters/layout)" 72 "frontend layout"
assert_eq "$(ctl --json info | json '[.devices, .groups, .devices_per_group]')" "[72,6,12]" "dsmilctl info"
modprobe -C "$conf" -r dsmil-72dev || fail "modprobe -r dsmil-72dev failed"
assert_not_loaded dsmil
assert_not_loaded dsmil_core

modprobe -C "$conf" dsmil-84dev || fail "modprobe dsmil-84dev (configured) failed"
assert_eq "$(nodes)" 84 "device nodes (dsmil-84dev, configured)"
assert_eq "$(cat /sys/module/dsmil/parameters/layout)" 84 "frontend layout"
modprobe -C "$conf" -r dsmil-84dev || fail "modprobe -r dsmil-84dev failed"

# A core already loaded in the other layout: the frontend says why.
load dsmil_core backend=emu
dmesg_mark
load_fails "Invalid argument" dsmil layout=72
assert_dmesg '^.*dsmil: layout=72: dsmil_core has 7 groups of 12 devices; load it with groups=6 devices_per_group=12$' 1
load_fails "Invalid argument" dsmil layout=80
assert_dmesg '^.*dsmil: invalid layout=80: allowed 0, 72 or 84$' 1
