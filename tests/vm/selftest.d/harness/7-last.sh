#!/bin/bash
# A case that must run after every other case of the run (the lockdown
# case is one): the harness takes it last and tells it so.
# dsmil-last: checks the harness's ordering of such cases
. "$DSMIL_SRC/tests/vm/lib.sh"
assert_eq "${DSMIL_LAST_CASE:-}" 1 "DSMIL_LAST_CASE"
res=${DSMIL_VM_RESULTS:?no DSMIL_VM_RESULTS}
assert_eq "$(find "$res/claims" -mindepth 1 -maxdepth 1 | wc -l)" \
	"$(wc -l < "$res/cases.list")" "cases claimed before the last one"
