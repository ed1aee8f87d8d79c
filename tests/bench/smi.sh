#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dsmil_smi benchmark, run by "make bench" (tests/bench/guest-run).
#
# Per-op cost of a token read on the emu transport with emu_latency_us=0
# (so what is measured is the service: policy, lock, worker dispatch,
# completion), one call at a time and in batches of 64, in the same run:
#  - through the in-kernel API, measured in the kernel by the bench-only
#    module dsmil_smi_bench (tests/kmod/smi_bench: best of three rounds
#    after a warm-up; a round in which a busy host starved a call past
#    timeout_ms is run again, and those reruns are reported);
#  - through the ioctl path (DSMIL_IOC_TOKEN_READ / _BATCH of
#    /dev/dsmil/ctl, through libdsmil), against a null ioctl
#    (DSMIL_IOC_INFO) measured by the same program (tests/bench/
#    frontend-probe.c, best of three rounds after a warm-up).
# Ratios: single / batched, ioctl / null ioctl, ioctl / in-kernel API.
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
src=${DSMIL_SRC:?}
n=${DSMIL_BENCH_N:-4096}
bench=/sys/kernel/debug/dsmil_smi_bench/bench
tmp=$(mktemp -d /tmp/smi-bench.XXXXXX)
trap 'rm -rf "$tmp"; rmmod dsmil_smi_bench dsmil dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null' EXIT

# The probe and libdsmil's sources in one program (no build/tools needed).
gcc -O2 -std=gnu11 -I"$src/tools/lib" -I"$src/tools/common" -I"$src/tools/include" \
	-I"$src/modules/include/uapi" -o "$tmp/probe" \
	"$src/tests/bench/frontend-probe.c" "$src"/tools/lib/*.c "$src/tools/common/parse.c" ||
	{ echo "cannot build frontend-probe"; exit 1; }
modprobe dsmil_core backend=emu || exit 0
if ! modprobe dsmil_smi transport=emu emu_latency_us=0 max_calls_per_sec=0 timeout_ms=200; then
	echo "dsmil_smi did not load"
	exit 0
fi

# The in-kernel API.
modprobe dsmil_smi_bench || exit 0
if ! echo "$n" > $bench; then
	echo "the in-kernel bench failed"
	exit 0
fi
api=$(cat $bench)
rmmod dsmil_smi_bench

# The ioctl path, with its floor, in the same run.  The probe does not
# rerun a round in which a busy host starved a call past timeout_ms (its
# token rows are then "skipped: Connection timed out"): run it again.
modprobe dsmil || exit 0
for try in 1 2 3; do
	ioctl=$("$tmp/probe" -n "$n") || echo "frontend-probe failed"
	echo "$ioctl" | grep -q '^token_read_batched [0-9]' &&
		echo "$ioctl" | grep -q '^token_read [0-9]' && break
	echo "$ioctl" | grep 'skipped' | sed "s/^/probe run $try: /"
done

{
	echo "$api"
	echo "$ioctl"
} | awk '
function row(name, val, unit) { printf "bench\tsmi\t%s\t%s\t%s\n", name, val, unit }
/^single_ns=/ {
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	next
}
$2 == "skipped:" { next }
NF == 2 { ns[$1] = $2 }
END {
	batch = v["batch"]
	if (v["single_ns"] != "") {
		row("api_read_single", v["single_ns"], "ns")
		row("api_read_batched_" batch, v["batch_ns"], "ns")
	}
	if ("null_ioctl" in ns)
		row("null_ioctl", ns["null_ioctl"], "ns")
	if ("token_read" in ns)
		row("ioctl_read_single", ns["token_read"], "ns")
	if ("token_read_batched" in ns)
		row("ioctl_read_batched_" batch, ns["token_read_batched"], "ns")
	if (v["batch_ns"] > 0)
		row("api_single_vs_batched", sprintf("%.2f", v["single_ns"] / v["batch_ns"]), "x")
	if (ns["token_read"] > 0 && ns["token_read_batched"] > 0)
		row("ioctl_single_vs_batched", sprintf("%.2f", ns["token_read"] / ns["token_read_batched"]), "x")
	if (ns["token_read"] > 0 && ns["null_ioctl"] > 0)
		row("ioctl_read_vs_null_ioctl", sprintf("%.2f", ns["token_read"] / ns["null_ioctl"]), "x")
	if (ns["token_read"] > 0 && v["single_ns"] > 0)
		row("ioctl_read_vs_api_read", sprintf("%.2f", ns["token_read"] / v["single_ns"]), "x")
	if (v["retries"] > 0)
		print "rounds rerun after a starved call: " v["retries"]
}'
