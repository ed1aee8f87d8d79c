// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile users and crafted images (Documentation/filesystems/vexfs.rst,
 * "Hardening"):
 *
 * 1. A search racing rmdir: nobody searches a directory (VEXFS_IOC_SEARCH)
 *    while another process of nobody creates and removes its
 *    subdirectories.  A subdirectory removed between the moment the search
 *    read its entry and the moment it visits it is skipped: the filesystem,
 *    mounted errors=remount-ro, stays writable and its superblock records
 *    no error.
 * 2. A quadruple indirect block that points at itself (P^4 paths through
 *    one block) and a single indirect block shared by two files: unlinking
 *    the files ends in bounded time, each block is freed once, and the
 *    errors reported are rate-limited.
 * 3. Link counts that are too low: a file with one link named by two
 *    entries, a directory with one link.  The unlink that would take the
 *    count below zero, and the rmdir, fail with EUCLEAN (no kernel warning).
 * 4. A directory whose size is beyond the blocks it owns (with every
 *    pointer naming one block, a lookup would walk 2^28 blocks) is
 *    refused when it is read (EUCLEAN), in bounded time.
 *
 * The harness fails the case on any kernel splat (a soft lockup, a
 * WARNING from drop_nlink()).
 */
#include "vx-case.h"
#include "../../../../modules/include/uapi/linux/vexfs.h"

#include <signal.h>
#include <sys/statvfs.h>
#include <time.h>

#define BS	4096u
#define PTRS	(BS / 4)
#define SLOTS	(BS / VEXFS_DIRENT_SIZE)

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t ino_of(const char *p)
{
	struct stat st;

	CHECK(lstat(p, &st) == 0);
	return (uint32_t)st.st_ino;
}

static void write_blocks(const char *p, unsigned int blocks)
{
	static char buf[BS];
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	CHECK(fd >= 0);
	memset(buf, 0x5a, sizeof(buf));
	for (unsigned int i = 0; i < blocks; i++)
		CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf));
	CHECK(close(fd) == 0);
}

static uint16_t super_state(void)
{
	struct vexfs_super_block sb;

	super_get(&sb);
	return (uint16_t)sb.s_state;
}

/* Fail if the (unmounted) image records an error. */
static void check_no_error_state(const char *when)
{
	if (super_state() & VEXFS_STATE_ERROR)
		fail("%s: the superblock records an error", when);
}

/*
 * Run @fn in a child; fail unless it ends within @limit seconds.  Returns
 * the child's exit status.
 */
static int bounded(const char *what, double limit, int (*fn)(void))
{
	double t0 = now(), dt;
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (!pid)
		_exit(fn());
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now() - t0 > limit) {
			kill(pid, SIGKILL);
			fail("%s: still running after %.0f s", what, limit);
		}
		usleep(20000);
	}
	dt = now() - t0;
	printf("%s: %.2f s\n", what, dt);
	CHECK(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* ---- 1. search racing rmdir ----------------------------------------------- */

#define RACE_DIRS	24

static void search_loop(const char *dir, double until)
{
	int8_t q[4] = { 1, 2, 3, 4 };
	struct vexfs_search_result res[4];
	long searches = 0;

	while (now() < until) {
		struct vexfs_search_arg a = {
			.size = sizeof(a), .metric = VEXFS_METRIC_L2,
			.elem_type = VEXFS_VEC_INT8, .dim = 4, .k = 4,
			.query = (uintptr_t)q, .results = (uintptr_t)res,
		};
		int fd = open(dir, O_RDONLY | O_DIRECTORY);

		if (fd < 0 || ioctl(fd, VEXFS_IOC_SEARCH, &a)) {
			fprintf(stderr, "FAIL: search %ld: %s\n", searches, strerror(errno));
			_exit(1);
		}
		close(fd);
		searches++;
	}
	printf("%ld searches\n", searches);
	_exit(0);
}

static void rmdir_loop(const char *dir, double until)
{
	char p[512];
	long rounds = 0;

	while (now() < until) {
		for (int i = 0; i < RACE_DIRS; i++) {
			snprintf(p, sizeof(p), "%s/d%d", dir, i);
			if (mkdir(p, 0755)) {
				fprintf(stderr, "FAIL: mkdir %s: %s\n", p, strerror(errno));
				_exit(1);
			}
		}
		for (int i = 0; i < RACE_DIRS; i++) {
			snprintf(p, sizeof(p), "%s/d%d", dir, i);
			if (rmdir(p)) {
				fprintf(stderr, "FAIL: rmdir %s: %s\n", p, strerror(errno));
				_exit(1);
			}
		}
		rounds++;
	}
	printf("%ld rounds of %d mkdir and rmdir\n", rounds, RACE_DIRS);
	_exit(0);
}

static void test_search_race(void)
{
	double until = now() + (double)vx_cmdline("vexfs_race_seconds", 15);
	const char *dir = path("race");
	pid_t pids[2];
	struct statvfs sv;
	int status, bad = 0;

	vx_mkfs("16M", "-b %u", BS);
	vx_mount("errors=remount-ro");
	CHECK(mkdir(dir, 0755) == 0 && chown(dir, UNPRIV_ID, UNPRIV_ID) == 0);
	for (int i = 0; i < 2; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i])
			continue;
		if (unpriv_become() || !unpriv_reach(dir))
			_exit(1);
		if (i)
			rmdir_loop(dir, until);
		search_loop(dir, until);
	}
	for (int i = 0; i < 2; i++) {
		CHECK(waitpid(pids[i], &status, 0) == pids[i]);
		bad |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	CHECK(statvfs(vx_mnt, &sv) == 0);
	if (sv.f_flag & ST_RDONLY)
		fail("search racing rmdir: the filesystem went read-only");
	if (bad)
		fail("search racing rmdir: a searcher or the remover failed");
	write_blocks(path("after-race"), 1);
	vx_umount();
	check_no_error_state("search racing rmdir");
	vx_fsck_clean();
	printf("search racing rmdir: no error, still writable\n");
}

/* ---- crafted images ---------------------------------------------------- */

static uint32_t blk_get32(uint32_t block, unsigned int i)
{
	uint32_t v;

	img_rw(&v, sizeof(v), (uint64_t)block * BS + i * 4, 0);
	return v;
}

static void blk_fill32(uint32_t block, uint32_t v)
{
	static uint32_t buf[PTRS];

	for (unsigned int i = 0; i < PTRS; i++)
		buf[i] = v;
	img_rw(buf, sizeof(buf), (uint64_t)block * BS, 1);
}

/* Add the entry @name -> @ino (@type) to the first block of directory @dir. */
static void dirent_add(uint32_t dir, const char *name, uint32_t ino, uint8_t type)
{
	struct vexfs_dirent de[SLOTS];
	struct vexfs_inode in;
	unsigned int s;

	inode_get(dir, &in);
	img_rw(de, sizeof(de), (uint64_t)in.i_block[0] * BS, 0);
	for (s = 2; s < SLOTS && de[s].d_ino; s++)
		;
	CHECK(s < SLOTS);
	memset(&de[s], 0, sizeof(de[s]));
	de[s].d_ino = ino;
	de[s].d_name_len = (uint8_t)strlen(name);
	de[s].d_type = type;
	memcpy(de[s].d_name, name, strlen(name));
	img_rw(de, sizeof(de), (uint64_t)in.i_block[0] * BS, 1);
}

static int unlink_selfref(void)
{
	return unlink(path("selfref")) ? errno : 0;
}

static int unlink_shared(void)
{
	if (unlink(path("shared1")) || unlink(path("shared2")))
		return errno;
	return 0;
}

static int lookup_in_loop(void)
{
	struct stat st;

	if (!stat(path("loopdir/x"), &st))
		return 0;
	return errno;
}

/* Kernel log lines since the marker @mark that contain @text. */
static int klog_count(const char *mark, const char *text)
{
	char out[300], line[64];
	FILE *f;
	int n = -1;

	snprintf(out, sizeof(out), "%s/klog.count", vx_tmp);
	run("dmesg | sed -n '/%s/,$p' | grep -c '%s' > %s", mark, text, out);
	f = fopen(out, "r");
	CHECK(f);
	if (fgets(line, sizeof(line), f))
		n = atoi(line);
	fclose(f);
	return n;
}

static void klog_mark(const char *mark)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	CHECK(fd >= 0);
	CHECK(write(fd, mark, strlen(mark)) == (ssize_t)strlen(mark));
	close(fd);
}

static void test_crafted(void)
{
	uint32_t selfref, shared1, shared2, dd, hl, loopdir, ind;
	struct vexfs_inode in, in2;
	int rc, errs;

	vx_mkfs("16M", "-b %u", BS);
	vx_mount(NULL);
	/* 13 blocks: 12 direct and one behind the single indirect block */
	write_blocks(path("selfref"), VEXFS_NDIR + 1);
	write_blocks(path("shared1"), VEXFS_NDIR + 2);
	write_blocks(path("shared2"), VEXFS_NDIR + 2);
	write_blocks(path("hardlinked"), 1);
	CHECK(mkdir(path("onelink"), 0755) == 0);
	CHECK(mkdir(path("loopdir"), 0755) == 0);
	selfref = ino_of(path("selfref"));
	shared1 = ino_of(path("shared1"));
	shared2 = ino_of(path("shared2"));
	hl = ino_of(path("hardlinked"));
	dd = ino_of(path("onelink"));
	loopdir = ino_of(path("loopdir"));
	vx_umount();

	/* a quadruple indirect block of pointers to itself */
	inode_get(selfref, &in);
	ind = in.i_block[VEXFS_NDIR];
	CHECK(ind && blk_get32(ind, 0));
	blk_fill32(ind, ind);
	in.i_block[VEXFS_NDIR + 3] = ind;
	inode_put(selfref, &in);
	/* shared2's single indirect block is shared1's */
	inode_get(shared1, &in);
	inode_get(shared2, &in2);
	in2.i_block[VEXFS_NDIR] = in.i_block[VEXFS_NDIR];
	inode_put(shared2, &in2);
	/* a second name for a file with one link */
	dirent_add(VEXFS_ROOT_INO, "second-name", hl, VEXFS_FT_REG);
	/* a directory with one link */
	inode_get(dd, &in);
	in.i_nlink = 1;
	inode_put(dd, &in);
	/* a directory of 2^40 bytes that owns one block, and a loop under it */
	inode_get(loopdir, &in);
	in.i_size = 1ULL << 40;
	for (int i = 1; i < VEXFS_N_BLOCKS; i++)
		in.i_block[i] = ind;
	inode_put(loopdir, &in);

	vx_mount("errors=continue");
	klog_mark("vexfs-14: crafted unlinks");
	rc = bounded("unlink of a self-referencing quadruple indirect tree", 60,
		     unlink_selfref);
	if (rc)
		fail("unlink selfref: %s", strerror(rc));
	rc = bounded("unlink of two files sharing an indirect block", 60, unlink_shared);
	if (rc)
		fail("unlink shared1, shared2: %s", strerror(rc));
	errs = klog_count("vexfs-14: crafted unlinks", "error (device");
	printf("%d error lines logged for the unlinks\n", errs);
	if (errs < 1 || errs > 30)
		fail("%d error lines for two bad trees: expected some, rate-limited", errs);

	/* the inode stays in memory, with no link, while the second name is open */
	rc = open(path("second-name"), O_RDONLY);
	CHECK(rc >= 0);
	CHECK(unlink(path("hardlinked")) == 0);
	CHECK_ERR(unlink(path("second-name")), EUCLEAN);
	CHECK(close(rc) == 0);
	CHECK_ERR(rmdir(path("onelink")), EUCLEAN);

	rc = bounded("lookup in a directory larger than its blocks", 60, lookup_in_loop);
	if (rc != EUCLEAN)
		fail("lookup under loopdir: %s, expected EUCLEAN", strerror(rc));

	/* still usable */
	write_blocks(path("after"), 2);
	vx_umount();
	if (!(super_state() & VEXFS_STATE_ERROR))
		fail("crafted trees: no error recorded");
	rc = vx_fsck("-y");
	if (rc > 1) {
		run("cat %s/fsck.out >&2", vx_tmp);
		fail("fsck.vexfs -y after the crafted trees: exit %d", rc);
	}
	vx_fsck_clean();
	vx_mount(NULL);
	write_blocks(path("after-fsck"), VEXFS_NDIR + 2);
	vx_umount();
	vx_fsck_clean();
}

int main(void)
{
	vx_case_init();
	test_search_race();
	test_crafted();
	vx_case_done();
	return 0;
}
