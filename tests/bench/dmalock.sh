#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dsmil_dmalock benchmark, run by "make bench" (tests/bench/guest-run).
#
# For buffers of 1 MiB to 512 MiB (the guest has 2 GiB, of which 360 MiB
# are reserved; 1 GiB does not fit next to the udmabuf memfd): throughput
# of lock+map and of unmap+unlock through dsmil_dmalock (emu backend; the
# frontend's DSMIL_IOC_DMA_LOCK/_UNLOCK ioctls, as a program would),
# against mlock/munlock of the same buffer and udmabuf create/destroy of a
# memfd of the same size (udmabuf only where the kernel has it: Debian's
# 6.12 builds it in, 6.1 does not), in the same VM run; ratios; the sg
# segment count against the page count.
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
src=${DSMIL_SRC:?}
tmp=$(mktemp -d /tmp/dmalock-bench.XXXXXX)
trap 'rm -rf "$tmp"; rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null' EXIT

gcc -O2 -Wall -o "$tmp/dmalock-bench" "$src/tests/bench/dmalock-bench.c" ||
	{ echo "cannot build dmalock-bench"; exit 1; }
modprobe dsmil_core backend=emu || exit 1
modprobe dsmil || exit 1
# udmabuf refuses buffers above size_limit_mb (default 64).
if [ -w /sys/module/udmabuf/parameters/size_limit_mb ]; then
	echo 1024 > /sys/module/udmabuf/parameters/size_limit_mb
else
	modprobe udmabuf size_limit_mb=1024 2>/dev/null ||
		echo "no udmabuf in $(uname -r): its rows are left out"
fi

for mib in 1 4 16 64 256 512; do
	iters=$(( mib >= 64 ? 1 : 64 / mib ))
	[ "$iters" -gt 8 ] && iters=8
	"$tmp/dmalock-bench" "$mib" "$iters" || continue
done | awk '
function row(g, n, v, u) { printf "bench\t%s\t%s\t%s\t%s\n", g, n, v, u }
function mibs(ns) { return sprintf("%.0f", m * 1e9 / ns / 1) }
{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	m = v["mib"]; s = m "MiB"
	row("dmalock-lock", "dmalock_" s, mibs(v["lock_ns"]), "MiB/s")
	row("dmalock-lock", "mlock_" s, mibs(v["mlock_ns"]), "MiB/s")
	row("dmalock-lock", "dmalock_vs_mlock_" s, sprintf("%.2f", v["mlock_ns"] / v["lock_ns"]), "x")
	row("dmalock-unlock", "dmalock_" s, mibs(v["unlock_ns"]), "MiB/s")
	row("dmalock-unlock", "munlock_" s, mibs(v["munlock_ns"]), "MiB/s")
	row("dmalock-unlock", "dmalock_vs_munlock_" s, sprintf("%.2f", v["munlock_ns"] / v["unlock_ns"]), "x")
	if (v["udmabuf_create_ns"] > 0) {
		row("dmalock-lock", "udmabuf_" s, mibs(v["udmabuf_create_ns"]), "MiB/s")
		row("dmalock-lock", "dmalock_vs_udmabuf_" s, sprintf("%.2f", v["udmabuf_create_ns"] / v["lock_ns"]), "x")
		row("dmalock-unlock", "udmabuf_" s, mibs(v["udmabuf_destroy_ns"]), "MiB/s")
		row("dmalock-unlock", "dmalock_vs_udmabuf_" s, sprintf("%.2f", v["udmabuf_destroy_ns"] / v["unlock_ns"]), "x")
	}
	row("dmalock-segments", "segments_" s, v["segments"], "segments")
	row("dmalock-segments", "pages_per_segment_" s, sprintf("%.1f", v["pages"] / v["segments"]), "x")
}'
