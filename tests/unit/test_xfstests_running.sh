#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/test_xfstests_running.sh: which test the xfstests guest's
# watchdog takes for the running one (tests/xfstests/running.awk), with
# every awk at hand (the guest's may be mawk): the last record of the log,
# also when check wrote no line break after the one before
# ("87sgeneric/124"), never a result file's path.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/tap.sh"

cases=(
	$'generic/001        '
	$'generic/001 12s\ngeneric/002        '
	$'generic/120         87sgeneric/124        '
	$'generic/069        - output mismatch (see /tmp/results/vexfs-fuse/results/generic/069.out.bad)'
	$'generic/069        - output mismatch (see /tmp/results/generic/069.out.bad)\ngeneric/108        '
	$'generic/039        [not run] no dm-flakey\ngeneric/041 [not run] x\ngeneric/057\t'
	$'FSTYP -- fuse\nPLATFORM -- Linux'
	$'xfs/001 3s\ngeneric/002 4s'
)
want=(generic/001 generic/002 generic/124 generic/069 generic/108 generic/057 "" generic/002)
while read -r -u 3 a; do
	read -r -a awk <<< "$a"
	for i in "${!cases[@]}"; do
		got=$(printf '%s\n' "${cases[i]}" | "${awk[@]}" -v sections='generic|shared|xfs' \
			-f "$top/tests/xfstests/running.awk" 2>&1)
		[ "$got" = "${want[i]}" ]
		result $? "$a: case $((i + 1)), ${want[i]:-no test}" "got: $got"
	done
done 3< <(awks)
tap_done
