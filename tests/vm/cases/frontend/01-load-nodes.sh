#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "modprobe dsmil" loads the whole stack (core, smi, dmalock) and creates
# /dev/dsmil/ctl and one node per device, root-only; unloading removes them.
# dsmil-matrix: load/unload; compat: class_devnode_const, ns_identifier
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

dmesg_mark
load dsmil
for m in dsmil_core dsmil_smi dsmil_dmalock dsmil; do
	assert_loaded $m
done
assert_dmesg '^.*dsmil: ABI 1\.2, 84 device nodes$' 1
[ -c $FE_CTL ] || fail "no $FE_CTL"
assert_eq "$(find /dev/dsmil -mindepth 1 -name 'dsmil0:*' | wc -l)" 84 "device nodes"
assert_eq "$(stat -c '%a %U %G' $FE_CTL)" "600 root root" "ctl mode"
assert_eq "$(stat -c '%a %U %G' /dev/dsmil/dsmil0:g2d05)" "600 root root" "node mode"
IFS=: read -r major minor < /sys/class/dsmil/dsmil0:g2d05/dev
assert_eq "$(stat -c '%t:%T' /dev/dsmil/dsmil0:g2d05)" "$(printf '%x:%x' "$major" "$minor")" "node numbers"
# Nodes hold no user reference: devices stay "present" until opened.
assert_eq "$(cat $FE_DEVS/dsmil0:g0d00/state)" present "state while closed"
exec 3< /dev/dsmil/dsmil0:g0d00
assert_eq "$(cat $FE_DEVS/dsmil0:g0d00/state)" active "state while open"
exec 3<&-
assert_eq "$(cat $FE_DEVS/dsmil0:g0d00/state)" present "state after close"

fe_unload
[ ! -e /dev/dsmil ] || [ -z "$(ls -A /dev/dsmil)" ] || fail "nodes left: $(ls /dev/dsmil)"
