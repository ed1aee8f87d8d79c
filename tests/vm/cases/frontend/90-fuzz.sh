#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Random ioctls (and reads, writes, mmaps of the device nodes): 100,000
# calls as root and 20,000 as an unprivileged user with world-writable
# nodes.  Every call gets a documented result, the kernel logs no splat
# (the harness checks) and the whole stack unloads afterwards.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

FUZZ=$FE_TOOLS/dsmil-fuzz
[ -x "$FUZZ" ] || fail "no dsmil-fuzz in $DSMIL_SRC/build/tools: run 'make -C tools' on the host first"
fe_nobody_runs "$FUZZ"
seed=${DSMIL_FUZZ_SEED:-$(date +%s)}
note "seed $seed (DSMIL_FUZZ_SEED=$seed reproduces)"

fe_load backend=emu
start=$(date +%s)
"$FUZZ" -n 100000 -s "$seed" || fail "dsmil-fuzz as root failed (seed $seed)"
chmod 0666 /dev/dsmil/*
as_nobody "$FUZZ" -n 20000 -s "$((seed + 1))" || fail "dsmil-fuzz as nobody failed (seed $((seed + 1)))"
note "$(( $(date +%s) - start )) s"
# The fuzzer left nothing behind: its locks went with its files.
assert_eq "$(ctl --json stats | json '[.dma_handles, .dma_owners]')" "[0,1]" "DMA locks and owners"
fe_unload
for m in $FE_MODULES; do
	assert_not_loaded "$m"
done
