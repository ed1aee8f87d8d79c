#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel <-> FUSE interchange on one image: a tree with vectors written by
# vexfs.ko reads the same through vexfs-fuse (names, types, sizes, modes,
# link counts, owners, mtime and ctime to the nanosecond, inode numbers,
# symlink targets, file contents, and the JSON of vexctl searches by every
# metric), then what vexfs-fuse changes reads the same through vexfs.ko.
# fsck.vexfs -n is clean after every unmount.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

VX_FUSE=$VX_TOOLS/vexfs-fuse
VX_CTL=$VX_TOOLS/vexctl
[ -x "$VX_FUSE" ] && [ -x "$VX_CTL" ] || fail "no $VX_FUSE or $VX_CTL: build the tools"
vx_init
[ -c /dev/fuse ] || modprobe fuse || fail "modprobe fuse failed"
[ -c /dev/fuse ] || fail "no /dev/fuse"

fuse_pid=
fuse_mount()
{
	local i
	"$VX_FUSE" -f "$VX_IMG" "$VX_MNT" 2> "$DSMIL_TMP/fuse.log" &
	fuse_pid=$!
	for ((i = 0; i < 300; i++)); do
		mountpoint -q "$VX_MNT" && return 0
		kill -0 "$fuse_pid" 2>/dev/null || break
		sleep 0.1
		: "$i"
	done
	fail "vexfs-fuse did not mount: $(cat "$DSMIL_TMP/fuse.log")"
}

fuse_umount()
{
	umount "$VX_MNT" || fail "umount (FUSE) failed"
	wait "$fuse_pid" || fail "vexfs-fuse exit $?: $(cat "$DSMIL_TMP/fuse.log")"
	fuse_pid=
}

# state FILE: everything a reader sees, in a stable order
state()
{
	(cd "$VX_MNT" && find . -printf '%p %y %s %m %n %U %G %T@ %C@ %i %l\n' | sort &&
		find . -type f -exec sha256sum {} + | sort) > "$1" || fail "state $1"
	local m
	for m in l2 dot cosine; do
		"$VX_CTL" --json search -t int8 -m "$m" -k 25 "$VX_MNT" \
			3,-7,12,0,5,-1,9,-4 >> "$1" || fail "vexctl search -m $m"
		"$VX_CTL" --json search -t float32 -m "$m" -k 25 "$VX_MNT/f" \
			0.5,-1.25,2,0.125 >> "$1" || fail "vexctl search float32 -m $m"
	done
}

# vectors DIR N TYPE DIM: N files with deterministic vectors (bash's
# RANDOM seeded with the file's number: no process but vexctl)
vectors()
{
	local dir=$1 n=$2 type=$3 dim=$4 i j v x
	mkdir -p "$dir" || fail "mkdir $dir"
	for ((i = 1; i <= n; i++)); do
		echo "file $i" > "$dir/v$i" || fail "create $dir/v$i"
		RANDOM=$i
		[ "$type" = int8 ] || RANDOM=$((i + 1000))
		v=
		for ((j = 0; j < dim; j++)); do
			if [ "$type" = int8 ]; then
				x=$((RANDOM % 256 - 128))
			else
				# -4.0000 to 3.9999
				printf -v x '%d.%04d' $((RANDOM % 8 - 4)) $((RANDOM % 10000))
			fi
			v+=${v:+,}$x
		done
		"$VX_CTL" set -t "$type" "$dir/v$i" "$v" || fail "vexctl set $dir/v$i"
	done
}

vx_mkfs 64M -N 4096 -J none	# vexfs-fuse writes only images without a journal

# 1: written by the kernel, read by FUSE
vx_mount
ref=$DSMIL_TMP/ref
mkdir -p "$ref" && cp -a "$DSMIL_SRC/modules/compat" "$ref/" || fail "snapshot"
cp -a "$ref/compat" "$VX_MNT/" || fail "cp -a"
vectors "$VX_MNT/i" 30 int8 8
vectors "$VX_MNT/f" 20 float32 4
ln "$VX_MNT/i/v1" "$VX_MNT/f/link-to-i1" || fail ln
ln -s compat/dsmil_compat.h "$VX_MNT/sym" || fail "ln -s"
mkfifo "$VX_MNT/fifo" || fail mkfifo
truncate -s 3M "$VX_MNT/sparse" && echo end >> "$VX_MNT/sparse" || fail sparse
touch -h -d '1969-07-20 20:17:40.123456789 UTC' "$VX_MNT/sym" || fail "touch -h"
touch -d '2100-01-01 00:00:00.000000001 UTC' "$VX_MNT/i/v4" || fail touch
state "$DSMIL_TMP/kernel1"
vx_umount
vx_fsck_clean

fuse_mount
state "$DSMIL_TMP/fuse1"
diff "$DSMIL_TMP/kernel1" "$DSMIL_TMP/fuse1" > "$DSMIL_TMP/diff1" ||
	fail "FUSE reads the kernel's image differently: $(head -20 "$DSMIL_TMP/diff1")"

# 2: changed by FUSE, read by the kernel
rm -rf "$VX_MNT/compat/probes" || fail "rm -rf (FUSE)"
mv "$VX_MNT/compat" "$VX_MNT/moved" || fail "mv (FUSE)"
vectors "$VX_MNT/f/more" 10 float32 4
"$VX_CTL" remove "$VX_MNT/i/v2" || fail "vexctl remove (FUSE)"
"$VX_CTL" set -t int8 "$VX_MNT/i/v3" 1,2,3,4,5,6,7,8 || fail "vexctl set (FUSE)"
head -c 200000 /dev/urandom > "$VX_MNT/random" || fail "write (FUSE)"
truncate -s 1000 "$VX_MNT/sparse" || fail "truncate (FUSE)"
state "$DSMIL_TMP/fuse2"
fuse_umount
vx_fsck_clean

vx_mount
state "$DSMIL_TMP/kernel2"
diff "$DSMIL_TMP/fuse2" "$DSMIL_TMP/kernel2" > "$DSMIL_TMP/diff2" ||
	fail "the kernel reads FUSE's image differently: $(head -20 "$DSMIL_TMP/diff2")"
! diff -q "$DSMIL_TMP/kernel1" "$DSMIL_TMP/kernel2" > /dev/null ||
	fail "FUSE's changes did not reach the image"
grep -c '"rank"' "$DSMIL_TMP/kernel2" > /dev/null || fail "no search results"
vx_umount
vx_fsck_clean
