#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An out-of-range parameter fails the load with -EINVAL and one dmesg line
# that names the parameter and the allowed range.
# dsmil-matrix: load/unload
. "$DSMIL_SRC/tests/vm/lib.sh"

dmesg_mark
load_fails "Invalid argument" dsmil_hello repeat=9
assert_dmesg 'dsmil_hello: invalid repeat=9: allowed range 1-8' 1
assert_dmesg 'dsmil_hello: init' 0
