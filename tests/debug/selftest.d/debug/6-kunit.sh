#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A KUnit test that fails (dsmil_kunit_selftest fail=1): the case fails and
# the harness reports the KUnit test case as a failing TAP test, next to
# the passing one.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/kunit/kunit-lib"

kunit_run dsmil_kunit_selftest fail=1
