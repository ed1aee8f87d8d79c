#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two mutexes taken in both orders (never at the same time, so no
# deadlock): only lockdep notices, and the harness must fail the case.
. "$DSMIL_SRC/tests/vm/lib.sh"
load dsmil_debugcheck lockdep=1
unload dsmil_debugcheck
