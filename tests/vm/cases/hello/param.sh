#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Parameters given to modprobe reach the module.
# dsmil-matrix: load/unload
. "$DSMIL_SRC/tests/vm/lib.sh"

dmesg_mark
load dsmil_hello repeat=3
assert_eq "$(cat /sys/module/dsmil_hello/parameters/repeat)" 3 "repeat in sysfs"
assert_dmesg 'dsmil_hello: init$' 3
assert_eq "$(cat /sys/module/dsmil_hello/version)" "$(cat "$DSMIL_SRC/VERSION")" "module version"
unload dsmil_hello
