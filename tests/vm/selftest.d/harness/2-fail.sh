#!/bin/bash
# A case that fails by its exit status.
. "$DSMIL_SRC/tests/vm/lib.sh"
assert_eq 1 2 "deliberate mismatch"
