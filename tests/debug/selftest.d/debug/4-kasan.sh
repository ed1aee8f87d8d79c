#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A one-byte write past a kmalloc()ed buffer (inside the slab object):
# only KASAN notices, and the harness must fail the case.
. "$DSMIL_SRC/tests/vm/lib.sh"
load dsmil_debugcheck oob=1
unload dsmil_debugcheck
