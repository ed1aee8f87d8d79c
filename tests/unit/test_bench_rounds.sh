#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/test_bench_rounds.sh: the statistics of "make bench"
# (tests/bench/rounds.awk) and their Markdown (scripts/bench-md.awk), with
# every awk at hand (the guest's may be mawk): the median and range of
# rounds, ratios as the median of the rounds' own ratios over the rounds
# both filesystems have, and "no difference" exactly where a ratio's range
# crosses 1.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/tap.sh"

# ext4 drifts down from round to round, vexfs_ko with it: the ratio of the
# medians (3000 / 2000 = 1.5) is not what each round says (2).
raw='create ext4 1 1000 ops/s
create vexfs_ko 1 2000 ops/s
create ext4 2 2000 ops/s
create vexfs_ko 2 4000 ops/s
create ext4 3 4000 ops/s
create vexfs_ko 3 8000 ops/s
create vexfs_ko_nojournal 1 1000 ops/s
create vexfs_ko_nojournal 2 9000 ops/s
create vexfs_ko_nojournal 3 3000 ops/s
seq_read ext4 1 50 MiB/s
seq_read ext4 2 60 MiB/s
seq_read vexfs_fuse 1 25 MiB/s
seq_read vexfs_fuse 2 40 MiB/s
seq_read vexfs_ko 2 50 MiB/s
seq_write ext4 1 200 MiB/s
seq_write ext4_nodelalloc 1 100 MiB/s
seq_write vexfs_ko 1 120 MiB/s'

while read -r -u 3 a; do
	read -r -a awk <<< "$a"
	out=$(printf '%s\n' "$raw" | "${awk[@]}" -f "$top/tests/bench/rounds.awk" 2>&1)
	row() { printf '%s\n' "$out" | awk -F'\t' -v g="$1" -v n="$2" '$2 == g && $3 == n { print $4, $5, $6, $7 }'; }
	[ "$(row vexfs-create ext4)" = "2000 ops/s 1000 4000" ] &&
		[ "$(row vexfs-create vexfs_ko)" = "4000 ops/s 2000 8000" ] &&
		[ "$(row vexfs-create vexfs_ko_nojournal)" = "3000 ops/s 1000 9000" ]
	result $? "$a: median, lowest and highest of each filesystem's rounds" "$out"
	[ "$(row vexfs-create vexfs_ko_vs_ext4)" = "2 x 2 2" ] &&
		[ "$(row vexfs-create vexfs_ko_vs_nojournal)" = "2 x 0.444 2.67" ]
	result $? "$a: a ratio is the median of the rounds' own ratios, with their range" "$out"
	# vexfs_ko has round 2 only; vexfs_fuse against it: round 2 (40 / 50)
	[ "$(row vexfs-seq_read vexfs_fuse_vs_ext4)" = "0.583 x 0.5 0.667" ] &&
		[ "$(row vexfs-seq_read vexfs_ko_vs_ext4)" = "0.833 x 0.833 0.833" ] &&
		[ "$(row vexfs-seq_read vexfs_fuse_vs_vexfs_ko)" = "0.8 x 0.8 0.8" ] &&
		[ "$(row vexfs-seq_read ext4)" = "55.0 MiB/s 50.0 60.0" ]
	result $? "$a: ratios over the rounds both filesystems have; an even count's median is the mean of the middle two" "$out"
	[ -z "$(row vexfs-create ext4_vs_ext4)" ] && [ -z "$(row vexfs-seq_read vexfs_ko_vs_nojournal)" ]
	result $? "$a: no ratio of ext4 with itself, none without both sides" "$out"
	[ "$(row vexfs-seq_write vexfs_ko_vs_ext4_nodelalloc)" = "1.2 x 1.2 1.2" ] &&
		[ "$(row vexfs-seq_write ext4_nodelalloc_vs_ext4)" = "0.5 x 0.5 0.5" ] &&
		[ -z "$(row vexfs-create vexfs_ko_vs_ext4_nodelalloc)" ]
	result $? "$a: vexfs_ko against ext4 without delayed allocation, where both ran" "$out"

	md=$(printf '%s\n' "$out" | cut -f2- |
		"${awk[@]}" -F'\t' -f "$top/scripts/bench-md.awk" 2>&1)
	printf '%s\n' "$md" | grep -qx '| vexfs_ko_vs_nojournal | 2 | 0.444-2.67 | x | no difference |' &&
		printf '%s\n' "$md" | grep -qx '| vexfs_ko_vs_ext4 | 2 | 2-2 | x | |' &&
		printf '%s\n' "$md" | grep -qx '| vexfs_fuse_vs_ext4 | 0.583 | 0.5-0.667 | x | |' &&
		[ "$(printf '%s\n' "$md" | grep -c '^## ')" = 3 ]
	result $? "$a: Markdown marks \"no difference\" where a ratio's range crosses 1, and only there" "$md"
	md=$(printf 'core\tread_api\t55\tns\ncore\tapi_vs_raw\t1.0\tx\n' |
		"${awk[@]}" -F'\t' -f "$top/scripts/bench-md.awk" 2>&1)
	printf '%s\n' "$md" | grep -qx '| api_vs_raw | 1.0 |  | x | |' &&
		printf '%s\n' "$md" | grep -qx '| read_api | 55 |  | ns | |'
	result $? "$a: a row without a range has an empty range and no verdict" "$md"
done 3< <(awks)
tap_done
