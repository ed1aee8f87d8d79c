#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dsmil_debugcheck without a bug: loads and unloads, nothing to report.
. "$DSMIL_SRC/tests/vm/lib.sh"
load dsmil_debugcheck
unload dsmil_debugcheck
