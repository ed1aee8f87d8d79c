#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A lost allocation: the case itself passes (nothing is logged), the
# kmemleak scan after the cases must fail the run.
. "$DSMIL_SRC/tests/vm/lib.sh"
load dsmil_debugcheck leak=1
unload dsmil_debugcheck
