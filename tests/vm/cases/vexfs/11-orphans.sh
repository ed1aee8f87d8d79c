#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The orphan list of the kernel module.  Files unlinked while open and a
# directory removed while in use are on it: a frozen snapshot of the
# mounted image (what a crash right then leaves, the journal checkpointed)
# and a copy taken after sync (the list only in the journal's log) are
# crash images.  fsck.vexfs -n of the snapshot reports the list and
# nothing else (exit 0); a read-write mount of either copy deletes the
# inodes (free blocks back, s_last_orphan 0, fsck clean), and so does
# fsck.vexfs -p of another copy.  A linked file on the list (a truncation
# cut short, crafted) is truncated to its size; truncation and unlink of
# closed files leave the list empty; malformed lists (a loop, a bad inode
# number, a free inode) stop the cleanup with an error, leave the
# filesystem usable and fsck a preen job; a read-only mount leaves a list
# alone and a remount read-write with one is refused.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

VX_PATCH=$DSMIL_SRC/tests/vm/cases/vexfs/vx-patch
ORIG=$DSMIL_TMP/vexfs.img
SNAP=$DSMIL_TMP/snapshot.img
CRASH=$DSMIL_TMP/crash.img
holder=

cleanup_holder()
{
	[ -z "$holder" ] || kill "$holder" 2>/dev/null
	holder=
}

# the EXIT trap: the process holding a removed directory, then vx_cleanup
# (which exits with the status the case had)
cleanup()
{
	local rc=$?

	cleanup_holder
	exec 3<&- 4<&-
	(exit $rc)
	vx_cleanup
}

# super_u32 OFFSET [IMAGE]: a 32-bit superblock field
super_u32()
{
	local v
	v=$(od -An -tu4 -j "$1" -N 4 "${2:-$VX_IMG}")
	echo "${v//[!0-9]/}"
}

last_orphan()
{
	super_u32 220 "$@"
}

# fsck_json IMAGE FILTER: a field of fsck.vexfs -n --json
fsck_json()
{
	"$VX_FSCK" -n --json "$1" | jq -c "$2"
}

# use IMAGE: the next mounts and checks are of IMAGE
use()
{
	VX_IMG=$1
}

# --- the crash images ----------------------------------------------------
vx_init
vx_mkfs 16M -N 4096
vx_mount
m=$VX_MNT
free0=$(stat -f -c %f "$m")
head -c 3000000 /dev/urandom > "$m/big" || fail "write big"	# indirect blocks
echo small > "$m/small" || fail "write small"
mkdir "$m/d" || fail mkdir
echo closed > "$m/closed" || fail "write closed"
head -c 2000000 /dev/urandom > "$m/trunc" || fail "write trunc"
sync
big=$(stat -c %i "$m/big")
small=$(stat -c %i "$m/small")
d=$(stat -c %i "$m/d")
exec 3< "$m/big" 4< "$m/small" || fail "open"
(cd "$m/d" && exec sleep 600) &
holder=$!
trap cleanup EXIT
rm "$m/big" "$m/small" || fail "unlink while open"
rmdir "$m/d" || fail "rmdir while in use"
rm "$m/closed" || fail "unlink a closed file"
truncate -s 5000 "$m/trunc" || fail "truncate"
trunc_blocks=$(($(stat -c %b "$m/trunc") / 8))	# 4 KiB blocks
assert_eq "$(stat -L -c %h /proc/self/fd/3)" 0 "link count of the open, unlinked file"

sync
cp "$ORIG" "$CRASH" || fail "copy after sync"
assert_eq "$(super_u32 16 "$CRASH")" 1 "the copy after sync needs recovery"
fsfreeze -f "$m" || fail "fsfreeze -f"
cp "$ORIG" "$SNAP" || fail "copy while frozen"
fsfreeze -u "$m" || fail "fsfreeze -u"
# head insertion: d (last removed) first, then small, then big
assert_eq "$(last_orphan "$SNAP")" "$d" "s_last_orphan of the snapshot"

# the live mount deletes them once closed
cleanup_holder
wait 2>/dev/null
exec 3<&- 4<&-
rm "$m/trunc" || fail "rm trunc"
fsfreeze -f "$m" && fsfreeze -u "$m" || fail "fsfreeze"
assert_eq "$(last_orphan)" 0 "s_last_orphan once the files are closed"
assert_eq "$(stat -f -c %f "$m")" "$free0" "free blocks once the files are closed"
vx_umount
vx_fsck_clean

# --- fsck -n of the snapshot: pending work, exit 0 -------------------------
use "$SNAP"
out=$("$VX_FSCK" -n "$SNAP") || fail "fsck.vexfs -n of the snapshot: exit $?: $out"
echo "$out" | grep -q "orphan list: 3 inode(s) to delete or truncate" ||
	fail "fsck.vexfs -n does not report the orphan list: $out"
assert_eq "$(fsck_json "$SNAP" '[.status, .orphans, .orphans_processed, .problems]')" \
	"[0,3,false,[]]" "fsck.vexfs -n --json of the snapshot"
cp "$SNAP" "$DSMIL_TMP/preen.img" || fail "copy the snapshot"

# a read-only mount leaves the list; remount read-write is refused
dmesg_mark
vx_mount -o ro
[ "$(ls -A "$VX_MNT")" = "lost+found
trunc" ] || fail "read-only mount of the snapshot: $(ls -A "$VX_MNT")"
mount -o remount,rw "$VX_MNT" 2>/dev/null && fail "remounted read-write with an orphan list"
assert_dmesg "cannot remount read-write with a non-empty orphan list" 1
vx_umount
assert_eq "$(last_orphan)" "$d" "a read-only mount leaves the list"

# a read-write mount deletes them
dmesg_mark
vx_mount
assert_dmesg "orphan list: 3 inode\(s\) deleted, 0 truncated" 1
assert_eq "$(stat -f -c %f "$VX_MNT")" "$((free0 - trunc_blocks))" \
	"free blocks after the mount's cleanup"
assert_eq "$(stat -c %s "$VX_MNT/trunc")" 5000 "the truncated file"
vx_umount
assert_eq "$(last_orphan)" 0 "s_last_orphan after the mount"
vx_fsck_clean
assert_eq "$(fsck_json "$SNAP" '[.orphans, .inodes_used]')" "[0,3]" "fsck after the mount"
blocks_used=$(fsck_json "$SNAP" .blocks_used)

# fsck -p of another copy does the same
use "$DSMIL_TMP/preen.img"
out=$("$VX_FSCK" -p "$VX_IMG")
rc=$?
[ $rc = 1 ] || fail "fsck.vexfs -p of the snapshot: exit $rc: $out"
for i in "$big" "$small" "$d"; do
	echo "$out" | grep -q "inode $i: on the orphan list with no link; deleted" ||
		fail "fsck.vexfs -p: inode $i not deleted: $out"
done
echo "$out" | grep -q bitmap && fail "fsck.vexfs -p reported bitmap differences: $out"
vx_fsck_clean
assert_eq "$(last_orphan)" 0 "s_last_orphan after fsck -p"
assert_eq "$(fsck_json "$VX_IMG" '[.orphans, .inodes_used, .blocks_used]')" \
	"[0,3,$blocks_used]" "fsck -p frees what the mount frees"

# --- the copy after sync: the list is in the log ----------------------------
cp "$CRASH" "$DSMIL_TMP/crash-preen.img" || fail "copy the crash image"
use "$CRASH"
dmesg_mark
vx_mount
assert_dmesg "orphan list: 3 inode\(s\) deleted" 1
assert_eq "$(stat -f -c %f "$VX_MNT")" "$((free0 - trunc_blocks))" \
	"free blocks after replay and cleanup"
vx_umount
vx_fsck_clean
assert_eq "$(last_orphan)" 0 "s_last_orphan after replay and cleanup"
use "$DSMIL_TMP/crash-preen.img"
out=$("$VX_FSCK" -p "$VX_IMG")
rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "journal replayed" &&
	[ "$(echo "$out" | grep -c "on the orphan list with no link; deleted")" = 3 ] ||
	fail "fsck.vexfs -p of the crash image: exit $rc: $out"
vx_fsck_clean

# --- a truncation cut short (crafted): the mount finishes it -----------------
use "$ORIG"
vx_mount
head -c 3000000 /dev/urandom > "$DSMIL_TMP/data"
cp "$DSMIL_TMP/data" "$VX_MNT/t" || fail "write t"
t=$(stat -c %i "$VX_MNT/t")
free1=$(stat -f -c %f "$VX_MNT")
vx_umount
"$VX_PATCH" "$VX_IMG" inode "$t" size 10000 || fail "vx-patch size"
"$VX_PATCH" "$VX_IMG" super last_orphan "$t" || fail "vx-patch last_orphan"
out=$("$VX_FSCK" -n "$VX_IMG") || fail "fsck.vexfs -n, a linked file on the list: exit $?: $out"
dmesg_mark
vx_mount
assert_dmesg "orphan list: 0 inode\(s\) deleted, 1 truncated" 1
[ "$(stat -f -c %f "$VX_MNT")" -gt "$free1" ] || fail "no block freed by the truncation"
head -c 10000 "$DSMIL_TMP/data" | cmp - "$VX_MNT/t" || fail "content of the truncated file"
vx_umount
assert_eq "$(last_orphan)" 0 "s_last_orphan after the truncation"
vx_fsck_clean
assert_dmesg "vexfs: error" 0

# --- malformed lists: an error, the filesystem usable, a preen job ------------
# bad ESCAPED_TEXT: set s_last_orphan (and maybe a next pointer), mount
# read-write, expect the error, write a file, then fsck -n (exit 4), -p
# (exit 1) and -n clean
malformed()
{
	local what=$1 text=$2 out rc
	dmesg_mark
	vx_mount
	assert_dmesg "error \(device [^)]*\): [a-z_]*: orphan list: $text" 1
	assert_dmesg "orphan list: stopped at inode" 1
	echo still > "$VX_MNT/after-$what" || fail "$what: write after the error"
	vx_umount
	out=$("$VX_FSCK" -n "$VX_IMG")
	rc=$?
	[ $rc = 4 ] && echo "$out" | grep -q "an error was recorded by the kernel" ||
		fail "$what: fsck.vexfs -n exit $rc: $out"
	out=$("$VX_FSCK" -p "$VX_IMG")
	rc=$?
	[ $rc = 1 ] || fail "$what: fsck.vexfs -p exit $rc: $out"
	vx_fsck_clean
	assert_eq "$(last_orphan)" 0 "$what: s_last_orphan after fsck -p"
}
"$VX_PATCH" "$VX_IMG" super last_orphan 100000 || fail vx-patch
malformed number "inode number 100000 out of range"
"$VX_PATCH" "$VX_IMG" super last_orphan 50 || fail vx-patch
malformed free "inode 50 is free"
# a loop on a linked file: truncated once, met again
"$VX_PATCH" "$VX_IMG" inode "$t" next_orphan "$t" || fail vx-patch
"$VX_PATCH" "$VX_IMG" super last_orphan "$t" || fail vx-patch
malformed loop "inode $t is on it twice \(a loop\)"
vx_mount
assert_eq "$(stat -c %s "$VX_MNT/t")" 10000 "t after the malformed lists"
vx_umount
vx_fsck_clean
