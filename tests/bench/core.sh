#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dsmil_core benchmark, run by "make bench" (tests/bench/guest-run).
#
# Per backend: a 32-bit register read and write through the exported API
# against a raw readl/writel on an ioremap of the same window (ratios), and
# the first access (on the platform backend: a chunk's first touch).
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
n=${DSMIL_BENCH_N:-20000}
cmd=/sys/kernel/debug/dsmil_core_test/cmd

bench()
{
	local backend=$1 out
	shift
	modprobe dsmil_core backend="$backend" "$@" || return
	modprobe dsmil_core_test
	if echo "bench 0x8000 $n" > $cmd; then
		out=$(cat $cmd)
		echo "$out" | awk -v g="core-$backend" '{
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			row("first_access", v["first_ns"], "ns")
			row("api_read32", v["api_read_ns"], "ns")
			row("api_write32", v["api_write_ns"], "ns")
			if (v["raw_read_ns"] > 0) {
				row("raw_readl", v["raw_read_ns"], "ns")
				row("raw_writel", v["raw_write_ns"], "ns")
				row("read_api_vs_raw", sprintf("%.2f", v["api_read_ns"] / v["raw_read_ns"]), "x")
				row("write_api_vs_raw", sprintf("%.2f", v["api_write_ns"] / v["raw_write_ns"]), "x")
			}
		}
		function row(name, val, unit) { printf "bench\t%s\t%s\t%s\t%s\n", g, name, val, unit }'
	else
		echo "backend=$backend: bench command failed"
	fi
	rmmod dsmil_core_test dsmil_core
}

bench emu
[ -z "${DSMIL_EDU_BDF:-}" ] || bench pci
bench platform mmio_base="$DSMIL_RESERVED_BASE" mmio_size="$DSMIL_RESERVED_SIZE"
