# SPDX-License-Identifier: GPL-2.0
#
# running.awk -v sections=generic|shared|... CHECK.LOG: the test that
# xfstests' check is running, or ran last: the last name in the log of a
# test of one of the sections (xfstests' tests/ directories) that starts a
# record.  check writes a record "generic/120" then its result ("  87s",
# "[not run] ...", "- output mismatch (see .../generic/120.out.bad)"), and
# not always a line break before the next: "87sgeneric/124".  A name is
# taken when a blank or the end of the line follows it, so the path of a
# result file is not one.  Used by tests/xfstests/guest's watchdog (which
# would otherwise time two tests as one) and tested by
# tests/unit/test_xfstests_running.sh.
BEGIN { re = "(" sections ")/[0-9]+( |\t|$)" }
{
	s = $0
	while (match(s, re)) {
		name = substr(s, RSTART, RLENGTH)
		sub(/[ \t]$/, "", name)
		s = substr(s, RSTART + RLENGTH)
	}
}
END { if (name != "") print name }
