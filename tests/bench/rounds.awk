# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/rounds.awk: the statistics of a benchmark measured in
# rounds (tests/bench/vexfs.sh; the unit test tests/unit/test_bench_rounds.sh).
#
# Input, one line per measurement, filesystem and round:
#   OP FS ROUND VALUE UNIT
# Output, one group per OP (vexfs-OP): per filesystem the median of its
# rounds and the lowest and highest round; then ratios, each the median of
# the per-round ratios (the two filesystems of a round ran minutes apart,
# so a round's ratio cancels the drift of the machine) with their lowest
# and highest, over the rounds both have: FS_vs_ext4 for every other
# filesystem, vexfs_fuse_vs_vexfs_ko, vexfs_ko_vs_nojournal and
# vexfs_ko_vs_ext4_nodelalloc (above 1: faster).  Rows:
#   bench<TAB>GROUP<TAB>NAME<TAB>MEDIAN<TAB>UNIT<TAB>LOWEST<TAB>HIGHEST
# Written for POSIX awk (the guest's may be mawk).

function fmt(v, u) { return u == "x" || v < 1 ? sprintf("%.3g", v) : v >= 100 ? sprintf("%.0f", v) : sprintf("%.1f", v) }
function row(g, n, m, u, lo, hi) {
	printf "bench\tvexfs-%s\t%s\t%s\t%s\t%s\t%s\n", g, n, fmt(m, u), u, fmt(lo, u), fmt(hi, u)
}
# sort a[1..n] (insertion sort), set lo, hi and return the median
function stats(a, n,	i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	lo = a[1]; hi = a[n]
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function ratio(op, a, b, name,	k, n, q) {
	n = 0
	for (k = 1; k <= nr; k++)
		if ((op, a, k) in v && (op, b, k) in v && v[op, b, k] > 0)
			q[++n] = v[op, a, k] / v[op, b, k]
	if (n)
		row(op, name, stats(q, n), "x", lo, hi)
}
{
	if (!($1 in seen)) { seen[$1] = 1; ops[++nops] = $1 }
	if (!(($1, $2) in has)) { has[$1, $2] = 1; fsof[$1, ++nfs[$1]] = $2 }
	v[$1, $2, $3] = $4 + 0
	unit[$1] = $5
	if ($3 > nr) nr = $3
}
END {
	for (o = 1; o <= nops; o++) {
		op = ops[o]
		for (f = 1; f <= nfs[op]; f++) {
			fs = fsof[op, f]
			n = 0
			delete s
			for (k = 1; k <= nr; k++)
				if ((op, fs, k) in v)
					s[++n] = v[op, fs, k]
			row(op, fs, stats(s, n), unit[op], lo, hi)
		}
		for (f = 1; f <= nfs[op]; f++)
			if (fsof[op, f] != "ext4")
				ratio(op, fsof[op, f], "ext4", fsof[op, f] "_vs_ext4")
		ratio(op, "vexfs_fuse", "vexfs_ko", "vexfs_fuse_vs_vexfs_ko")
		ratio(op, "vexfs_ko", "vexfs_ko_nojournal", "vexfs_ko_vs_nojournal")
		ratio(op, "vexfs_ko", "ext4_nodelalloc", "vexfs_ko_vs_ext4_nodelalloc")
	}
}
