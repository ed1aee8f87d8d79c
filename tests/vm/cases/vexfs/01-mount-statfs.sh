#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mount -t vexfs autoloads the module; statfs reports the geometry mkfs
# chose; errors= shows in the mount options; fsck is clean after umount;
# the module unloads.
# dsmil-matrix: load/unload; compat: bdev_nr_bytes, crc32c_h, generic_fillattr_mask, inode_state_read
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

[ ! -d /sys/module/vexfs ] || rmmod vexfs || fail "vexfs loaded before the case"
vx_init --autoload
vx_mkfs 64M -L vm-label -N 1000
vx_mount
assert_loaded vexfs
grep -qw vexfs /proc/filesystems || fail "vexfs not in /proc/filesystems"

# stat -f: magic, block size, blocks (data region), inodes
read -r ftype bsize blocks bfree files ffree <<< "$(stat -f -c '%t %S %b %f %c %d' "$VX_MNT")"
assert_eq "$ftype" 76657866 "f_type"
assert_eq "$bsize" 4096 "block size"
json=$("$VX_FSCK" -n --json "$VX_IMG")
# metadata + the journal + the blocks of / and /lost+found
used=$(echo "$json" | jq .blocks_used)
assert_eq "$(echo "$json" | jq .journal)" true "mkfs made a journal"
assert_eq "$blocks" $((16384 - used + 2)) "f_blocks (data region less the journal)"
assert_eq "$bfree" $((16384 - used)) "f_bfree"
assert_eq "$files" 1000 "f_files"
assert_eq "$ffree" 998 "f_ffree (/ and /lost+found)"
assert_eq "$(stat -c '%i %F %h' "$VX_MNT")" "1 directory 3" "root inode (and lost+found)"
grep " $VX_MNT " /proc/mounts | grep -q 'vexfs rw' || fail "not mounted rw: $(grep " $VX_MNT " /proc/mounts)"
vx_umount
vx_fsck_clean

vx_mount -o errors=remount-ro
grep " $VX_MNT " /proc/mounts | grep -q 'errors=remount-ro' ||
	fail "errors= not shown: $(grep " $VX_MNT " /proc/mounts)"
mount -o remount,errors=continue "$VX_MNT" || fail "remount errors=continue"
grep " $VX_MNT " /proc/mounts | grep -q 'errors=continue' || fail "remount did not change errors="
mount -o remount,ro "$VX_MNT" || fail "remount ro"
touch "$VX_MNT/x" 2>/dev/null && fail "created a file on a read-only mount"
mount -o remount,rw "$VX_MNT" || fail "remount rw"
touch "$VX_MNT/x" || fail "no file after remount rw"
vx_umount
vx_fsck_clean
