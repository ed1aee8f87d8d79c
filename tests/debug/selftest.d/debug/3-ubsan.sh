#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An array read one element past its end (inside the structure): only
# UBSAN notices, and the harness must fail the case.
. "$DSMIL_SRC/tests/vm/lib.sh"
load dsmil_debugcheck ubsan=1
unload dsmil_debugcheck
