#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit suite of dsmil_smi: dsmil_smi_rules (token space, parameter values,
# batches, write windows, rate limit).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/kunit/kunit-lib"

kunit_run dsmil_smi_kunit
