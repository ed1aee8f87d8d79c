# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench-md.awk: build/bench/results.tsv as Markdown, one table per
# group in the order groups first appear (a benchmark may interleave the
# rows of several groups); run with -F'\t' (scripts/bench; the unit test
# tests/unit/test_bench_rounds.sh).  A row's value is followed by its
# lowest and highest round where it has them; a ratio (unit x) whose
# lowest and highest lie on both sides of 1 is marked "no difference".

!($1 in n) { order[++ng] = $1 }
{
	r = "| " $2 " | " $3 " | "
	if ($5 != "")
		r = r $5 "-" $6
	r = r " | " $4 " |"
	if ($4 == "x" && $5 != "" && $5 + 0 <= 1 && $6 + 0 >= 1)
		r = r " no difference |"
	else
		r = r " |"
	rows[$1, ++n[$1]] = r
}
END {
	for (i = 1; i <= ng; i++) {
		g = order[i]
		printf "\n## %s\n\n| measurement | value | lowest-highest | unit | |\n|---|---:|---:|---|---|\n", g
		for (j = 1; j <= n[g]; j++)
			print rows[g, j]
	}
}
