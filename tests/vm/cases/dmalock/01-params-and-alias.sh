#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad parameters fail the load with one line naming the parameter and the
# range; the module loads by its alias gpu_dma_lock and shows its stats,
# which the frontend reports too (DSMIL_IOC_STATS through dsmilctl).
# dsmil-matrix: load/unload
. "$DSMIL_SRC/tests/vm/lib.sh"

dsmilctl=$DSMIL_SRC/build/tools/dsmilctl
[ -x "$dsmilctl" ] || fail "no $dsmilctl: run 'make -C tools' on the host first"
cleanup()
{
	local m
	for m in dsmil dsmil_dmalock dsmil_smi dsmil_core; do
		[ ! -d "/sys/module/$m" ] || rmmod "$m"
	done
}
trap cleanup EXIT
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

# The frontend on top: the DMA feature, and the counters of its ioctl
# (dsmilctl's own open file is the one owner).
modprobe dsmil || fail "cannot load dsmil"
out=$("$dsmilctl" --json info) || fail "dsmilctl info"
assert_eq "$(echo "$out" | jq -c .dma)" true "dma feature"
out=$("$dsmilctl" --json stats) || fail "dsmilctl stats"
assert_eq "$(echo "$out" | jq -c '[.dma_locked_bytes, .dma_pinned_pages, .dma_handles, .dma_owners, .dma_locks]')" \
	"[0,0,0,1,0]" "DSMIL_IOC_STATS dma counters"
rmmod dsmil_dmalock 2>/dev/null && fail "dsmil_dmalock unloaded under the frontend"
rmmod dsmil || fail "rmmod dsmil"
rmmod dsmil_dmalock || fail "rmmod dsmil_dmalock"
