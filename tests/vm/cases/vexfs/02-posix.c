// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX behaviour of a mounted VexFS (4 KiB blocks): files, names,
 * directories, rename (RENAME_NOREPLACE), hard and symbolic links,
 * truncate and sparse files, files past 4 GiB and 1 TiB, permissions,
 * timestamps, device nodes, thousands of directory entries, mmap, statfs
 * accounting, persistence across a remount; fsck.vexfs is clean after
 * the unmount.  Exact errnos throughout.
 * dsmil-matrix: compat: aops_dirty_folio, blkdev_issue_flush_nogfp, inode_get_atime, inode_get_ctime
 */
#include "vx-case.h"

#include <dirent.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#endif

#define mnt vx_mnt

static unsigned long free_blocks(void);

static void write_file(const char *p, const void *data, size_t len, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);

	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	CHECK(close(fd) == 0);
}

static size_t read_file(const char *p, void *buf, size_t len)
{
	int fd = open(p, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0);
	n = read(fd, buf, len);
	CHECK(n >= 0);
	CHECK(close(fd) == 0);
	return (size_t)n;
}

static ino_t ino_of(const char *p)
{
	struct stat st;

	CHECK(lstat(p, &st) == 0);
	return st.st_ino;
}

static nlink_t nlink_of(const char *p)
{
	struct stat st;

	CHECK(lstat(p, &st) == 0);
	return st.st_nlink;
}

static unsigned long free_blocks(void)
{
	struct statfs sf;

	CHECK(statfs(mnt, &sf) == 0);
	return sf.f_bfree;
}

/* ---- the tests ------------------------------------------------------- */

static void test_files_and_names(void)
{
	char name[300], buf[64];
	int fd;

	fd = open(path("f"), O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello vexfs", 11) == 11);
	CHECK(close(fd) == 0);
	CHECK_ERR(open(path("f"), O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK(read_file(path("f"), buf, sizeof(buf)) == 11);
	CHECK(!memcmp(buf, "hello vexfs", 11));
	/* append */
	fd = open(path("f"), O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "!", 1) == 1 && close(fd) == 0);
	CHECK(read_file(path("f"), buf, sizeof(buf)) == 12 && buf[11] == '!');

	/* 250 bytes is the longest name, 251 is too long */
	memset(name, 'n', 250);
	name[250] = 0;
	write_file(path("%s", name), "x", 1, 0644);
	CHECK(access(path("%s", name), F_OK) == 0);
	name[250] = 'n';
	name[251] = 0;
	CHECK_ERR(open(path("%s", name), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	CHECK_ERR(access(path("%s", name), F_OK), ENAMETOOLONG);
	/* every byte but '/' and NUL is a valid name character */
	for (int c = 1; c < 256; c++)
		name[c - 1] = c == '/' ? '_' : (char)c;
	name[200] = 0;
	write_file(path("%s", name), "", 0, 0644);
	CHECK(unlink(path("%s", name)) == 0);

	CHECK(unlink(path("f")) == 0);
	CHECK_ERR(unlink(path("f")), ENOENT);
	CHECK_ERR(open(path("f"), O_RDONLY), ENOENT);
	/* no direct I/O */
	write_file(path("d-io"), "x", 1, 0644);
	CHECK_ERR(open(path("d-io"), O_RDONLY | O_DIRECT), EINVAL);
	CHECK(unlink(path("d-io")) == 0);
}

static void test_directories(void)
{
	nlink_t root = nlink_of(mnt);

	CHECK(mkdir(path("dir"), 0755) == 0);
	CHECK_ERR(mkdir(path("dir"), 0755), EEXIST);
	CHECK(nlink_of(path("dir")) == 2);
	CHECK(nlink_of(mnt) == root + 1);
	CHECK(ino_of(path("dir/..")) == ino_of(mnt));
	CHECK(mkdir(path("dir/sub"), 0700) == 0);
	CHECK(nlink_of(path("dir")) == 3);
	write_file(path("dir/file"), "x", 1, 0644);
	CHECK_ERR(rmdir(path("dir")), ENOTEMPTY);
	CHECK_ERR(rmdir(path("dir/file")), ENOTDIR);
	CHECK_ERR(unlink(path("dir/sub")), EISDIR);
	CHECK_ERR(mkdir(path("dir/file/x"), 0755), ENOTDIR);
	CHECK(unlink(path("dir/file")) == 0);
	CHECK(rmdir(path("dir/sub")) == 0);
	CHECK(nlink_of(path("dir")) == 2);
	CHECK(rmdir(path("dir")) == 0);
	CHECK(nlink_of(mnt) == root);
	CHECK_ERR(rmdir(path("dir")), ENOENT);
}

static void test_rename(void)
{
	char buf[16];
	ino_t a;

	write_file(path("a"), "AAAA", 4, 0644);
	write_file(path("b"), "BB", 2, 0644);
	a = ino_of(path("a"));
	/* over an existing file: the target is replaced */
	CHECK(rename(path("a"), path("b")) == 0);
	CHECK(ino_of(path("b")) == a);
	CHECK(read_file(path("b"), buf, sizeof(buf)) == 4);
	CHECK_ERR(access(path("a"), F_OK), ENOENT);
	/* RENAME_NOREPLACE */
	write_file(path("c"), "C", 1, 0644);
	CHECK_ERR(renameat2(AT_FDCWD, path("c"), AT_FDCWD, path("b"), RENAME_NOREPLACE), EEXIST);
	CHECK(ino_of(path("b")) == a);
	CHECK(renameat2(AT_FDCWD, path("c"), AT_FDCWD, path("c2"), RENAME_NOREPLACE) == 0);
	CHECK_ERR(access(path("c"), F_OK), ENOENT);
	/* exchange is not implemented */
	CHECK_ERR(renameat2(AT_FDCWD, path("b"), AT_FDCWD, path("c2"), RENAME_EXCHANGE), EINVAL);

	/* directories: ".." follows, link counts move */
	CHECK(mkdir(path("p1"), 0755) == 0);
	CHECK(mkdir(path("p2"), 0755) == 0);
	CHECK(mkdir(path("p1/d"), 0755) == 0);
	write_file(path("p1/d/inner"), "in", 2, 0644);
	CHECK(rename(path("p1/d"), path("p2/d")) == 0);
	CHECK(ino_of(path("p2/d/..")) == ino_of(path("p2")));
	CHECK(nlink_of(path("p1")) == 2 && nlink_of(path("p2")) == 3);
	CHECK(read_file(path("p2/d/inner"), buf, sizeof(buf)) == 2);
	/* into its own subtree */
	CHECK_ERR(rename(path("p2"), path("p2/d/x")), EINVAL);
	/* over an empty directory, not over a non-empty one */
	CHECK(mkdir(path("p1/empty"), 0755) == 0);
	CHECK_ERR(rename(path("p1/empty"), path("p2/d")), ENOTEMPTY);
	CHECK(rename(path("p2/d"), path("p1/empty")) == 0);
	CHECK(nlink_of(path("p1")) == 3 && nlink_of(path("p2")) == 2);
	CHECK(ino_of(path("p1/empty/..")) == ino_of(path("p1")));
	CHECK_ERR(rename(path("b"), path("p1")), EISDIR);
	CHECK_ERR(rename(path("p1"), path("b")), ENOTDIR);
	/* same directory */
	CHECK(rename(path("p1/empty"), path("p1/moved")) == 0);
	CHECK(nlink_of(path("p1")) == 3);
	CHECK(unlink(path("p1/moved/inner")) == 0);
	CHECK(rmdir(path("p1/moved")) == 0);
	CHECK(rmdir(path("p1")) == 0 && rmdir(path("p2")) == 0);
	CHECK(unlink(path("b")) == 0 && unlink(path("c2")) == 0);
}

static void test_links(void)
{
	char target[4100], buf[4100];
	struct stat st;

	write_file(path("orig"), "data", 4, 0644);
	CHECK(link(path("orig"), path("hard")) == 0);
	CHECK(ino_of(path("orig")) == ino_of(path("hard")));
	CHECK(nlink_of(path("orig")) == 2);
	CHECK_ERR(link(path("orig"), path("hard")), EEXIST);
	CHECK(mkdir(path("ldir"), 0755) == 0);
	CHECK_ERR(link(path("ldir"), path("ldir2")), EPERM);
	CHECK(unlink(path("orig")) == 0);
	CHECK(nlink_of(path("hard")) == 1);
	CHECK(read_file(path("hard"), buf, sizeof(buf)) == 4 && !memcmp(buf, "data", 4));

	CHECK(symlink("hard", path("sym")) == 0);
	CHECK(readlink(path("sym"), buf, sizeof(buf)) == 4 && !memcmp(buf, "hard", 4));
	CHECK(lstat(path("sym"), &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 4);
	CHECK(stat(path("sym"), &st) == 0 && S_ISREG(st.st_mode));
	CHECK_ERR(symlink("x", path("sym")), EEXIST);
	/* a target of 4095 bytes fits a block with its NUL, 4096 does not */
	memset(target, 't', 4095);
	target[4095] = 0;
	CHECK(symlink(target, path("longsym")) == 0);
	CHECK(readlink(path("longsym"), buf, sizeof(buf)) == 4095);
	CHECK(!memcmp(buf, target, 4095));
	target[4095] = 't';
	target[4096] = 0;
	CHECK_ERR(symlink(target, path("toolong")), ENAMETOOLONG);
	CHECK(symlink("ldir/../hard", path("relsym")) == 0);
	CHECK(read_file(path("relsym"), buf, sizeof(buf)) == 4);
	CHECK(unlink(path("sym")) == 0 && unlink(path("longsym")) == 0 &&
	      unlink(path("relsym")) == 0 && unlink(path("hard")) == 0);
	CHECK(rmdir(path("ldir")) == 0);
}

static void test_truncate_and_sparse(void)
{
	unsigned long before = free_blocks();
	char buf[8192], zero[8192] = {0};
	struct stat st;
	int fd;

	fd = open(path("t"), O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	memset(buf, 'x', sizeof(buf));
	CHECK(write(fd, buf, 6000) == 6000);
	/* shrink into the middle of a block, grow again: the tail reads zeros */
	CHECK(ftruncate(fd, 100) == 0);
	CHECK(ftruncate(fd, 8000) == 0);
	CHECK(pread(fd, buf, 8000, 0) == 8000);
	for (int i = 0; i < 100; i++)
		CHECK(buf[i] == 'x');
	CHECK(!memcmp(buf + 100, zero, 7900));
	CHECK(fstat(fd, &st) == 0 && st.st_size == 8000);
	/* a hole in the middle */
	CHECK(pwrite(fd, "end", 3, 1 << 20) == 3);
	CHECK(pread(fd, buf, 4096, 512 << 10) == 4096 && !memcmp(buf, zero, 4096));
	CHECK(fstat(fd, &st) == 0 && st.st_size == (1 << 20) + 3);
	CHECK(st.st_blocks <= 4 * 8);	/* data blocks and one indirect block */
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0 && st.st_blocks == 0);
	CHECK(close(fd) == 0);
	CHECK(free_blocks() == before);
	CHECK(truncate(path("t"), 12345) == 0);
	CHECK(stat(path("t"), &st) == 0 && st.st_size == 12345 && st.st_blocks == 0);
	CHECK(unlink(path("t")) == 0);
	CHECK_ERR(truncate(mnt, 0), EISDIR);
}

static void test_large_files(void)
{
	const off_t g5 = 5LL << 30, t1 = (1LL << 40) + 12345;
	unsigned long before = free_blocks();
	char buf[64];
	struct stat st;
	int fd;

	fd = open(path("big"), O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK(pwrite(fd, "past 4 GiB", 10, g5) == 10);
	CHECK(pwrite(fd, "past 1 TiB", 10, t1) == 10);
	CHECK(fstat(fd, &st) == 0 && st.st_size == t1 + 10);
	CHECK(pread(fd, buf, 10, g5) == 10 && !memcmp(buf, "past 4 GiB", 10));
	CHECK(pread(fd, buf, 10, t1) == 10 && !memcmp(buf, "past 1 TiB", 10));
	CHECK(pread(fd, buf, 10, 3LL << 30) == 10);
	for (int i = 0; i < 10; i++)
		CHECK(buf[i] == 0);
	/* two data blocks and the indirect blocks above them */
	CHECK(st.st_blocks > 0 && st.st_blocks <= 8 * 8);
	/* past the largest file (about 4 PiB at 4 KiB blocks) */
	CHECK_ERR(pwrite(fd, "x", 1, 1LL << 62), EFBIG);
	CHECK(close(fd) == 0);
	vx_remount();
	CHECK(stat(path("big"), &st) == 0 && st.st_size == t1 + 10);
	fd = open(path("big"), O_RDONLY);
	CHECK(fd >= 0);
	CHECK(pread(fd, buf, 10, t1) == 10 && !memcmp(buf, "past 1 TiB", 10));
	CHECK(close(fd) == 0);
	CHECK(unlink(path("big")) == 0);
	CHECK(free_blocks() == before);
}

static void test_permissions(void)
{
	struct stat st;
	pid_t pid;
	int status;

	CHECK(mkdir(path("priv"), 0755) == 0);
	write_file(path("priv/secret"), "s", 1, 0600);
	write_file(path("priv/public"), "p", 1, 0644);
	CHECK(chown(path("priv/public"), 1234, 5678) == 0);
	CHECK(chmod(path("priv/public"), 0640) == 0);
	CHECK(stat(path("priv/public"), &st) == 0);
	CHECK(st.st_uid == 1234 && st.st_gid == 5678 && (st.st_mode & 07777) == 0640);
	CHECK(chmod(path("priv/public"), 04755) == 0);
	CHECK(stat(path("priv/public"), &st) == 0 && (st.st_mode & 07777) == 04755);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		/*
		 * As nobody, each refusal for its own reason.  First what
		 * rules out the path walk as the cause: nobody reaches priv/
		 * and reads a file others may read.  Then no file in root's
		 * directory (EACCES: the directory's mode), no read of a 0600
		 * file (EACCES: the file's mode), no unlink in root's
		 * directory (EACCES), no chmod of another's file (EPERM: not
		 * the owner).
		 */
		int bad = 0, fd;

		if (unpriv_become()) {
			fprintf(stderr, "FAIL: cannot become nobody: %s\n", strerror(errno));
			_exit(1);
		}
		if (!unpriv_reach(path("priv")))
			_exit(1);
		fd = open(path("priv/public"), O_RDONLY);
		CHILD_CHECK(bad, fd >= 0);
		close(fd);
		CHILD_CHECK_ERR(bad, open(path("priv/new"), O_CREAT | O_WRONLY, 0644), EACCES);
		CHILD_CHECK_ERR(bad, open(path("priv/secret"), O_RDONLY), EACCES);
		CHILD_CHECK_ERR(bad, unlink(path("priv/public")), EACCES);
		CHILD_CHECK_ERR(bad, chmod(path("priv/public"), 0777), EPERM);
		_exit(bad ? 1 : 0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail("unprivileged checks failed (above): status %d", status);
	CHECK(unlink(path("priv/secret")) == 0 && unlink(path("priv/public")) == 0);
	CHECK(rmdir(path("priv")) == 0);
}

static void test_timestamps(void)
{
	struct timespec ts[2] = {
		{ .tv_sec = -86400 * 365L, .tv_nsec = 123456789 },	/* 1969 */
		{ .tv_sec = 4102444800L, .tv_nsec = 999999999 },	/* 2100 */
	};
	struct stat st, st2;
	int fd;

	write_file(path("ts"), "t", 1, 0644);
	CHECK(utimensat(AT_FDCWD, path("ts"), ts, 0) == 0);
	CHECK(stat(path("ts"), &st) == 0);
	CHECK(st.st_atim.tv_sec == ts[0].tv_sec && st.st_atim.tv_nsec == ts[0].tv_nsec);
	CHECK(st.st_mtim.tv_sec == ts[1].tv_sec && st.st_mtim.tv_nsec == ts[1].tv_nsec);
	/* chmod changes ctime, not mtime */
	sleep(1);
	CHECK(chmod(path("ts"), 0600) == 0);
	CHECK(stat(path("ts"), &st2) == 0);
	CHECK(st2.st_mtim.tv_sec == ts[1].tv_sec);
	CHECK(st2.st_ctim.tv_sec > st.st_ctim.tv_sec ||
	      (st2.st_ctim.tv_sec == st.st_ctim.tv_sec && st2.st_ctim.tv_nsec > st.st_ctim.tv_nsec));
	/* a write changes mtime */
	fd = open(path("ts"), O_WRONLY);
	CHECK(fd >= 0 && write(fd, "u", 1) == 1 && close(fd) == 0);
	CHECK(stat(path("ts"), &st) == 0 && st.st_mtim.tv_sec < ts[1].tv_sec);
	/* all of it survives a remount */
	CHECK(utimensat(AT_FDCWD, path("ts"), ts, 0) == 0);
	vx_remount();
	CHECK(stat(path("ts"), &st) == 0);
	CHECK(st.st_atim.tv_sec == ts[0].tv_sec && st.st_atim.tv_nsec == ts[0].tv_nsec);
	CHECK(st.st_mtim.tv_sec == ts[1].tv_sec && st.st_mtim.tv_nsec == ts[1].tv_nsec);
	CHECK((st.st_mode & 07777) == 0600);
	CHECK(unlink(path("ts")) == 0);
}

static void test_special_files(void)
{
	struct stat st;

	CHECK(mknod(path("chr"), S_IFCHR | 0600, makedev(4095, 1048575)) == 0);
	CHECK(mknod(path("blk"), S_IFBLK | 0600, makedev(7, 0)) == 0);
	CHECK(mkfifo(path("fifo"), 0644) == 0);
	CHECK(mknod(path("sock"), S_IFSOCK | 0644, 0) == 0);
	vx_remount();
	CHECK(lstat(path("chr"), &st) == 0 && S_ISCHR(st.st_mode));
	CHECK(major(st.st_rdev) == 4095 && minor(st.st_rdev) == 1048575);
	CHECK(lstat(path("blk"), &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == makedev(7, 0));
	CHECK(lstat(path("fifo"), &st) == 0 && S_ISFIFO(st.st_mode) && st.st_size == 0);
	CHECK(lstat(path("sock"), &st) == 0 && S_ISSOCK(st.st_mode));
	CHECK(unlink(path("chr")) == 0 && unlink(path("blk")) == 0 &&
	      unlink(path("fifo")) == 0 && unlink(path("sock")) == 0);
}

static int count_entries(const char *dir, char *seen, int n)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int count = 0;

	CHECK(d != NULL);
	while ((de = readdir(d))) {
		int i;

		count++;
		if (sscanf(de->d_name, "entry-%d", &i) == 1) {
			if (i < 0 || i >= n || seen[i])
				fail("readdir: unexpected or repeated %s", de->d_name);
			seen[i] = 1;
			if (de->d_type != DT_REG)
				fail("readdir: %s has d_type %d", de->d_name, de->d_type);
		}
	}
	CHECK(closedir(d) == 0);
	return count;
}

static void test_big_directory(void)
{
	enum { N = 2000 };
	static char seen[N];
	struct stat st;

	CHECK(mkdir(path("many"), 0755) == 0);
	for (int i = 0; i < N; i++) {
		int fd = open(path("many/entry-%d", i), O_CREAT | O_WRONLY, 0644);

		CHECK(fd >= 0 && close(fd) == 0);
	}
	CHECK(stat(path("many"), &st) == 0);
	/* 16 entries of 256 bytes a block, "." and ".." included */
	CHECK(st.st_size == (N + 2 + 15) / 16 * 4096);
	memset(seen, 0, sizeof(seen));
	CHECK(count_entries(path("many"), seen, N) == N + 2);
	for (int i = 0; i < N; i++)
		CHECK(seen[i]);
	for (int i = 0; i < N; i += 2)
		CHECK(unlink(path("many/entry-%d", i)) == 0);
	vx_remount();
	memset(seen, 0, sizeof(seen));
	CHECK(count_entries(path("many"), seen, N) == N / 2 + 2);
	for (int i = 0; i < N; i++)
		CHECK(seen[i] == (i & 1));
	/* freed slots are reused: the directory does not grow */
	for (int i = 0; i < N; i += 2) {
		int fd = open(path("many/entry-%d", i), O_CREAT | O_WRONLY, 0644);

		CHECK(fd >= 0 && close(fd) == 0);
	}
	CHECK(stat(path("many"), &st) == 0 && st.st_size == (N + 2 + 15) / 16 * 4096);
	for (int i = 0; i < N; i++)
		CHECK(unlink(path("many/entry-%d", i)) == 0);
	CHECK(rmdir(path("many")) == 0);
}

static void test_mmap_and_accounting(void)
{
	unsigned long before = free_blocks();
	const size_t len = 256 << 10;
	struct stat st;
	char *m, *buf;
	int fd;

	fd = open(path("mm"), O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK(ftruncate(fd, len) == 0);
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	for (size_t i = 0; i < len; i++)
		m[i] = (char)(i * 7);
	CHECK(msync(m, len, MS_SYNC) == 0);
	CHECK(munmap(m, len) == 0);
	CHECK(fsync(fd) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_blocks == (blkcnt_t)(len / 512 + 8));
	CHECK(close(fd) == 0);
	/* 64 data blocks and one indirect block */
	CHECK(free_blocks() == before - 65);
	vx_remount();
	buf = malloc(len);
	CHECK(buf != NULL);
	CHECK(read_file(path("mm"), buf, len) == len);
	for (size_t i = 0; i < len; i++)
		if (buf[i] != (char)(i * 7))
			fail("mmap data lost at %zu", i);
	free(buf);
	CHECK(unlink(path("mm")) == 0);
	CHECK(free_blocks() == before);
}

int main(void)
{
	vx_case_init();
	vx_mkfs("256M", " ");
	vx_mount(NULL);

	test_files_and_names();
	test_directories();
	test_rename();
	test_links();
	test_truncate_and_sparse();
	test_large_files();
	test_permissions();
	test_timestamps();
	test_special_files();
	test_big_directory();
	test_mmap_and_accounting();

	vx_umount();
	vx_fsck_clean();
	vx_case_done();
	printf("all POSIX checks passed\n");
	return 0;
}
