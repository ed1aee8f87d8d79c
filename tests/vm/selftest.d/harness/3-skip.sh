#!/bin/bash
# A case that skips.
. "$DSMIL_SRC/tests/vm/lib.sh"
skip "deliberately"
