// SPDX-License-Identifier: GPL-2.0
/*
 * VexFS vectors: VEXFS_IOC_VEC_SET/GET/REMOVE with their errors, block
 * accounting and persistence, then VEXFS_IOC_SEARCH over a tree of files
 * against a brute-force reference computed here: exact for int8 (L2, dot,
 * cosine), and for float32 on the documented 16.16 fixed point (plus a
 * double-precision check on well-separated data).  Permissions, subtrees
 * and hard links are honoured; fsck.vexfs is clean afterwards.
 * dsmil-matrix: compat: iop_mnt_idmap, iop_user_ns
 */
#include "vx-case.h"
#include "../../../../modules/include/uapi/linux/vexfs.h"

#define mnt vx_mnt


static unsigned long free_blocks(void)
{
	struct statfs sf;

	CHECK(statfs(mnt, &sf) == 0);
	return sf.f_bfree;
}

static int vec_set(int fd, uint32_t type, uint32_t dim, const void *data)
{
	struct vexfs_vec_arg a = { .size = sizeof(a), .dim = dim, .elem_type = type,
				   .data = (uintptr_t)data };

	return ioctl(fd, VEXFS_IOC_VEC_SET, &a);
}

static int vec_get(int fd, uint32_t *type, uint32_t *dim, void *data)
{
	struct vexfs_vec_arg a = { .size = sizeof(a), .dim = *dim, .data = (uintptr_t)data };
	int rc = ioctl(fd, VEXFS_IOC_VEC_GET, &a);

	*type = a.elem_type;
	*dim = a.dim;
	return rc;
}

static int open_file(const char *p, int flags)
{
	int fd = open(p, flags | O_CREAT, 0644);

	CHECK(fd >= 0);
	return fd;
}

/* ---- set / get / remove ------------------------------------------------- */

static void test_set_get_remove(void)
{
	float f[4096], g[4096];
	int8_t b[8] = { 1, -2, 3, -128, 127, 0, 5, 6 }, c[8];
	unsigned long before = free_blocks();
	struct vexfs_vec_arg a;
	uint32_t type, dim;
	int fd, ro;

	for (int i = 0; i < 4096; i++)
		f[i] = (float)i / 7.0f - 100.0f;
	fd = open_file(path("v"), O_RDWR);
	dim = 4096;
	CHECK_ERR(vec_get(fd, &type, &dim, g), ENODATA);
	CHECK_ERR(ioctl(fd, VEXFS_IOC_VEC_REMOVE), ENODATA);

	/* the largest vector: 32 + 16384 bytes, 5 blocks */
	CHECK(vec_set(fd, VEXFS_VEC_FLOAT32, 4096, f) == 0);
	CHECK(free_blocks() == before - 5);
	dim = 4096;
	memset(g, 0, sizeof(g));
	CHECK(vec_get(fd, &type, &dim, g) == 0);
	CHECK(type == VEXFS_VEC_FLOAT32 && dim == 4096 && !memcmp(f, g, sizeof(f)));
	/* too small a buffer: ENOSPC with the dimension */
	dim = 10;
	CHECK_ERR(vec_get(fd, &type, &dim, g), ENOSPC);
	CHECK(dim == 4096 && type == VEXFS_VEC_FLOAT32);

	/* replacing frees the old record */
	CHECK(vec_set(fd, VEXFS_VEC_INT8, 8, b) == 0);
	CHECK(free_blocks() == before - 1);
	dim = 8;
	CHECK(vec_get(fd, &type, &dim, c) == 0);
	CHECK(type == VEXFS_VEC_INT8 && dim == 8 && !memcmp(b, c, 8));

	/* bad arguments change nothing */
	CHECK_ERR(vec_set(fd, VEXFS_VEC_INT8, 0, b), EINVAL);
	CHECK_ERR(vec_set(fd, VEXFS_VEC_INT8, 4097, f), EINVAL);
	CHECK_ERR(vec_set(fd, 3, 8, b), EINVAL);
	CHECK_ERR(vec_set(fd, VEXFS_VEC_INT8, 8, (void *)8), EFAULT);
	g[2] = __builtin_nanf("");
	CHECK_ERR(vec_set(fd, VEXFS_VEC_FLOAT32, 4, g), EINVAL);
	g[2] = __builtin_inff();
	CHECK_ERR(vec_set(fd, VEXFS_VEC_FLOAT32, 4, g), EINVAL);
	a = (struct vexfs_vec_arg){ .size = 16, .dim = 8, .elem_type = VEXFS_VEC_INT8 };
	CHECK_ERR(ioctl(fd, VEXFS_IOC_VEC_SET, &a), EINVAL);		/* size too small */
	a = (struct vexfs_vec_arg){ .size = sizeof(a), .flags = 1, .dim = 8,
				    .elem_type = VEXFS_VEC_INT8, .data = (uintptr_t)b };
	CHECK_ERR(ioctl(fd, VEXFS_IOC_VEC_SET, &a), EINVAL);		/* flags */
	{
		struct { struct vexfs_vec_arg a; uint64_t extra; } big = {
			{ .size = sizeof(big), .dim = 8, .elem_type = VEXFS_VEC_INT8,
			  .data = (uintptr_t)b }, 1 };

		CHECK_ERR(ioctl(fd, VEXFS_IOC_VEC_SET, &big), E2BIG);
		big.extra = 0;	/* a newer caller's struct with zero extras is fine */
		CHECK(ioctl(fd, VEXFS_IOC_VEC_SET, &big) == 0);
	}
	CHECK_ERR(ioctl(fd, _IO(VEXFS_IOCTL_MAGIC, 0x4f), &a), ENOTTY);
	CHECK(free_blocks() == before - 1);

	/* read-only descriptor: no changes; directories have no vector */
	ro = open(path("v"), O_RDONLY);
	CHECK(ro >= 0);
	CHECK_ERR(vec_set(ro, VEXFS_VEC_INT8, 8, b), EBADF);
	CHECK_ERR(ioctl(ro, VEXFS_IOC_VEC_REMOVE), EBADF);
	dim = 8;
	CHECK(vec_get(ro, &type, &dim, c) == 0);
	CHECK(close(ro) == 0);
	/* write-only descriptor: the vector is the file's data, not readable */
	ro = open(path("v"), O_WRONLY);
	CHECK(ro >= 0);
	dim = 8;
	CHECK_ERR(vec_get(ro, &type, &dim, c), EBADF);
	CHECK(close(ro) == 0);
	ro = open(mnt, O_RDONLY | O_DIRECTORY);
	CHECK(ro >= 0);
	CHECK_ERR(vec_set(ro, VEXFS_VEC_INT8, 8, b), EINVAL);
	CHECK(close(ro) == 0);

	/* persistence, then remove, then unlink frees a record */
	CHECK(close(fd) == 0);
	vx_umount();
	vx_fsck_clean();
	vx_mount(NULL);
	fd = open_file(path("v"), O_RDWR);
	dim = 8;
	CHECK(vec_get(fd, &type, &dim, c) == 0 && !memcmp(b, c, 8));
	CHECK(ioctl(fd, VEXFS_IOC_VEC_REMOVE) == 0);
	CHECK(free_blocks() == before);
	CHECK_ERR(vec_get(fd, &type, &dim, c), ENODATA);
	CHECK(vec_set(fd, VEXFS_VEC_FLOAT32, 1000, f) == 0);
	CHECK(free_blocks() == before - 1);
	CHECK(close(fd) == 0);
	CHECK(unlink(path("v")) == 0);
	CHECK(free_blocks() == before);
}

/* ---- search ------------------------------------------------------------ */

enum { NFILES = 240, DIM = 24, K = 10 };

struct ref {
	uint64_t ino;
	int64_t score;		/* the kernel's integer score, recomputed */
	int64_t dot;
	uint64_t nv;
	double exact;		/* double precision, float data */
};

static int8_t ivec[NFILES][DIM];
static float fvec[NFILES][DIM];
static uint64_t inos[NFILES];
static int metric_g, type_g;

/* The documented 16.16 conversion, written independently of the module:
 * x * 2^16 is exact in a double, +0.5 and truncation round halves up. */
static int64_t q16(float x)
{
	double ax = x < 0 ? -(double)x : (double)x;
	int64_t v = (int64_t)(ax * 65536.0 + 0.5);

	if (v > (1 << 23))
		v = 1 << 23;
	return x < 0 ? -v : v;
}

static double dabs(double x)
{
	return x < 0 ? -x : x;
}

static double dsqrt(double x)
{
	double r = x > 1 ? x : 1;

	for (int i = 0; i < 200; i++)
		r = (r + x / r) / 2;
	return r;
}

static int64_t elem(int type, int f, int i)
{
	return type == VEXFS_VEC_INT8 ? ivec[f][i] : q16(fvec[f][i]);
}

/* floor(sqrt(x)) by bisection */
static uint64_t isqrt128(unsigned __int128 x)
{
	uint64_t lo = 0, hi = UINT64_MAX >> 1;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if ((unsigned __int128)mid * mid <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static void ref_score(int metric, int type, const int64_t *q, int f, struct ref *r)
{
	int64_t dot = 0, nq = 0;
	uint64_t l2 = 0, nv = 0;
	double ed = 0, eq = 0, ev = 0, el = 0;

	for (int i = 0; i < DIM; i++) {
		int64_t b = elem(type, f, i);

		dot += q[i] * b;
		l2 += (uint64_t)((q[i] - b) * (q[i] - b));
		nv += (uint64_t)(b * b);
		nq += q[i] * q[i];
		if (type == VEXFS_VEC_FLOAT32) {
			double y = fvec[f][i];

			ed += (double)q[i] / 65536 * y;
			eq += (double)q[i] / 65536 * q[i] / 65536;
			ev += (double)y * y;
			el += ((double)q[i] / 65536 - y) * ((double)q[i] / 65536 - y);
		}
	}
	r->ino = inos[f];
	r->dot = dot;
	r->nv = nv;
	switch (metric) {
	case VEXFS_METRIC_L2:
		r->score = (int64_t)l2;
		r->exact = el;
		break;
	case VEXFS_METRIC_DOT:
		r->score = dot;
		r->exact = ed;
		break;
	default: {
		uint64_t s = isqrt128((unsigned __int128)nq * nv);
		unsigned __int128 c;

		if (!s) {	/* a zero vector: no cosine, not compared */
			r->score = 0;
			break;
		}
		c = ((unsigned __int128)(dot < 0 ? -dot : dot) << 30) / s;
		r->score = dot < 0 ? -(int64_t)c : (int64_t)c;
		r->exact = type == VEXFS_VEC_FLOAT32 ? ed / dsqrt(eq * ev) : 0;
	}
	}
}

static int ref_cmp(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;

	if (metric_g == VEXFS_METRIC_COSINE && type_g == VEXFS_VEC_INT8) {
		/* exact ratio dot |dot| / nv */
		__int128 l = (__int128)a->dot * (a->dot < 0 ? -a->dot : a->dot) * b->nv;
		__int128 r = (__int128)b->dot * (b->dot < 0 ? -b->dot : b->dot) * a->nv;

		if (l != r)
			return l > r ? -1 : 1;
	} else if (a->score != b->score) {
		if (metric_g == VEXFS_METRIC_L2)
			return a->score < b->score ? -1 : 1;
		return a->score > b->score ? -1 : 1;
	}
	return a->ino < b->ino ? -1 : a->ino > b->ino;
}

static int search(const char *dir, int metric, int type, const void *query, uint32_t k,
		  struct vexfs_search_result *res, struct vexfs_search_arg *out)
{
	struct vexfs_search_arg a = { .size = sizeof(a), .metric = metric, .elem_type = type,
				      .dim = DIM, .k = k, .query = (uintptr_t)query,
				      .results = (uintptr_t)res };
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int rc;

	CHECK(fd >= 0);
	rc = ioctl(fd, VEXFS_IOC_SEARCH, &a);
	close(fd);
	if (out)
		*out = a;
	return rc;
}

static void build_tree(void)
{
	unsigned int seed = 12345;

	CHECK(mkdir(path("tree"), 0755) == 0);
	for (int d = 0; d < 6; d++) {
		CHECK(mkdir(path("tree/d%d", d), 0755) == 0);
		CHECK(mkdir(path("tree/d%d/sub", d), 0755) == 0);
	}
	for (int f = 0; f < NFILES; f++) {
		const char *p = f % 3 ? path("tree/d%d/f%d", f % 6, f) :
				       path("tree/d%d/sub/f%d", f % 6, f);
		int fd = open_file(p, O_RDWR);
		struct stat st;

		for (int i = 0; i < DIM; i++) {
			ivec[f][i] = (int8_t)(rand_r(&seed) % 256 - 128);
			fvec[f][i] = (float)((rand_r(&seed) % 2000001) - 1000000) / 250000.0f;
		}
		/* even files int8, odd files float32, every 10th both kinds */
		if (f % 2 == 0)
			CHECK(vec_set(fd, VEXFS_VEC_INT8, DIM, ivec[f]) == 0);
		else
			CHECK(vec_set(fd, VEXFS_VEC_FLOAT32, DIM, fvec[f]) == 0);
		CHECK(fstat(fd, &st) == 0);
		inos[f] = st.st_ino;
		CHECK(close(fd) == 0);
	}
	/* files without a vector, or with another dimension, are not compared */
	{
		int fd = open_file(path("tree/novec"), O_RDWR);
		int8_t other[DIM + 1] = { 0 };

		CHECK(close(fd) == 0);
		fd = open_file(path("tree/otherdim"), O_RDWR);
		CHECK(vec_set(fd, VEXFS_VEC_INT8, DIM + 1, other) == 0);
		CHECK(close(fd) == 0);
	}
}

static void check_search(const char *dir, int metric, int type, const int64_t *q,
			 const void *query, int (*in_scope)(int))
{
	struct vexfs_search_result res[K + 1];
	struct ref refs[NFILES];
	struct vexfs_search_arg out;
	int n = 0;

	for (int f = 0; f < NFILES; f++) {
		if ((type == VEXFS_VEC_INT8) != (f % 2 == 0) || !in_scope(f))
			continue;
		ref_score(metric, type, q, f, &refs[n]);
		if (metric == VEXFS_METRIC_COSINE && refs[n].nv == 0)
			continue;
		n++;
	}
	metric_g = metric;
	type_g = type;
	qsort(refs, n, sizeof(refs[0]), ref_cmp);
	memset(res, 0xff, sizeof(res));
	CHECK(search(dir, metric, type, query, K, res, &out) == 0);
	if (out.compared != (uint64_t)n)
		fail("metric %d type %d: compared %llu, expected %d", metric, type,
		     (unsigned long long)out.compared, n);
	CHECK(out.k == (uint32_t)(n < K ? n : K));
	CHECK(out.score_shift == (metric == VEXFS_METRIC_COSINE ? 30u :
				  type == VEXFS_VEC_FLOAT32 ? 32u : 0u));
	for (uint32_t i = 0; i < out.k; i++) {
		if (res[i].ino != refs[i].ino || res[i].score != refs[i].score)
			fail("metric %d type %d rank %u: kernel ino %llu score %lld, reference ino %llu score %lld",
			     metric, type, i, (unsigned long long)res[i].ino, (long long)res[i].score,
			     (unsigned long long)refs[i].ino, (long long)refs[i].score);
		if (type == VEXFS_VEC_FLOAT32) {
			/* the fixed point agrees with double precision */
			double v = (double)res[i].score / (double)(1ULL << out.score_shift);

			if (dabs(v - refs[i].exact) > 1e-3 * (1 + dabs(refs[i].exact)))
				fail("metric %d rank %u: score %g, double precision %g", metric, i,
				     v, refs[i].exact);
		}
	}
	CHECK(res[out.k].ino == UINT64_MAX);	/* nothing written past k */
}

static int all(int f) { (void)f; return 1; }
static int in_d2(int f) { return f % 6 == 2; }
static int in_d2_sub(int f) { return f % 6 == 2 && f % 3 == 0; }

static void test_search(void)
{
	struct vexfs_search_result res[VEXFS_SEARCH_MAX_K + 1];
	struct vexfs_search_arg out;
	int8_t iq[DIM];
	float fq[DIM];
	int64_t q[DIM];

	build_tree();
	for (int i = 0; i < DIM; i++) {
		iq[i] = (int8_t)(i * 11 % 256 - 128);
		fq[i] = (float)(i % 7) / 3.0f - 1.0f;
	}
	for (int metric = VEXFS_METRIC_L2; metric <= VEXFS_METRIC_COSINE; metric++) {
		for (int i = 0; i < DIM; i++)
			q[i] = iq[i];
		check_search(path("tree"), metric, VEXFS_VEC_INT8, q, iq, all);
		check_search(path("tree/d2"), metric, VEXFS_VEC_INT8, q, iq, in_d2);
		check_search(path("tree/d2/sub"), metric, VEXFS_VEC_INT8, q, iq, in_d2_sub);
		for (int i = 0; i < DIM; i++)
			q[i] = q16(fq[i]);
		check_search(path("tree"), metric, VEXFS_VEC_FLOAT32, q, fq, all);
		check_search(mnt, metric, VEXFS_VEC_FLOAT32, q, fq, all);
	}

	/* a hard link elsewhere: still one result for the file */
	CHECK(link(path("tree/d0/sub/f0"), path("tree/d1/link-to-f0")) == 0);
	{
		struct vexfs_search_result r[NFILES];

		CHECK(search(path("tree"), VEXFS_METRIC_L2, VEXFS_VEC_INT8, ivec[0], NFILES, r,
			     &out) == 0);
		CHECK(out.k == NFILES / 2);
		CHECK(r[0].ino == inos[0] && r[0].score == 0);
		for (uint32_t i = 1; i < out.k; i++)
			CHECK(r[i].ino != inos[0]);
	}
	CHECK(unlink(path("tree/d1/link-to-f0")) == 0);

	/* bad arguments */
	CHECK_ERR(search(path("tree"), 0, VEXFS_VEC_INT8, iq, K, res, NULL), EINVAL);
	CHECK_ERR(search(path("tree"), 4, VEXFS_VEC_INT8, iq, K, res, NULL), EINVAL);
	CHECK_ERR(search(path("tree"), VEXFS_METRIC_L2, 9, iq, K, res, NULL), EINVAL);
	CHECK_ERR(search(path("tree"), VEXFS_METRIC_L2, VEXFS_VEC_INT8, iq, 0, res, NULL), EINVAL);
	CHECK_ERR(search(path("tree"), VEXFS_METRIC_L2, VEXFS_VEC_INT8, iq,
			 VEXFS_SEARCH_MAX_K + 1, res, NULL), EINVAL);
	CHECK_ERR(search(path("tree"), VEXFS_METRIC_L2, VEXFS_VEC_INT8, (void *)8, K, res, NULL),
		  EFAULT);
	CHECK_ERR(search(path("tree"), VEXFS_METRIC_L2, VEXFS_VEC_INT8, iq, K, (void *)8, NULL),
		  EFAULT);
	{
		/* flags and reserved must be 0 */
		struct vexfs_search_arg a = { .size = sizeof(a), .metric = VEXFS_METRIC_L2,
					      .elem_type = VEXFS_VEC_INT8, .dim = DIM, .k = K,
					      .query = (uintptr_t)iq, .results = (uintptr_t)res };
		int fd = open(path("tree"), O_RDONLY | O_DIRECTORY);

		CHECK(fd >= 0);
		a.flags = 1;
		CHECK_ERR(ioctl(fd, VEXFS_IOC_SEARCH, &a), EINVAL);
		a.flags = 0;
		a.reserved = 1;
		CHECK_ERR(ioctl(fd, VEXFS_IOC_SEARCH, &a), EINVAL);
		a.reserved = 0;
		CHECK(ioctl(fd, VEXFS_IOC_SEARCH, &a) == 0);
		CHECK(close(fd) == 0);
	}
	{
		int8_t zero[DIM] = { 0 };

		CHECK_ERR(search(path("tree"), VEXFS_METRIC_COSINE, VEXFS_VEC_INT8, zero, K, res,
				 NULL), EINVAL);
	}
	{
		int fd = open(path("tree/novec"), O_RDONLY);
		struct vexfs_search_arg a = { .size = sizeof(a), .metric = 1, .elem_type = 2,
					      .dim = DIM, .k = 1, .query = (uintptr_t)iq,
					      .results = (uintptr_t)res };

		CHECK(fd >= 0);
		CHECK_ERR(ioctl(fd, VEXFS_IOC_SEARCH, &a), ENOTDIR);
		CHECK(close(fd) == 0);
	}

	/* nobody sees only what it may read: not d2 (0700), not d4's files (0600) */
	CHECK(chmod(path("tree/d2"), 0700) == 0);
	for (int f = 0; f < NFILES; f++)
		if (f % 6 == 4)
			CHECK(chmod(f % 3 ? path("tree/d4/f%d", f) : path("tree/d4/sub/f%d", f),
				    0600) == 0);
	{
		pid_t pid = fork();
		int status;

		CHECK(pid >= 0);
		if (pid == 0) {
			/*
			 * nobody reaches the tree first (../unpriv.h), so
			 * that a refused search cannot come from the path
			 * walk.
			 */
			struct vexfs_search_result r[NFILES];
			int bad = 0;

			if (unpriv_become()) {
				fprintf(stderr, "FAIL: cannot become nobody: %s\n",
					strerror(errno));
				_exit(1);
			}
			if (!unpriv_reach(path("tree")))
				_exit(1);
			CHILD_CHECK(bad, search(path("tree"), VEXFS_METRIC_L2, VEXFS_VEC_INT8, iq,
						NFILES, r, &out) == 0);
			/* f % 6 == 2 or 4: even, int8 files, a third of them each */
			CHILD_CHECK(bad, out.compared == NFILES / 2 - 2 * (NFILES / 6));
			for (uint32_t i = 0; i < out.k; i++)
				for (int f = 0; f < NFILES; f++)
					CHILD_CHECK(bad, !(r[i].ino == inos[f] &&
							   (f % 6 == 2 || f % 6 == 4)));
			_exit(bad ? 1 : 0);
		}
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			fail("unprivileged search failed (above): status %d", status);
	}

	/* the same results after a remount */
	vx_umount();
	vx_fsck_clean();
	vx_mount(NULL);
	for (int i = 0; i < DIM; i++)
		q[i] = iq[i];
	check_search(path("tree"), VEXFS_METRIC_COSINE, VEXFS_VEC_INT8, q, iq, all);
}

int main(void)
{
	vx_case_init();
	vx_mkfs("32M", " ");
	vx_mount(NULL);

	test_set_get_remove();
	test_search();

	vx_umount();
	vx_fsck_clean();
	vx_case_done();
	printf("vector checks passed\n");
	return 0;
}
