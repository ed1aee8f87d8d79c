#!/bin/bash
# A case that exits 0 but makes the kernel WARN: the harness must fail it.
. "$DSMIL_SRC/tests/vm/lib.sh"
load dsmil_selftest warn=1
unload dsmil_selftest
