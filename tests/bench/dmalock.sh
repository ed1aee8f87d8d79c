#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dsmil_dmalock benchmark, run by "make bench" (tests/bench/guest-run),
# once in the plain VM and once more in a VM whose edu device sits behind
# an emulated Intel IOMMU (scripts/bench; groups ending in "-iommu").
#
# On the pci backend (edu's pci_dev masters the bus: a lock maps the
# pages for it, behind the IOMMU into IOVA page tables), for buffers of
# 1 MiB to 256 MiB: lock+map and unmap+unlock through the frontend's
# DSMIL_IOC_DMA_LOCK/_UNLOCK, of anonymous memory with THP, of anonymous
# memory in 4 KiB pages and of the memfd udmabuf uses, against udmabuf
# create/destroy of that memfd and mlock/munlock; DSMIL_BENCH_DMALOCK_ROUNDS
# (default 7) interleaved rounds, median, lowest and highest, ratios of
# medians against udmabuf (udmabuf only where the kernel has it: Debian's
# 6.12 builds it in, 6.1 does not).  Then a device transfer: edu moving a
# few 4000-byte pieces into and out of the locked pages (each completes
# 100 ms of virtual time after its command: edu's timer, not a
# throughput), and in the plain VM the emu backend's CPU copy of 1 MiB.
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
src=${DSMIL_SRC:?}
rounds=${DSMIL_BENCH_DMALOCK_ROUNDS:-7}
tmp=$(mktemp -d /tmp/dmalock-bench.XXXXXX)
stack="dsmil dsmil_dmalock dsmil_smi dsmil_core"
# shellcheck disable=SC2086
trap 'rm -rf "$tmp"; rmmod $stack 2>/dev/null' EXIT

gcc -O2 -Wall -o "$tmp/dmalock-bench" "$src/tests/bench/dmalock-bench.c" ||
	{ echo "cannot build dmalock-bench"; exit 1; }

# The leg: edu in a translating IOMMU domain, or swiotlb=force.
sfx=
type=$(cat "/sys/bus/pci/devices/${DSMIL_EDU_BDF:-none}/iommu_group/type" 2>/dev/null)
case $type in
DMA*) sfx=-iommu ;;
*) grep -qw 'swiotlb=force' /proc/cmdline && sfx=-swiotlb ;;
esac
backend=pci
[ -n "${DSMIL_EDU_BDF:-}" ] || backend=emu
leg=${sfx#-}
echo "leg ${leg:-plain}, backend $backend, $rounds rounds"

# udmabuf refuses buffers above size_limit_mb (default 64).
if [ -w /sys/module/udmabuf/parameters/size_limit_mb ]; then
	echo 1024 > /sys/module/udmabuf/parameters/size_limit_mb
else
	modprobe udmabuf size_limit_mb=1024 2>/dev/null ||
		echo "no udmabuf in $(uname -r): its rows are left out"
fi

modprobe dsmil_core backend=$backend || exit 1
modprobe dsmil || exit 1
"$tmp/dmalock-bench" lock "$sfx" "$rounds" 1 4 16 64 256
# edu: 2 pieces, 3 rounds (each piece 2 x 100 ms of edu's timer).
[ "$backend" != pci ] || "$tmp/dmalock-bench" xfer "$sfx" 3 2 edu

if [ -z "$sfx" ]; then
	# shellcheck disable=SC2086
	rmmod $stack || exit 1
	modprobe dsmil_core backend=emu || exit 1
	modprobe dsmil || exit 1
	"$tmp/dmalock-bench" xfer "$sfx" "$rounds" 256 emu
fi
