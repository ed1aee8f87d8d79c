#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A DMA transfer that times out on QEMU's edu (forced: debugfs
# dsmil/dsmil0/dma_timeout_ms set below edu's 100 ms completion) stops the
# engine from reaching memory (bus mastering off), marks the controller
# failed (devices "error") and fails with -ETIMEDOUT; every later transfer
# fails with -EIO, even with the timeout back to normal, until the
# controller is reset by rebinding the PCI device, after which DMA works.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

[ -n "$DSMIL_EDU_BDF" ] || skip "no edu device in this VM"
PCIDRV=/sys/bus/pci/drivers/dsmil_core
dmesg_mark
load dsmil_core backend=pci
load dsmil_core_test
ct_eq ok dma 0x8000 0 64 1
assert_eq "$(cat $CORE_DBG/dsmil0/dma_timeout_ms)" 1000 "default dma_timeout_ms"

echo 10 > $CORE_DBG/dsmil0/dma_timeout_ms || fail "cannot set dma_timeout_ms"
ct_fails "Connection timed out" dma 0x8001 0 64 2
assert_eq "$(dev_attr dsmil0:g0d01 state)" error "state after the timeout"
echo 1000 > $CORE_DBG/dsmil0/dma_timeout_ms
sleep 0.5	# edu's own transfer is over
ct_fails "Input/output error" dma 0x8001 0 64 3
ct_fails "Input/output error" dmasg 0x8002 0 100 4
assert_dmesg "DMA of 64 bytes timed out: engine stopped, controller failed until reset" 1
# Registers still answer: the failure is the engine's.
ct_eq 0x010000ed read 0x8000 0x00

# Reset: rebind the PCI device (a new controller, the engine idle).
unload dsmil_core_test
echo "$DSMIL_EDU_BDF" > $PCIDRV/unbind || fail "unbind"
echo "$DSMIL_EDU_BDF" > $PCIDRV/bind || fail "bind"
load dsmil_core_test
assert_eq "$(dev_attr dsmil0:g0d01 state)" present "state after the rebind"
assert_eq "$(cat $CORE_DBG/dsmil0/dma_timeout_ms)" 1000 "dma_timeout_ms after the rebind"
ct_eq ok dma 0x8001 0 4095 5
ct_eq ok dmasg 0x8002 100 1000 6
