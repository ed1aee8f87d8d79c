#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/test_need_tools.sh: scripts/need-tools, the preflight of the
# make targets, on a PATH of stubs (a machine that lacks python3 and the
# others in turn) and through the Makefile.  Run by tests/unit/run; prints
# TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
nt=$top/scripts/need-tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=tests/unit/tap.sh
. "$top/tests/unit/tap.sh"

# expect NAME RC LINE CMD...: CMD exits with RC, prints nothing on stdout
# and LINE (or nothing when LINE is empty) on stderr.
expect()
{
	local name=$1 rc=$2 line=$3 got out err
	shift 3
	got=0
	"$@" > "$tmp/out" 2> "$tmp/err" || got=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	if [ "$got" = "$rc" ] && [ -z "$out" ] && [ "$err" = "$line" ]; then
		result 0 "$name"
	else
		result 1 "$name"
		echo "# exit $got (want $rc); stdout: $out"
		echo "# stderr: $err"
		echo "# want:   $line"
	fi
}

# stubs DIR CMD...: DIR holds a do-nothing CMD for each, and sed (which
# need-tools reads the kernel's configuration with).
stubs()
{
	local dir=$1 c
	shift
	mkdir -p "$dir"
	ln -sf "$(command -v sed)" "$dir/sed"
	for c in "$@"; do
		printf '#!/bin/sh\nexit 0\n' > "$dir/$c"
		chmod +x "$dir/$c"
	done
}

# A kernel build tree as far as need-tools and kdir-check read it: built
# with gcc-12, a Perl kernel-doc.
kdir=$tmp/kdir
mkdir -p "$kdir/include/config" "$kdir/scripts"
echo 'CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14) 12.2.0"' > "$kdir/include/config/auto.conf"
echo 'all:' > "$kdir/Makefile"
printf '#!/usr/bin/perl\n' > "$kdir/scripts/kernel-doc"

stubs "$tmp/no-python" make gcc-12 bash perl
expect "modules without python3: one line names it and its package" 1 \
	"make modules: missing python3 (scripts/ko-check); install: apt-get install python3" \
	env PATH="$tmp/no-python" "$nt" --kdir "$kdir" --w 0 modules

stubs "$tmp/all" make gcc-12 bash perl python3
expect "modules with every tool: silent, exit 0" 0 "" \
	env PATH="$tmp/all" "$nt" --kdir "$kdir" --w 0 modules

stubs "$tmp/bare" bash
expect "modules: every missing one, the kernel's compiler by its name, packages once" 1 \
	"make modules: missing make (Kbuild), gcc-12 (the kernel's compiler), python3 (scripts/ko-check); install: apt-get install make gcc-12 python3" \
	env PATH="$tmp/bare" "$nt" --kdir "$kdir" --w 0 modules

expect "modules --chroot: the compiler is the chroot's, not checked" 1 \
	"make modules: missing make (Kbuild), python3 (scripts/ko-check); install: apt-get install make python3" \
	env PATH="$tmp/bare" "$nt" --kdir "$kdir" --chroot --w 1 modules

stubs "$tmp/no-perl" make gcc-12 bash python3
expect "modules W=1 with a Perl kernel-doc: perl is needed" 1 \
	"make modules: missing perl (the kernel's kernel-doc, W=1); install: apt-get install perl" \
	env PATH="$tmp/no-perl" "$nt" --kdir "$kdir" --w 1 modules

expect "explicit list: NAME=PATH globs, a NAME with colons, no USER" 1 \
	"make x: missing Pod::Usage (kernel-doc), a; install: apt-get install perl b" \
	env PATH="$tmp/all" "$nt" x 'Pod::Usage=/nonexistent/*/Pod/Usage.pm:perl:kernel-doc' \
	'bash:bash:y' a:b

stubs "$tmp/root" bash flock dpkg-query apt-get
printf '#!/bin/sh\necho 0\n' > "$tmp/root/id"
chmod +x "$tmp/root/id"
expect "check as root: only what installing the rest needs" 0 "" \
	env PATH="$tmp/root" "$nt" check
rm "$tmp/root/id"
env PATH="$tmp/root" "$nt" check 2> "$tmp/err"
rc=$?
grep -q '^make check: missing .*python3.*(scripts/deps); install: apt-get install .*python3' "$tmp/err" &&
	[ "$(wc -l < "$tmp/err")" = 1 ] && [ $rc = 1 ]
result $? "check not as root: what scripts/deps would install too, one line"

# The packages make check names to a user who is not root are those that
# scripts/deps installs.
deps=$(sed -n '/^packages=(/,/^)/p' "$top/scripts/deps" | sed '1d;$d;s/#.*//' |
	tr -s ' \t' '\n\n' | sed '/^$/d' | sort)
listed=$(sed -n 's/^[[:space:]]*echo "+[^:]*:\([^:]*\):scripts\/deps"$/\1/p' "$nt" | sort)
[ -n "$deps" ] && [ "$deps" = "$listed" ]
result $? "the check list of need-tools is scripts/deps's package list"
[ "$deps" = "$listed" ] || diff <(echo "$deps") <(echo "$listed") | sed 's/^/# /'

expect "an unknown target is a usage error" 2 \
	"need-tools: no tool list for target nosuch" env PATH="$tmp/all" "$nt" nosuch

# Through the Makefile: every command of the machine but python3.
mkdir -p "$tmp/host"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
	[ -d "$d" ] || continue
	# the first directory's wins, as in PATH order
	ln -s -t "$tmp/host" "$d"/* 2>/dev/null
done
rm -f "$tmp/host"/python3*
make=$(command -v make)
kver=0.0.0-need-tools-test
mkdir -p "$kdir/include/generated"
echo "#define UTS_RELEASE \"$kver\"" > "$kdir/include/generated/utsrelease.h"
echo 'CONFIG_CC_VERSION_TEXT="gcc (Debian 12.2.0-14) 12.2.0"' > "$kdir/include/config/auto.conf"
rc=0
# (as a user runs it, not as a sub-make of "make check": no MAKELEVEL, so
# make's own line is "make: ***")
env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS PATH="$tmp/host" "$make" -s --no-print-directory \
	-C "$top" KDIR="$kdir" W=0 \
	modules > "$tmp/out" 2> "$tmp/err" || rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] &&
	[ "$(head -1 "$tmp/err")" = "make modules: missing python3 (scripts/ko-check); install: apt-get install python3" ] &&
	[ "$(sed 1d "$tmp/err")" = "make: *** [Makefile:$(grep -n -A1 '^\$(PREFLIGHT): preflight-%:' "$top/Makefile" | sed -n 2p | cut -d- -f1): preflight-modules] Error 1" ] &&
	[ ! -e "$top/build/$kver" ]
rc=$?
result $rc "make modules stops in its preflight on the missing python3, before building"
[ $rc = 0 ] || sed 's/^/# /' "$tmp/err"

tap_done
