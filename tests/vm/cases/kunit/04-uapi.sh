#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit suite of the frontend: dsmil_uapi (layout of the ioctl argument
# structs and the rules the ioctls apply to them).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/kunit/kunit-lib"

kunit_run dsmil_fe_kunit
