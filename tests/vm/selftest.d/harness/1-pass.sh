#!/bin/bash
# A case that passes.
. "$DSMIL_SRC/tests/vm/lib.sh"
assert_eq "$(uname -r)" "$DSMIL_KVER" "guest kernel"
