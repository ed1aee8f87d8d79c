// SPDX-License-Identifier: GPL-2.0
/*
 * A shared mapping of a file with writeback (ext4 on a loop device; minix
 * on a kernel without ext4, such as the debug kernel of
 * scripts/debug-kernel) is refused with -EOPNOTSUPP and one debug line;
 * shared shmem (memfd) and a private file mapping lock fine.  The loop
 * device is set up before the mount, not by "mount -o loop": libmount
 * keeps the loop device open for writing while it mounts, and a kernel
 * without CONFIG_BLK_DEV_WRITE_MOUNTED (the debug kernel) refuses to
 * mount a block device that is open for writing (-EBUSY).
 */
#include "dmalock-lib.h"

#include <sys/mount.h>

static char mnt[256];

static void umount_fs(void)
{
	char cmd[600];

	umount2(mnt, MNT_DETACH);
	snprintf(cmd, sizeof(cmd), "losetup -d \"$(cat '%s/loopdev')\"",
		 getenv("DSMIL_TMP") ?: "/tmp");
	if (system(cmd))
		printf("# cannot detach the loop device\n");
}

/* Debug lines of dsmil_dmalock refusing a file mapping named "f". */
static int refusals(void)
{
	FILE *f = popen("\"$DSMIL_SRC/tests/vm/guest/klog\" | grep -c 'dsmil_dmalock: refusing .*shared file mapping of f cannot be pinned long-term'", "r");
	int n = -1;

	if (!f || fscanf(f, "%d", &n) != 1)
		fail("cannot read the kernel log");
	pclose(f);
	return n;
}

int main(void)
{
	char cmd[1024], path[300];
	unsigned char *p;
	uint32_t h;
	int fd, ffd, mfd, before;

	load("emu");
	snprintf(mnt, sizeof(mnt), "%s/mnt", getenv("DSMIL_TMP") ?: "/tmp");
	snprintf(cmd, sizeof(cmd),
		 "set -e; cd \"$DSMIL_TMP\"; truncate -s 8M img; "
		 "mkdir -p mnt; modprobe loop; "
		 "if modprobe -q ext4 || grep -qw ext4 /proc/filesystems; then "
		 "mkfs.ext4 -q -F -O ^has_journal img; fs=ext4; "
		 "else mkfs.minix -3 img >/dev/null; fs=minix; fi; "
		 "losetup -f --show img > loopdev; "
		 "mount -t $fs \"$(cat loopdev)\" mnt; echo \"# file system: $fs\"");
	if (system(cmd))
		fail("cannot mount an ext4 or minix image");
	atexit(umount_fs);
	snprintf(path, sizeof(path), "%s/f", mnt);
	ffd = open(path, O_RDWR | O_CREAT, 0600);
	if (ffd < 0 || ftruncate(ffd, 4 * PAGE))
		fail("file: %s", strerror(errno));

	fd = ctl_open();
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ffd, 0);
	if (p == MAP_FAILED)
		fail("mmap shared: %s", strerror(errno));
	memset(p, 1, 4 * PAGE);
	before = refusals();
	expect_eq(dl_lock(fd, p, 4 * PAGE, LOCK_BIDI, NULL), -EOPNOTSUPP,
		  "shared ext4 mapping");
	expect_eq(refusals(), before + 1, "debug lines for the refusal");
	munmap(p, 4 * PAGE);

	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ffd, 0);
	if (p == MAP_FAILED)
		fail("mmap private: %s", strerror(errno));
	expect_eq(dl_lock(fd, p, 4 * PAGE, LOCK_BIDI, &h), 0,
		  "private file mapping");
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	munmap(p, 4 * PAGE);

	mfd = memfd_create("dmalock", 0);
	if (mfd < 0 || ftruncate(mfd, 4 * PAGE))
		fail("memfd: %s", strerror(errno));
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (p == MAP_FAILED)
		fail("mmap memfd: %s", strerror(errno));
	expect_eq(dl_lock(fd, p, 4 * PAGE, LOCK_BIDI, &h), 0,
		  "shared memfd (shmem) mapping");
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	munmap(p, 4 * PAGE);
	close(fd);
	close(ffd);
	expect_nothing_held("at the end");
	return 0;
}
