#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# backend=platform on the 360 MiB reserved region: the region is requested,
# chunks are mapped on first touch only (first, middle, last), never more
# than max_mapped_chunks at once (least recently used unmapped first, data
# intact), and everything is unmapped and released at unload.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/core/core-lib"

base=$DSMIL_RESERVED_BASE
size=$DSMIL_RESERVED_SIZE
[ "$size" = $((360 << 20)) ] || skip "reserved region is $size bytes, not 360 MiB"
chunks=$CORE_DBG/dsmil0/chunks
stat_of() { awk -v k="$1" '$1 == k { print $2 }' "$chunks"; }

load dsmil_core backend=platform mmio_base="$base" mmio_size="$size" max_mapped_chunks=4
load dsmil_core_test
assert_eq "$(cat $CORE_CTRL/backend)" platform "backend"
assert_eq "$(ndevs)" 84 "devices"
win=$(( (size / 84) / 4096 * 4096 ))
assert_eq "$(dev_attr dsmil0:g0d00 mmio_size)" "$win" "window size"
grep -q "$(printf '%x' $((base)))-.* : dsmil_core" /proc/iomem || fail "region not requested"
assert_eq "$(stat_of chunks)" 90 "chunks of 4 MiB"
assert_eq "$(stat_of live)" 0 "live mappings before any access"

ct write 0x8000 0 0xa5a5a5a5 >/dev/null			# first chunk
assert_eq "$(stat_of live)" 1 "live after first chunk"
ct write 0x802a 0 0x5a5a5a5a >/dev/null			# middle (device 42)
ct write 0x8053 $((win - 4)) 0x12345678 >/dev/null	# last word of the region's last window
assert_eq "$(stat_of live)" 3 "live after first/middle/last"
assert_eq "$(stat_of maps)" 3 "maps after first/middle/last"
ct_eq 0xa5a5a5a5 read 0x8000 0
ct_eq 0x5a5a5a5a read 0x802a 0
ct_eq 0x12345678 read 0x8053 $((win - 4))
ct_eq "phys=$(printf '0x%016x' $((base + 83 * win))) size=$win" window 0x8053

# Touch ten more windows (ten more chunks): the bound holds.
for t in 0x8001 0x8002 0x8003 0x8004 0x8005 0x8006 0x8007 0x8008 0x800c 0x800d; do
	ct read $t 0 >/dev/null
	[ "$(stat_of live)" -le 4 ] || fail "live mappings $(stat_of live) > 4"
done
assert_eq "$(stat_of live)" 4 "live mappings at the bound"
[ "$(stat_of evictions)" -ge 9 ] || fail "evictions: $(stat_of evictions)"
# Evicted chunks come back with their data.
ct_eq 0xa5a5a5a5 read 0x8000 0
ct_eq 0x12345678 read 0x8053 $((win - 4))

unload dsmil_core_test dsmil_core
grep -q " : dsmil_core" /proc/iomem && fail "region still requested"
true
