#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# backend=auto binds QEMU's edu: liveness passes, windows lie over BAR0
# (device 0x8000 reads edu's id; its window, holding edu's engine
# registers, is refused for writable mappings and those registers for
# writes), an edu factorial completion interrupt is taken and delivered as
# an event, and DMA through edu's engine round-trips (a scatterlist of
# pages without a copy).
# dsmil-matrix: smoke: dsmil_core; compat: pci_irq_intx
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

[ -n "$DSMIL_EDU_BDF" ] || skip "no edu device in this VM"
dmesg_mark
load dsmil_core
load dsmil_core_test
assert_eq "$(cat $CORE_CTRL/backend)" pci "backend"
assert_eq "$(basename "$(readlink -f $CORE_CTRL/device)")" "$DSMIL_EDU_BDF" "controller parent"
assert_eq "$(basename "$(readlink "/sys/bus/pci/devices/$DSMIL_EDU_BDF/driver")")" dsmil_core "edu driver"
assert_dmesg "dsmil0: id 0x[0-9a-f]+, liveness ok, (MSI|INTx) irq" 1
assert_eq "$(ndevs)" 84 "devices"
# 1 MiB BAR0 / 84 devices, rounded down to pages.
assert_eq "$(dev_attr dsmil0:g0d00 mmio_size)" 12288 "window size"

ct_eq 0x010000ed read 0x8000 0x00
bar0=$(head -1 "/sys/bus/pci/devices/$DSMIL_EDU_BDF/resource" | cut -d' ' -f1)
# Device (0, 0)'s window holds edu's engine registers: never handed out
# for a writable mapping.
ct_fails "Permission denied" window 0x8000
ct_eq "phys=$(printf '0x%016x' $((bar0 + 12288))) size=12288" window 0x8001
ct_eq "phys=$(printf '0x%016x' $((bar0 + 2 * 12288))) size=12288" window 0x8002
ct_fails "Permission denied" write 0x8000 0x80 0

before=$(irq_count dsmil_core)
ct write 0x8000 0x20 0x80 >/dev/null	# raise an interrupt on completion
ct write 0x8000 0x08 5 >/dev/null	# factorial of 5
for _ in $(seq 100); do
	[ $(( $(ct read 0x8000 0x20) & 1 )) = 0 ] && break
	sleep 0.05
done
ct_eq 0x00000078 read 0x8000 0x08
sleep 0.2
after=$(irq_count dsmil_core)
[ "$after" -gt "$before" ] || fail "no interrupt taken ($before -> $after)"
ct events | grep -q 'last_irq=0x1$' || fail "factorial event: $(ct events)"

# 4095 bytes: QEMU 7.2's edu aborts on a transfer ending at its buffer's end.
# A kernel buffer goes through the coherent buffer (debugfs dma_copied
# counts its bytes); a scatterlist of pages does not: edu DMAs straight
# into them.
ct_eq 4095 dmasize 0x8000
copied=$(cat $CORE_DBG/dsmil0/dma_copied)
ct_eq ok dma 0x8000 0 4095 3
assert_eq "$(cat $CORE_DBG/dsmil0/dma_copied)" $((copied + 2 * 4095)) "bytes copied for a kernel buffer, both ways"
copied=$(cat $CORE_DBG/dsmil0/dma_copied)
ct_eq ok dmasg 0x8005 128 1000 9
assert_eq "$(cat $CORE_DBG/dsmil0/dma_copied)" "$copied" "bytes copied for a scatterlist"
ct_eq ok dma 0x8000 4094 1 5
ct_fails "Numerical result out of range" dma 0x8000 4094 2 1
ct_fails "Numerical result out of range" dma 0x8000 4095 1 1
[ "$(irq_count dsmil_core)" -gt "$after" ] || fail "DMA completed without interrupt"
