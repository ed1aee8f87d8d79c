#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit suites of dsmil_core: dsmil_core_layout (token ids, windows,
# parameter checks, quarantine list) and dsmil_core_chunk (the chunk map,
# over the guest's reserved RAM).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/kunit/kunit-lib"

kunit_run dsmil_core_kunit region_base="$DSMIL_RESERVED_BASE" \
	region_size="$DSMIL_RESERVED_SIZE"
