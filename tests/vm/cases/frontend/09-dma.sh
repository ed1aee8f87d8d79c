#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "dsmilctl dma test" locks a buffer, moves it to the controller's memory
# and back piece by piece and compares: through the emu engine (the CPU
# copies: a CPU-only lock) and through QEMU's edu device (real DMA
# straight into the locked pages, not bounced outside swiotlb); a buffer
# larger than device memory (up to 64 MiB here) goes through it in
# pieces; "dsmilctl dma bench" reports every size; nothing stays locked.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

dma_ok()
{
	ctl --json dma test "$@" | json '[.ok, .size, .segments]'
}

fe_load backend=emu
assert_eq "$(dma_ok)" "[true,2048,1]" "dma test (emu)"
assert_eq "$(dma_ok --size 4k --device g1d00)" "[true,4096,1]" "dma test 4 KiB (emu)"
assert_eq "$(ctl --json dma test --size 5000 | json '[.ok, .pieces, .cpu_only, .bounced]')" \
	"[true,2,true,false]" "dma test 5000 bytes in two pieces (emu: CPU-only)"
assert_eq "$(ctl --json dma test --size 64M | json '[.ok, .size, .locked_bytes]')" \
	"[true,67108864,67108864]" "dma test 64 MiB (emu)"
assert_eq "$(ctl --json dma bench --size 8M --iterations 1 | json '[.runs[].size]')" "[8388608]" "dma bench 8 MiB"
ctl_fails 4 "dsmilctl: dma transfer to device: 2048 bytes: device quarantined" dma test --device g0d09
assert_eq "$(ctl --json dma bench --iterations 2 | json '[.runs[].size]')" "[64,256,1024,4000]" "dma bench sizes"
assert_eq "$(ctl --json stats | json '[.dma_handles, .dma_xfers >= 20]')" "[0,true]" "locks and transfers"
fe_unload

[ -n "$DSMIL_EDU_BDF" ] || skip "no edu device in this VM (emu part passed)"
fe_load backend=pci
assert_eq "$(dma_ok --size 4095)" "[true,4095,1]" "dma test through edu"
ctl dma test --size 100 --device g3d04 | grep -qx 'ok: *yes' || fail "dma test text output"
# Not bounced unless the guest forces swiotlb (the swiotlb leg).
bounced=false
grep -qw swiotlb=force /proc/cmdline && bounced=true
assert_eq "$(ctl --json dma test --size 9000 | json '[.ok, .pieces, .cpu_only, .bounced]')" \
	"[true,3,false,$bounced]" "dma test 9000 bytes through edu in three pieces"
