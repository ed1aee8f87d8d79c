#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dsmil frontend benchmark, run by "make bench" (tests/bench/guest-run).
#
# Per-op cost through libdsmil, all in the same run: a null ioctl
# (DSMIL_IOC_INFO), a token read (single and in batches of 64), a register
# read through the ioctl (single and in batches of 256), through pread() of
# the device node and through its mmap()ed window (platform backend: the
# reserved RAM), with the ratio of each to the null ioctl and of batched to
# single.  The token service runs without latency and without rate limit.
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
src=${DSMIL_SRC:?}
n=${DSMIL_BENCH_N:-20000}
tmp=$(mktemp -d /tmp/frontend-bench.XXXXXX)
trap 'rm -rf "$tmp"; rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null' EXIT

# The probe and libdsmil's sources in one program (no build/tools needed).
gcc -O2 -std=gnu11 -I"$src/tools/lib" -I"$src/tools/common" -I"$src/tools/include" \
	-I"$src/modules/include/uapi" -o "$tmp/probe" \
	"$src/tests/bench/frontend-probe.c" "$src"/tools/lib/*.c "$src/tools/common/parse.c" ||
	{ echo "cannot build frontend-probe"; exit 1; }
modprobe dsmil_core backend=platform mmio_base="$DSMIL_RESERVED_BASE" \
	mmio_size="$DSMIL_RESERVED_SIZE" || exit 1
modprobe dsmil_smi max_calls_per_sec=0 emu_latency_us=0 || exit 1
modprobe dsmil || exit 1

"$tmp/probe" -n "$n" | awk '
function row(n, v, u) { printf "bench\tfrontend\t%s\t%s\t%s\n", n, v, u }
$2 == "skipped:" { print; next }
{ ns[$1] = $2; row($1, $2, "ns") }
END {
	if (!ns["null_ioctl"])
		exit
	split("token_read token_read_batched reg_read_ioctl reg_read_batched reg_read_pread reg_read_mmap", names, " ")
	for (i = 1; i <= 6; i++)
		if (names[i] in ns)
			row(names[i] "_vs_null_ioctl", sprintf("%.2f", ns[names[i]] / ns["null_ioctl"]), "x")
	if (ns["token_read_batched"] > 0)
		row("token_read_single_vs_batched", sprintf("%.2f", ns["token_read"] / ns["token_read_batched"]), "x")
	if (ns["reg_read_batched"] > 0)
		row("reg_read_single_vs_batched", sprintf("%.2f", ns["reg_read_ioctl"] / ns["reg_read_batched"]), "x")
	if (ns["reg_read_mmap"] > 0)
		row("reg_read_ioctl_vs_mmap", sprintf("%.2f", ns["reg_read_ioctl"] / ns["reg_read_mmap"]), "x")
}'
