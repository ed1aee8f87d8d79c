#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit suite of dsmil_dmalock: dsmil_dmalock_shape (user ranges, segment
# limits, coalescing pages into a scatterlist).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/kunit/kunit-lib"

kunit_run dsmil_dmalock_kunit
