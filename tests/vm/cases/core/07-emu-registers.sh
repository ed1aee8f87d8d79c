#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The emu register file behaves as documented (ID, STATUS, CONTROL,
# SCRATCH, DOORBELL, DOORBELL_ACK, TEMP), accesses are checked for
# alignment and bounds, and the DMA engine round-trips 4 KiB.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

load dsmil_core backend=emu
load dsmil_core_test

ct_eq 0xd5008000 read 0x8000 0x00
ct_eq 0xd5008053 read 0x8053 0x00
ct_eq 0x00000001 read 0x8000 0x04
ct_eq 0x00000000 read 0x8000 0x08
ct_eq 0xffffffff read 0x8000 0x14
ct_eq 0x00009c40 read 0x8000 0x18
ct_eq 0xffffffff read 0x8000 0x1c
ct_eq 0xffffffff read 0x8000 0xffc
ct_eq 0x00000005 read 0x8009 0x04

ct write 0x8000 0x00 0x1 >/dev/null
ct_eq 0xd5008000 read 0x8000 0x00
ct write 0x8000 0x08 0xffffffff >/dev/null
ct_eq 0x00000003 read 0x8000 0x08
ct_eq 0x00000003 read 0x8000 0x04
ct write 0x8000 0x0c 0xdeadbeef >/dev/null
ct_eq 0xdeadbeef read 0x8000 0x0c
ct_eq 0x00000000 read 0x8001 0x0c

ct write 0x8000 0x10 0x12345678 >/dev/null
ct_eq 0xedcba987 read 0x8000 0x14
ct_eq 0x00010003 read 0x8000 0x04
ct_eq 0x00000000 read 0x8000 0x10
ct_eq "add=0 remove=0 irq=1 last_irq=0x12345678" events
# Without CONTROL.EVENT_EN a doorbell raises no event.
ct write 0x8002 0x10 0x1 >/dev/null
ct_eq "add=0 remove=0 irq=1 last_irq=0x12345678" events

ct_fails "Invalid argument" read 0x8000 0x02
ct_fails "Invalid argument" write 0x8000 0x0e 1
ct_fails "Numerical result out of range" read 0x8000 0x1000
ct_fails "Numerical result out of range" write 0x8000 0xfffffffc 1
ct_fails "No such file or directory" read 0x8054 0

ct_fails "Operation not supported" window 0x8000
ct_eq 4096 dmasize 0x8000
ct_eq ok dma 0x8000 0 4096 7
ct_eq ok dmasg 0x8001 100 3000 9
ct_fails "Numerical result out of range" dma 0x8000 4000 200 1
