#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where a file's blocks go, and FIEMAP: a 32 MiB file written 4 KiB at a
# time in random order lies in at most 4 runs, as if written in order (each
# block is placed at its logical distance from one already placed); a
# 128 MiB file written in order
# lies in at most 4 runs on disk (indirect blocks are kept out of its data,
# which they would split every 4 MiB), and filefrag sees that; two files
# written by turns get runs of 64 blocks and more, not alternate blocks;
# FIEMAP reports a sparse file's blocks at their logical offsets, holes
# between; what is read back after the caches are dropped (readahead maps
# a run of blocks at once) is what was written; fsck is clean.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

command -v filefrag >/dev/null || fail "no filefrag (e2fsprogs, scripts/deps)"
command -v fio >/dev/null || fail "no fio (scripts/deps)"
vx_init
vx_mkfs 512M
vx_mount

# extents FILE: filefrag -v's extents, "LOGICAL PHYSICAL LENGTH" in blocks
extents()
{
	filefrag -v "$1" | sed -n 's/^ *[0-9]*: *\([0-9]*\)\.\. *[0-9]*: *\([0-9]*\)\.\. *[0-9]*: *\([0-9]*\):.*/\1 \2 \3/p'
}

# every 4 KiB block of 32 MiB once, in random order (fio's random map), as
# the benchmark's random writes do: in at most 4 runs, where blocks placed
# in the order written would make thousands, and writeback would send the
# disk one 4 KiB request a block
fio --name=rand --filename="$VX_MNT/rand" --rw=randwrite --bs=4k --size=32M \
	--ioengine=psync --fallocate=none --end_fsync=1 --output=/dev/null ||
	fail "fio randwrite"
n=$(extents "$VX_MNT/rand" | wc -l)
note "32 MiB written in random order: $n extent(s) (filefrag)"
assert_eq "$(extents "$VX_MNT/rand" | awk '{s += $3} END {print s + 0}')" 8192 \
	"blocks FIEMAP reports for 32 MiB"
[ "$n" -ge 1 ] && [ "$n" -le 4 ] ||
	fail "32 MiB written in random order lies in $n runs: $(filefrag -v "$VX_MNT/rand" | head -12)"

# (its checksum taken on the way: no 128 MiB copy in the guest's memory)
head -c 128M /dev/urandom | tee >(sha256sum > "$DSMIL_TMP/seq.sum") |
	dd of="$VX_MNT/seq" bs=1M iflag=fullblock conv=fsync status=none || fail "write seq"
n=$(extents "$VX_MNT/seq" | wc -l)
extents "$VX_MNT/seq" | sed "s/^/seq extent (logical physical length): /" | head -8 | while read -r l; do note "$l"; done
total=$(extents "$VX_MNT/seq" | awk '{s += $3} END {print s + 0}')
note "128 MiB written in order: $n extent(s) (filefrag)"
assert_eq "$total" 32768 "blocks FIEMAP reports for 128 MiB"
[ "$n" -ge 1 ] && [ "$n" -le 4 ] ||
	fail "128 MiB written in order lies in $n runs: $(filefrag -v "$VX_MNT/seq" | head -20)"
echo 3 > /proc/sys/vm/drop_caches
[ "$(sha256sum < "$VX_MNT/seq")" = "$(cat "$DSMIL_TMP/seq.sum")" ] ||
	fail "128 MiB read back after drop_caches differ"

# two files written by turns, 256 KiB (64 blocks) each turn, as two
# writers at once would: every run but a file's first and last is 64 blocks
# or more (a file whose next block was taken starts a run of its own, and
# keeps the blocks after it from the other), not alternate blocks
for ((i = 0; i < 128; i++)); do
	for f in a b; do
		dd if=/dev/urandom of="$VX_MNT/$f" bs=256k seek="$i" count=1 \
			conv=notrunc status=none || fail "write $f, turn $i"
	done
done
sync
for f in a b; do
	mapfile -t ext <<< "$(extents "$VX_MNT/$f")"
	note "$f (32 MiB, written by turns with the other): ${#ext[@]} extent(s)"
	for ((i = 1; i < ${#ext[@]} - 1; i++)); do
		read -r _ _ len <<< "${ext[i]}"
		[ "$len" -ge 64 ] ||
			fail "$f: run $i of ${#ext[@]} has $len blocks: $(printf '%s; ' "${ext[@]}")"
	done
done
for f in a b; do
	assert_eq "$(stat -c %s "$VX_MNT/$f")" 33554432 "size of $f"
done

# a sparse file: blocks in the direct pointers, the single indirect block
# (12 + 1024 blocks) and the double one
for b in 0 20 5000 1100000; do
	printf 'block %s' "$b" | dd of="$VX_MNT/sparse" bs=4096 seek="$b" conv=notrunc status=none ||
		fail "write block $b"
done
sync
got=$(extents "$VX_MNT/sparse" | awk '{printf "%s:%s ", $1, $3}')
assert_eq "$got" "0:1 20:1 5000:1 1100000:1 " "FIEMAP of a sparse file (logical:length)"
echo 3 > /proc/sys/vm/drop_caches
for b in 0 20 5000 1100000; do
	assert_eq "$(dd if="$VX_MNT/sparse" bs=4096 skip="$b" count=1 status=none | tr -d '\0')" \
		"block $b" "block $b read back"
done
[ "$(dd if="$VX_MNT/sparse" bs=4096 skip=21 count=4979 status=none | tr -d '\0' | wc -c)" = 0 ] ||
	fail "the hole between blocks 20 and 5000 reads as non-zero"

# an empty file: no extent, no error
: > "$VX_MNT/empty"
out=$(filefrag "$VX_MNT/empty" 2>&1) || fail "filefrag of an empty file: $out"
[[ $out == *": 0 extents found" ]] || fail "filefrag of an empty file: $out"

vx_umount
vx_fsck_clean
