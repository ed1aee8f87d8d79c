# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/tap.sh: TAP helpers of the shell unit tests (sourced).
#
#   result STATUS DESCRIPTION [DIAGNOSTICS]
#	prints "ok N - DESCRIPTION" when STATUS is 0, else "not ok N - ..."
#	and the last 30 lines of DIAGNOSTICS (if any) as TAP comments
#   tap_done
#	prints the plan; its status is 0 iff every result was ok
#   awks
#	the awk programs at hand to test awk scripts with, one a line:
#	mawk, gawk, "busybox awk" (the guest's awk may be any of them)

n=0
fails=0

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
		[ -z "${3:-}" ] || printf '%s\n' "$3" | tail -n 30 | sed 's/^/# /'
	fi
}

tap_done()
{
	echo "1..$n"
	[ "$fails" = 0 ]
}

awks()
{
	local a

	for a in mawk gawk; do
		command -v "$a" > /dev/null && echo "$a"
	done
	command -v busybox > /dev/null && busybox awk 'BEGIN { exit 0 }' 2> /dev/null &&
		echo "busybox awk"
	return 0
}
