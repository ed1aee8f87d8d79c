#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The jbd2 journal of the kernel module: a fresh journaled image mounts
# read-write with INCOMPAT_RECOVER set on disk and a jbd2 journal in
# /proc/fs/jbd2; every kind of operation (create, mkdir, mknod, symlink,
# link, unlink, rmdir, rename and rename over a file, truncate, directory
# growth, vector set and remove, fsync) commits transactions; a freeze,
# remount ro and a clean unmount clear INCOMPAT_RECOVER and fsck.vexfs -n is clean;
# the data is there after a remount.  A version 1 image mounts read-only
# only, with a line telling to run fsck.vexfs --upgrade, and read-write
# after the upgrade.  An image needing recovery is replayed by a read-only
# mount of a writable device, refused on a read-only device (norecovery
# mounts it); "-J none" images mount read-write without a journal.
# dsmil-matrix: compat: jbd2_flush_flags, jbd2_jinode_dirty_range
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

VX_CTL=$VX_TOOLS/vexctl
VX_PATCH=$DSMIL_SRC/tests/vm/cases/vexfs/vx-patch
[ -x "$VX_CTL" ] || fail "no $VX_CTL: build the tools"

# super_u32 OFFSET: a 32-bit little-endian superblock field of the image
super_u32()
{
	local v
	v=$(od -An -tu4 -j "$1" -N 4 "$VX_IMG")
	echo "${v//[!0-9]/}"
}

incompat()
{
	super_u32 16
}

jbd2_dir()
{
	# the journal's jbd2 name: the device and the number of its inode (0)
	echo "/proc/fs/jbd2/$(basename "$VX_DEV")-0"
}

# --- a fresh journaled image --------------------------------------------
vx_init
vx_mkfs 64M -N 4096
json=$("$VX_FSCK" -n --json "$VX_IMG")
assert_eq "$(echo "$json" | jq -c '[.version, .journal]')" "[2,true]" "mkfs: version 2 with a journal"
assert_eq "$(incompat)" 0 "incompat after mkfs"
dmesg_mark
vx_mount
assert_eq "$(incompat)" 1 "INCOMPAT_RECOVER while mounted read-write"
[ -d "$(jbd2_dir)" ] || fail "no $(jbd2_dir): $(ls /proc/fs/jbd2 2>&1)"
[ -d "$VX_MNT/lost+found" ] || fail "no lost+found"

# every namespace operation, data, vectors
m=$VX_MNT
mkdir -p "$m/a/b" "$m/c" || fail mkdir
head -c 300000 /dev/urandom > "$DSMIL_TMP/big" || fail "random data"
cp "$DSMIL_TMP/big" "$m/a/big" || fail "cp big"
dd if="$DSMIL_TMP/big" of="$m/a/synced" bs=4k conv=fsync status=none || fail "dd conv=fsync"
echo hello > "$m/a/b/hello" || fail "create"
ln "$m/a/b/hello" "$m/c/hardlink" || fail "link"
ln -s ../a/b/hello "$m/c/symlink" || fail "symlink"
mkfifo "$m/c/fifo" || fail "mkfifo"
mknod "$m/c/chr" c 1 3 || fail "mknod"
for i in $(seq 100); do		# the directory grows over several blocks
	echo "$i" > "$m/c/f$i" || fail "create c/f$i"
done
echo new > "$m/c/new" || fail "create new"
mv "$m/c/new" "$m/c/f1" || fail "rename over a file"
mv "$m/c/f2" "$m/a/b/moved" || fail "rename across directories"
mkdir "$m/c/d" && mv "$m/c/d" "$m/a/d" || fail "rename a directory"
rm "$m/c/f3" || fail unlink
rmdir "$m/a/d" || fail rmdir
truncate -s 5000 "$m/a/big" || fail "truncate down"
truncate -s 1M "$m/a/big" || fail "truncate up"
"$VX_CTL" set "$m/a/synced" 1,2,3,4 || fail "vexctl set"
"$VX_CTL" set -t int8 "$m/a/b/hello" 1,2 || fail "vexctl set int8"
"$VX_CTL" remove "$m/a/b/hello" || fail "vexctl remove"
python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644); os.write(fd, b"fsynced"); os.fsync(fd); os.fdatasync(fd)' "$m/c/py" ||
	fail "fsync, fdatasync"
sync || fail sync
tx=$(sed -n 's/^\([0-9]*\) transactions.*/\1/p' "$(jbd2_dir)/info")
[ "${tx:-0}" -ge 1 ] || fail "no transaction committed: $(cat "$(jbd2_dir)/info")"
note "$tx transactions committed"

fsfreeze -f "$m" || fail "fsfreeze -f"
assert_eq "$(incompat)" 0 "INCOMPAT_RECOVER while frozen"
fsfreeze -u "$m" || fail "fsfreeze -u"
assert_eq "$(incompat)" 1 "INCOMPAT_RECOVER after a thaw"
mount -o remount,ro "$m" || fail "remount ro"
assert_eq "$(incompat)" 0 "INCOMPAT_RECOVER after remount ro"
vx_fsck_clean
mount -o remount,rw "$m" || fail "remount rw"
assert_eq "$(incompat)" 1 "INCOMPAT_RECOVER after remount rw"
echo more > "$m/c/after-remount" || fail "write after remount rw"
vx_umount
assert_eq "$(incompat)" 0 "INCOMPAT_RECOVER after a clean unmount"
vx_fsck_clean
json=$("$VX_FSCK" -n --json "$VX_IMG")
assert_eq "$(echo "$json" | jq -c '[.journal_needed_recovery, .journal_replayed]')" "[false,false]" \
	"fsck: the journal needs no recovery"

vx_mount
head -c 5000 "$DSMIL_TMP/big" | cmp -n 5000 - "$m/a/big" || fail "truncated file"
assert_eq "$(stat -c %s "$m/a/big")" 1048576 "size after truncate up"
cmp "$DSMIL_TMP/big" "$m/a/synced" || fail "fsync'd file"
assert_eq "$(cat "$m/c/hardlink")" hello "hard link"
assert_eq "$(stat -c %h "$m/a/b/hello")" 2 "link count"
assert_eq "$(readlink "$m/c/symlink")" ../a/b/hello "symlink"
assert_eq "$(cat "$m/c/symlink")" hello "through the symlink"
assert_eq "$(cat "$m/c/f1")" new "renamed over"
assert_eq "$(cat "$m/a/b/moved")" 2 "moved"
[ ! -e "$m/c/f3" ] && [ ! -e "$m/a/d" ] && [ ! -e "$m/c/f2" ] || fail "removed names are back"
assert_eq "$(stat -c %F "$m/c/fifo")" fifo "fifo"
assert_eq "$(stat -c '%F %t:%T' "$m/c/chr")" "character special file 1:3" "device node"
assert_eq "$(cat "$m/c/py")" fsynced "fsync'd by python"
assert_eq "$(cat "$m/c/f100")" 100 "last entry of the grown directory"
"$VX_CTL" get "$m/a/synced" | grep -q '1' || fail "vector after remount"
"$VX_CTL" get "$m/a/b/hello" > /dev/null 2>&1 && fail "removed vector is back"
rm -rf "$m/a" "$m/c" || fail "rm -rf"
vx_umount
vx_fsck_clean
dmesg_since | grep -E "vexfs|jbd2|JBD2" | sed 's/^/# /'
assert_dmesg "vexfs: error" 0

# --- INCOMPAT_RECOVER set (an empty log, as after a crash right after
# mount): a read-only loop device refuses the mount, norecovery mounts it,
# a read-only mount of a writable device replays and clears the flag
"$VX_PATCH" "$VX_IMG" super incompat 1 || fail "vx-patch incompat"
VX_DEV=$(losetup -r -f --show "$VX_IMG") || fail "losetup -r"
dmesg_mark
vx_mount_fails "read-only|write-protected" -o ro
VX_DEV=$(losetup -r -f --show "$VX_IMG") || fail "losetup -r"
assert_dmesg "needs journal recovery but the device is read-only" 1
vx_mount -o ro,norecovery
grep " $VX_MNT " /proc/mounts | grep -q norecovery || fail "norecovery not shown"
vx_umount
assert_eq "$(incompat)" 1 "norecovery leaves INCOMPAT_RECOVER"
vx_mount -o ro
vx_umount
assert_eq "$(incompat)" 0 "INCOMPAT_RECOVER after a read-only mount replayed"
vx_fsck_clean

# --- version 1: read-only only, with the message; --upgrade ------------
vx_mkfs 16M -N 256 -J none
"$VX_PATCH" "$VX_IMG" super lpf_ino 0 || fail "vx-patch lpf_ino"
"$VX_PATCH" "$VX_IMG" super version 1 || fail "vx-patch version"
vx_fsck_clean
sum=$(sha256sum < "$VX_IMG")
dmesg_mark
vx_mount_fails "read-only|write-protected" -w
assert_dmesg "format version 1 has no journal: mount it read-only, or run fsck.vexfs --upgrade" 1
dmesg_mark
vx_mount -o ro
assert_dmesg "format version 1 has no journal: mounted read-only; run fsck.vexfs --upgrade" 1
[ -d "$VX_MNT/lost+found" ] || fail "v1 image content"
touch "$VX_MNT/x" 2>/dev/null && fail "created a file on a version 1 image"
mount -o remount,rw "$VX_MNT" 2>/dev/null && fail "remounted a version 1 image read-write"
vx_umount
assert_eq "$(sha256sum < "$VX_IMG")" "$sum" "a version 1 image is left untouched"
"$VX_FSCK" --upgrade "$VX_IMG" > /dev/null || fail "fsck.vexfs --upgrade"
vx_mount
assert_eq "$(incompat)" 1 "an upgraded image is journaled"
echo upgraded > "$VX_MNT/u" || fail "write after --upgrade"
vx_umount
vx_fsck_clean

# --- no-journal mode -----------------------------------------------------
vx_mkfs 64M -J none
vx_mount
assert_eq "$(incompat)" 0 "no-journal mode sets no INCOMPAT_RECOVER"
[ ! -e "$(jbd2_dir)" ] || fail "a journal for a -J none image"
cp "$DSMIL_TMP/big" "$VX_MNT/big" && sync || fail "write without a journal"
vx_umount
vx_fsck_clean
