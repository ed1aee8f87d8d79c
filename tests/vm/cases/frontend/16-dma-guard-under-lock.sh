#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The thermal guard of a DMA transfer is checked under the controller's
# DMA lock, right before the engine runs, not before waiting for it: a
# transfer that waits behind another one while an emergency is latched is
# refused (-EHOSTDOWN) instead of running.  The emu engine is made slow
# (debugfs dsmil/emu_dma_delay_ms) so that one transfer of the test module
# holds the lock while dsmilctl's waits behind it.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

CT_CMD=/sys/kernel/debug/dsmil_core_test/cmd
trap '[ ! -d /sys/module/dsmil_core_test ] || rmmod dsmil_core_test; fe_cleanup' EXIT

fe_load backend=emu
load dsmil_core_test
echo 3000 > $FE_DBG/emu_dma_delay_ms || fail "no emu_dma_delay_ms knob"
assert_eq "$(cat $FE_DBG/emu_dma_delay_ms)" 3000 "emu_dma_delay_ms"

# A: a round trip through the test module; its first transfer holds the
# DMA lock for 3 s.
( echo "dma 0x8000 0 64 1" > $CT_CMD ) 2>/dev/null &
a=$!
sleep 1
# B: dsmilctl's transfer to the device passes every check before the lock
# and waits for it.
"$DSMILCTL" dma test --size 64 --device g1d00 >"$DSMIL_TMP/b.out" 2>&1 &
b=$!
sleep 1
echo 90000 > $FE_DBG/emu_temp_mc
rc=0
wait $b || rc=$?
wait $a || true
assert_eq "$rc $(cat "$DSMIL_TMP/b.out")" \
	"4 dsmilctl: dma transfer to device: 64 bytes: thermal emergency" \
	"transfer that waited through the emergency"
echo 40000 > $FE_DBG/emu_temp_mc
echo 0 > $FE_DBG/emu_dma_delay_ms
assert_eq "$(ctl --json dma test --size 64 | json .ok)" true "dma test after the emergency"
assert_eq "$(ctl --json stats | json .dma_handles)" 0 "locks left"
unload dsmil_core_test
fe_unload
