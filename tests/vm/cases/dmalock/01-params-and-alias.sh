#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad parameters fail the load with one line naming the parameter and the
# range; the module loads by its alias gpu_dma_lock and shows its stats.
. "$DSMIL_SRC/tests/vm/lib.sh"

trap 'rmmod dsmil_dmalock dsmil_core 2>/dev/null' EXIT
modprobe dsmil_core backend=emu || fail "cannot load dsmil_core"

for bad in "max_locked_mb=0:max_locked_mb=0: allowed range 1-1048576" \
	   "max_handles=65537:max_handles=65537: allowed range 1-65536"; do
	param=${bad%%:*}
	msg=${bad#*:}
	dmesg_mark
	if modprobe dsmil_dmalock "$param" 2>/dev/null; then
		fail "$param was accepted"
	fi
	assert_dmesg "dsmil_dmalock: invalid $msg\$" 1
	assert_dmesg "dsmil_dmalock:" 1
	assert_not_loaded dsmil_dmalock
done

modprobe gpu_dma_lock max_handles=7 || fail "cannot load by alias gpu_dma_lock"
assert_loaded dsmil_dmalock
assert_eq "$(cat /sys/module/dsmil_dmalock/parameters/max_handles)" 7 max_handles
assert_eq "$(cat /sys/module/dsmil_dmalock/parameters/max_locked_mb)" 1024 max_locked_mb
for f in locked_bytes pinned_pages handles segments owners locks xfers \
	 xfer_bytes claim_waits claim_timeouts; do
	assert_eq "$(cat "/sys/module/dsmil_dmalock/stats/$f")" 0 "stats/$f"
done
rmmod dsmil_dmalock || fail "rmmod dsmil_dmalock"
