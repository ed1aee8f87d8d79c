// SPDX-License-Identifier: GPL-2.0
/*
 * Damaged images.  A bad superblock, geometry, feature, bitmap or root
 * inode makes the mount fail with the right errno and log line, and leaves
 * the image as it was; an unknown read-only feature allows a read-only
 * mount only.  Damage found after the mount (an inode, a directory entry,
 * a block pointer) fails that operation cleanly (EUCLEAN, EIO for data),
 * is recorded in the superblock and handled as errors= says; fsck.vexfs
 * -y repairs it.
 */
#include "vx-case.h"

#include <dirent.h>
#include <regex.h>
#include <sys/statvfs.h>

static uint8_t *base;
static size_t base_len;
static int kmsg = -1;

/* ---- the kernel log -------------------------------------------------------- */

static void log_mark(void)
{
	if (kmsg >= 0)
		close(kmsg);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	CHECK(kmsg >= 0);
	CHECK(lseek(kmsg, 0, SEEK_END) >= 0);
}

/* The log since the mark has a line matching @re. */
static void log_expect(const char *re)
{
	char rec[2048];
	regex_t rx;
	int found = 0;
	ssize_t n;

	CHECK(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) == 0);
	while ((n = read(kmsg, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		if (!regexec(&rx, rec, 0, NULL, 0))
			found = 1;
	}
	regfree(&rx);
	if (!found)
		fail("kernel log: no line matches '%s'", re);
	log_mark();
}

/* ---- images -------------------------------------------------------------------- */

static void save_base(void)
{
	struct stat st;

	CHECK(stat(vx_img, &st) == 0);
	base_len = st.st_size;
	base = malloc(base_len);
	CHECK(base != NULL);
	img_rw(base, base_len, 0, 0);
}

static void restore_base(void)
{
	img_rw(base, base_len, 0, 1);
}

static uint32_t image_sum(void)
{
	uint8_t *buf = malloc(base_len);
	uint32_t sum;

	CHECK(buf != NULL);
	img_rw(buf, base_len, 0, 0);
	sum = crc32c(0, buf, base_len);
	free(buf);
	return sum;
}

enum kind { SUPER16, SUPER32, SUPER64, SUPER_FILL, XOR, INODE_CSUM, INODE16, INODE32, INODE64 };

struct damage {
	const char *what;
	enum kind kind;
	uint32_t ino;
	uint64_t off, value;
	int err;
	const char *log;
};

static void apply(const struct damage *d)
{
	struct vexfs_super_block sb;
	struct vexfs_inode in;

	switch (d->kind) {
	case SUPER16:
	case SUPER32:
	case SUPER64:
		super_get(&sb);
		if (d->kind == SUPER16)
			*(uint16_t *)((uint8_t *)&sb + d->off) = (uint16_t)d->value;
		else if (d->kind == SUPER32)
			*(uint32_t *)((uint8_t *)&sb + d->off) = (uint32_t)d->value;
		else
			*(uint64_t *)((uint8_t *)&sb + d->off) = d->value;
		super_put(&sb);
		break;
	case SUPER_FILL:	/* 64 bytes of @value, checksum recomputed */
		super_get(&sb);
		memset((uint8_t *)&sb + d->off, (int)d->value, 64);
		super_put(&sb);
		break;
	case XOR:
		img_xor(d->off, (uint8_t)d->value);
		break;
	case INODE_CSUM:
		inode_get(d->ino, &in);
		in.i_checksum ^= 1;
		img_rw(&in, sizeof(in), inode_off(d->ino), 1);
		break;
	case INODE16:
	case INODE32:
	case INODE64:
		inode_get(d->ino, &in);
		if (d->kind == INODE16)
			*(uint16_t *)((uint8_t *)&in + d->off) = (uint16_t)d->value;
		else if (d->kind == INODE32)
			*(uint32_t *)((uint8_t *)&in + d->off) = (uint32_t)d->value;
		else
			*(uint64_t *)((uint8_t *)&in + d->off) = d->value;
		inode_put(d->ino, &in);
		break;
	}
}

#define SB(f) offsetof(struct vexfs_super_block, f)
#define IN(f) offsetof(struct vexfs_inode, f)

static const struct damage refused[] = {
	{ "bad magic", SUPER32, 0, SB(s_magic), 0x12345678, EINVAL,
	  "no VexFS filesystem \\(bad magic\\)" },
	{ "checksum", XOR, 0, 200, 1, EUCLEAN, "superblock checksum mismatch" },
	{ "version 3", SUPER32, 0, SB(s_version), 3, EINVAL, "unsupported format version 3" },
	{ "incompat feature", SUPER32, 0, SB(s_feature_incompat), 4, EINVAL,
	  "unknown incompatible features 0x4" },
	{ "larger than the device", SUPER64, 0, SB(s_blocks_count), 4096, EUCLEAN,
	  "bad geometry: filesystem is larger than the device" },
	{ "data start", SUPER64, 0, SB(s_data_start), 9, EUCLEAN,
	  "bad geometry: data region start is wrong" },
	{ "block size", SUPER32, 0, SB(s_block_size), 8192, EUCLEAN,
	  "bad geometry: block size, block count or inode count out of range" },
	{ "inode size", SUPER32, 0, SB(s_inode_size), 128, EUCLEAN,
	  "bad geometry: unsupported inode size" },
	{ "inodes count", SUPER32, 0, SB(s_inodes_count), 100000, EUCLEAN,
	  "bad geometry: inode bitmap location or size is wrong" },
	{ "errors", SUPER16, 0, SB(s_errors), 7, EUCLEAN, "invalid errors behaviour 7" },
	{ "state", SUPER32, 0, SB(s_state), 8, EUCLEAN, "unknown state 0x8" },
	{ "label", SUPER_FILL, 0, SB(s_label), 'x', EUCLEAN, "label not terminated" },
	{ "inode 0 free", XOR, 0, 4096, 0x01, EUCLEAN, "inode bitmap is corrupted" },
	{ "padding inode", XOR, 0, 4096 + 512 / 8, 0x02, EUCLEAN, "inode bitmap is corrupted" },
	{ "metadata block free", XOR, 0, 8192, 0x02, EUCLEAN, "block bitmap is corrupted" },
	{ "root checksum", INODE_CSUM, 1, 0, 0, EUCLEAN, "inode 1: checksum mismatch" },
	{ "root size", INODE64, 1, IN(i_size), 100, EUCLEAN,
	  "inode 1: directory size not a multiple of the block size" },
	{ "root type", INODE16, 1, IN(i_mode), 0100755, EUCLEAN, "root inode is not a directory" },
	{ "root nlink", INODE32, 1, IN(i_nlink), 0, EUCLEAN, "inode 1: link count 0" },
	{ "root vector", INODE16, 1, IN(i_vec_dim), 8, EUCLEAN, "inode 1: invalid vector fields" },
};

static void test_refused(void)
{
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		const struct damage *d = &refused[i];
		uint32_t sum;
		int err;

		restore_base();
		apply(d);
		sum = image_sum();
		log_mark();
		err = vx_try_mount(0, NULL);
		if (!err)
			fail("%s: the damaged image mounted", d->what);
		vx_detach();
		if (err != d->err)
			fail("%s: mount failed with %s, expected %s", d->what, strerror(err),
			     strerror(d->err));
		log_expect(d->log);
		if (image_sum() != sum)
			fail("%s: the refused mount changed the image", d->what);
	}
}

static void test_ro_compat(void)
{
	struct damage d = { "ro_compat", SUPER32, 0, SB(s_feature_ro_compat), 0x10, 0, NULL };
	char buf[16];
	int fd;

	restore_base();
	apply(&d);
	CHECK(vx_try_mount(MS_RDONLY, NULL) == 0);
	fd = open(path("f"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 8 && close(fd) == 0);
	CHECK(umount2(vx_mnt, 0) == 0);
	log_mark();
	CHECK(vx_try_mount(0, NULL) == EROFS);
	log_expect("unknown read-only features 0x10: mount read-only");
	vx_detach();
}

static void test_errors_remount_ro(void)
{
	struct damage d = { "inode 3", INODE_CSUM, 3, 0, 0, 0, NULL };
	struct statvfs sv;
	char buf[64];
	int fd;

	restore_base();
	apply(&d);
	vx_mount("errors=remount-ro");
	log_mark();
	CHECK_ERR(open(path("f"), O_RDONLY), EUCLEAN);
	log_expect("error \\(device loop[0-9]+\\): vexfs_iget: inode 3: checksum mismatch");
	CHECK(statvfs(vx_mnt, &sv) == 0 && (sv.f_flag & ST_RDONLY));
	CHECK_ERR(open(path("new"), O_CREAT | O_WRONLY, 0644), EROFS);
	fd = open(path("d/g"), O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, sizeof(buf)) == 6 && close(fd) == 0);
	vx_umount();
	CHECK(vx_fsck("-n") == 4);
	CHECK(vx_fsck_said("an error was recorded by the kernel"));
	CHECK(vx_fsck_said("inode 3: checksum mismatch"));
	CHECK(vx_fsck("-p") == 4);	/* not a preen job */
	CHECK(vx_fsck("-y") == 1);
	vx_fsck_clean();
	vx_mount(NULL);
	CHECK_ERR(access(path("f"), F_OK), ENOENT);
	CHECK(readlink(path("l"), buf, sizeof(buf)) == 1 && buf[0] == 'f');
	fd = open(path("f"), O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "again", 5) == 5 && close(fd) == 0);
	vx_umount();
	vx_fsck_clean();
}

static void test_errors_continue(void)
{
	struct vexfs_super_block sb;
	struct damage name = { "entry name", XOR, 0, 0, 0, 0, NULL };
	struct damage ptr = { "block pointer", INODE32, 5, IN(i_block), 3, 0, NULL };
	struct statvfs sv;
	struct dirent *de;
	char buf[64];
	DIR *dir;
	int fd;

	restore_base();
	super_get(&sb);
	/* the root's entry 3 ("f", after lost+found): name length 1 -> 0 */
	name.off = sb.s_data_start * sb.s_block_size + 3 * VEXFS_DIRENT_SIZE +
		   offsetof(struct vexfs_dirent, d_name_len);
	name.value = 1;
	apply(&name);
	/* d/g (inode 5): its data pointer into the inode table */
	apply(&ptr);
	vx_mount("errors=continue");
	log_mark();
	dir = opendir(vx_mnt);
	CHECK(dir != NULL);
	errno = 0;
	while ((de = readdir(dir)))
		;
	CHECK(errno == EUCLEAN);
	closedir(dir);
	log_expect("bad entry \\(inode 3\\): name length out of range");
	fd = open(path("d/g"), O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(read(fd, buf, sizeof(buf)), EIO);
	CHECK(close(fd) == 0);
	log_expect("inode 5: block pointer 3 out of range");
	CHECK(statvfs(vx_mnt, &sv) == 0 && !(sv.f_flag & ST_RDONLY));
	fd = open(path("d/other"), O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "ok", 2) == 2 && close(fd) == 0);
	vx_umount();
	CHECK(vx_fsck("-y") == 1);
	CHECK(vx_fsck_said("name length out of range"));
	CHECK(vx_fsck_said("block pointer 3 out of range"));
	vx_fsck_clean();
}

int main(void)
{
	int fd;

	vx_case_init();
	vx_mkfs("8M", " ");
	vx_mount(NULL);
	/* inode 2 is /lost+found (mkfs) */
	fd = open(path("f"), O_CREAT | O_WRONLY, 0644);		/* inode 3 */
	CHECK(fd >= 0 && write(fd, "content\n", 8) == 8 && close(fd) == 0);
	CHECK(mkdir(path("d"), 0755) == 0);			/* inode 4 */
	fd = open(path("d/g"), O_CREAT | O_WRONLY, 0644);	/* inode 5 */
	CHECK(fd >= 0 && write(fd, "inner\n", 6) == 6 && close(fd) == 0);
	CHECK(symlink("f", path("l")) == 0);			/* inode 6 */
	vx_umount();
	vx_fsck_clean();
	save_base();

	test_refused();
	test_ro_compat();
	test_errors_remount_ro();
	test_errors_continue();
	vx_case_done();
	printf("damaged images handled\n");
	return 0;
}
