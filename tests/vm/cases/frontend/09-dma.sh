#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "dsmilctl dma test" locks a buffer, moves it to the controller's memory
# and back and compares: through the emu engine and through QEMU's edu
# device (real DMA); too big a transfer is refused with its cause;
# "dsmilctl dma bench" reports every size; nothing stays locked.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

dma_ok()
{
	ctl --json dma test "$@" | json '[.ok, .size, .segments]'
}

fe_load backend=emu
assert_eq "$(dma_ok)" "[true,2048,1]" "dma test (emu)"
assert_eq "$(dma_ok --size 4k --device g1d00)" "[true,4096,1]" "dma test 4 KiB (emu)"
ctl_fails 1 "dsmilctl: dma transfer to device: 5000 bytes: larger than the controller's device memory" dma test --size 5000
ctl_fails 4 "dsmilctl: dma transfer to device: 2048 bytes: device quarantined" dma test --device g0d09
assert_eq "$(ctl --json dma bench --iterations 2 | json '[.[].size]')" "[64,256,1024,4000]" "dma bench sizes"
assert_eq "$(ctl --json stats | json '[.dma_handles, .dma_xfers >= 20]')" "[0,true]" "locks and transfers"
fe_unload

[ -n "$DSMIL_EDU_BDF" ] || skip "no edu device in this VM (emu part passed)"
fe_load backend=pci
assert_eq "$(dma_ok --size 4095)" "[true,4095,1]" "dma test through edu"
ctl dma test --size 100 --device g3d04 | grep -qx 'ok: *yes' || fail "dma test text output"
ctl_fails 1 "dsmilctl: dma transfer to device: 4096 bytes: larger than the controller's device memory" dma test --size 4096
