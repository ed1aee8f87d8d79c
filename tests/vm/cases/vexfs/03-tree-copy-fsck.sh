#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A real tree (the suite's compat layer: sources and probes) copied in with
# cp -a and compared, then reshaped (a subtree removed, one moved, links
# added, a file copied within the filesystem); the data survives a
# remount, fsck.vexfs is clean after every unmount and everything removed
# gives every block and inode back.
# dsmil-matrix: smoke: vexfs; compat: aops_read_folio, filemap_splice_read, iop_create_no_excl, iop_mkdir_dentry, iop_mnt_idmap, iop_user_ns, write_begin_folio, write_begin_kiocb, write_begin_no_flags
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

vx_init
vx_mkfs 32M -N 1024
vx_mount
# a snapshot first: the checkout may change while the case runs
ref=$DSMIL_TMP/ref
mkdir -p "$ref" "$VX_MNT/modules" || fail mkdir
cp -a "$DSMIL_SRC/modules/compat" "$ref/" || fail "snapshot"
cp -a "$ref/compat" "$VX_MNT/modules/" || fail "cp -a"
diff -r "$ref/compat" "$VX_MNT/modules/compat" > /dev/null || fail "the copy differs"
vx_umount
vx_fsck_clean
vx_mount

rm -rf "$VX_MNT/modules/compat/probes" || fail "rm -rf"
mv "$VX_MNT/modules/compat" "$VX_MNT/moved" || fail "mv dir"
ln "$VX_MNT/moved/dsmil_compat.h" "$VX_MNT/hardlink.h" || fail "ln"
ln -s moved "$VX_MNT/symlink" || fail "ln -s"
assert_eq "$(stat -c %h "$VX_MNT/hardlink.h")" 2 "link count after ln"
vx_umount
vx_fsck_clean
vx_mount
rm -rf "$ref/compat/probes"
diff -r "$ref/compat" "$VX_MNT/symlink/" > /dev/null || fail "moved tree differs after remount"
cmp "$ref/compat/dsmil_compat.h" "$VX_MNT/hardlink.h" || fail "hard link content"
# cp within one filesystem: copy_file_range(), which the kernel does with
# the source's splice_read (VexFS has no copy_file_range of its own)
cp "$VX_MNT/hardlink.h" "$VX_MNT/copy.h" || fail "cp within the filesystem"
cmp "$ref/compat/dsmil_compat.h" "$VX_MNT/copy.h" || fail "copy within the filesystem differs"
find "$VX_MNT" -mindepth 1 -maxdepth 1 ! -name lost+found -exec rm -rf {} + ||
	fail "rm -rf all"
read -r blocks bfree files ffree <<< "$(stat -f -c '%b %f %c %d' "$VX_MNT")"
assert_eq "$bfree" $((blocks - 2)) "free blocks after removing everything (/ and /lost+found keep theirs)"
assert_eq "$ffree" $((files - 2)) "free inodes after removing everything but /lost+found"
vx_umount
vx_fsck_clean
