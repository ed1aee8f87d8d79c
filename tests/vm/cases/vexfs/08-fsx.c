// SPDX-License-Identifier: GPL-2.0
/*
 * fsx-style random checker: 100,000 random operations (37% write, 37%
 * read, 10% truncate up and down, 8% mmap write or read, 1% fsync, 6%
 * reopen, 0.1% whole-file compare, and a remount every 10,000; it prints
 * the time each kind took) on three files, each compared with an in-memory model, on
 * 1 KiB blocks (so files cross the single and double indirect blocks) and
 * then 4 KiB blocks.  Every read must return exactly the model's bytes;
 * after each remount the whole files are compared; fsck is clean after
 * each unmount.  A fixed seed; the kernel command line may set another
 * (vexfs_fsx_seed=N) and the count (vexfs_fsx_ops=N).
 */
#include "vx-case.h"

#include <sys/mman.h>
#include <time.h>

enum { NFILES = 3, MAXLEN = 2 << 20, MAXOP = 16 << 10 };

static unsigned char *model[NFILES];
static size_t length[NFILES];
static int fds[NFILES];
static unsigned char *buf;
static long op_no;

static void open_all(void)
{
	for (int f = 0; f < NFILES; f++) {
		fds[f] = open(path("fsx%d", f), O_RDWR | O_CREAT, 0644);
		CHECK(fds[f] >= 0);
	}
}

static void close_all(void)
{
	for (int f = 0; f < NFILES; f++)
		CHECK(close(fds[f]) == 0);
}

/*
 * Data comes from a random pattern at an offset that depends on the
 * operation and the position, copied with memcpy: under TCG a byte loop
 * over every byte written and read would cost more than the filesystem.
 */
enum { PATLEN = 65521 };	/* a prime: shifted copies do not repeat soon */
static unsigned char pattern[PATLEN + MAXOP];

static const unsigned char *data_for(size_t off)
{
	return pattern + (size_t)(((unsigned long)op_no * 7919 + off) % PATLEN);
}

static void compare(int f, size_t off, size_t len, const unsigned char *got, const char *how)
{
	if (!memcmp(got, model[f] + off, len))
		return;
	for (size_t i = 0; i < len; i++) {
		if (got[i] != model[f][off + i])
			fail("op %ld (%s): file %d byte %zu is 0x%02x, expected 0x%02x (size %zu)",
			     op_no, how, f, off + i, got[i], model[f][off + i], length[f]);
	}
}

static void check_whole(int f)
{
	struct stat st;
	ssize_t n;

	CHECK(fstat(fds[f], &st) == 0);
	if ((size_t)st.st_size != length[f])
		fail("op %ld: file %d size %lld, expected %zu", op_no, f,
		     (long long)st.st_size, length[f]);
	for (size_t off = 0; off < length[f]; off += MAXOP) {
		size_t len = length[f] - off < MAXOP ? length[f] - off : MAXOP;

		n = pread(fds[f], buf, len, off);
		CHECK(n == (ssize_t)len);
		compare(f, off, len, buf, "whole-file read");
	}
}

static void op_write(int f)
{
	size_t off = vx_rnd() % (MAXLEN - 1), len = 1 + vx_rnd() % MAXOP;

	if (off + len > MAXLEN)
		len = MAXLEN - off;
	memcpy(buf, data_for(off), len);
	CHECK(pwrite(fds[f], buf, len, off) == (ssize_t)len);
	if (off > length[f])
		memset(model[f] + length[f], 0, off - length[f]);
	memcpy(model[f] + off, buf, len);
	if (off + len > length[f])
		length[f] = off + len;
}

static void op_read(int f)
{
	size_t off = length[f] ? vx_rnd() % (length[f] + 4096) : vx_rnd() % 4096;
	size_t len = 1 + vx_rnd() % MAXOP, want;
	ssize_t n;

	n = pread(fds[f], buf, len, off);
	CHECK(n >= 0);
	want = off >= length[f] ? 0 : (length[f] - off < len ? length[f] - off : len);
	if ((size_t)n != want)
		fail("op %ld: read of %zu at %zu returned %zd, expected %zu", op_no, len, off, n, want);
	compare(f, off, want, buf, "read");
}

static void op_truncate(int f)
{
	size_t len = vx_rnd() % 4 ? vx_rnd() % MAXLEN : vx_rnd() % 8192;

	CHECK(ftruncate(fds[f], len) == 0);
	if (len > length[f])
		memset(model[f] + length[f], 0, len - length[f]);
	length[f] = len;
}

static void op_mmap(int f)
{
	size_t off, len, pg = 4096, moff;
	unsigned char *m;
	int writing = vx_rnd() % 2;

	if (length[f] < 2)
		return;
	off = vx_rnd() % length[f];
	len = 1 + vx_rnd() % (length[f] - off < MAXOP ? length[f] - off : MAXOP);
	moff = off & ~(pg - 1);
	m = mmap(NULL, len + (off - moff), PROT_READ | (writing ? PROT_WRITE : 0), MAP_SHARED,
		 fds[f], moff);
	CHECK(m != MAP_FAILED);
	if (writing) {
		memcpy(m + (off - moff), data_for(off + 1), len);
		memcpy(model[f] + off, data_for(off + 1), len);
		if (vx_rnd() % 4 == 0)
			CHECK(msync(m, len + (off - moff), MS_SYNC) == 0);
	} else {
		compare(f, off, len, m + (off - moff), "mmap read");
	}
	CHECK(munmap(m, len + (off - moff)) == 0);
}

/* Where the time goes, by kind of operation (printed at the end). */
enum { T_WRITE, T_READ, T_TRUNC, T_MMAP, T_FSYNC, T_REOPEN, T_WHOLE, T_REMOUNT, T_N };
static const char *const t_name[T_N] = {
	"write", "read", "truncate", "mmap", "fsync", "reopen", "whole-file", "remount"
};
static double t_spent[T_N];
static long t_count[T_N];

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void run_ops(long n)
{
	double start = now();

	for (op_no = 1; op_no <= n; op_no++) {
		int f = vx_rnd() % NFILES;
		uint32_t c = vx_rnd() % 100;
		double t0 = now();
		int kind;

		/* progress: where a run the harness's timeout stops got to */
		if (op_no % 2500 == 0)
			printf("%ld of %ld operations, %.0f s\n", op_no, n, t0 - start);

		if (c < 37) {
			kind = T_WRITE;
			op_write(f);
		} else if (c < 74) {
			kind = T_READ;
			op_read(f);
		} else if (c < 84) {
			kind = T_TRUNC;
			op_truncate(f);
		} else if (c < 92) {
			kind = T_MMAP;
			op_mmap(f);
		} else if (c < 93) {
			kind = T_FSYNC;
			CHECK(fsync(fds[f]) == 0);
		} else if (c < 99 || vx_rnd() % 10) {
			/* reopen 5.9%, compare a whole file 0.1% */
			kind = T_REOPEN;
			CHECK(close(fds[f]) == 0);
			fds[f] = open(path("fsx%d", f), O_RDWR);
			CHECK(fds[f] >= 0);
		} else {
			kind = T_WHOLE;
			check_whole(f);
		}
		t_spent[kind] += now() - t0;
		t_count[kind]++;
		if (op_no % 10000 == 0) {
			t0 = now();
			close_all();
			vx_remount();
			open_all();
			for (int i = 0; i < NFILES; i++)
				check_whole(i);
			t_spent[T_REMOUNT] += now() - t0;
			t_count[T_REMOUNT]++;
		}
	}
}

int main(void)
{
	long ops = (long)vx_cmdline("vexfs_fsx_ops", 100000);
	unsigned long long seed = vx_cmdline("vexfs_fsx_seed", 99);

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%ld operations, seed %llu\n", ops, seed);
	buf = malloc(MAXOP + 4096);
	CHECK(buf != NULL);
	vx_rng = seed ? seed : 1;
	for (size_t i = 0; i < sizeof(pattern); i++)
		pattern[i] = (unsigned char)vx_rnd();
	for (int f = 0; f < NFILES; f++) {
		model[f] = calloc(1, MAXLEN);
		CHECK(model[f] != NULL);
	}
	vx_case_init();
	for (unsigned int bs = 1024; bs <= 4096; bs *= 4) {
		vx_rng = seed ? seed + bs : bs;
		memset(length, 0, sizeof(length));
		vx_mkfs("64M", "-b %u", bs);
		vx_mount(NULL);
		open_all();
		run_ops(bs == 1024 ? ops / 2 : ops - ops / 2);
		for (int f = 0; f < NFILES; f++)
			check_whole(f);
		close_all();
		vx_umount();
		vx_fsck_clean();
		printf("block size %u: done\n", bs);
	}
	for (int k = 0; k < T_N; k++)
		printf("%s: %ld in %.1f s\n", t_name[k], t_count[k], t_spent[k]);
	vx_case_done();
	return 0;
}
