#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dsmil_hello loads with modprobe, logs "init", unloads, logs "exit".
# dsmil-matrix: load/unload
. "$DSMIL_SRC/tests/vm/lib.sh"

dmesg_mark
load dsmil_hello
assert_loaded dsmil_hello
assert_dmesg '^\[ *[0-9.]+\] dsmil_hello: init$' 1
unload dsmil_hello
assert_not_loaded dsmil_hello
assert_dmesg '^\[ *[0-9.]+\] dsmil_hello: exit$' 1
