// SPDX-License-Identifier: GPL-2.0
/*
 * vexfs-bench: the C half of tests/bench/vexfs.sh (built in the guest like
 * dmalock-bench).  Prints one line of key=value pairs per command.
 *
 *   vexfs-bench fsmark DIR COUNT [fsync]
 *       create COUNT files in DIR writing 4 KiB each (fsync each with
 *       "fsync"), stat them all, rename each to a new name in DIR, unlink
 *       them all: ops/s of each phase.  On vexfs-fuse also the daemon's
 *       requests per operation of each phase (VEXFS_IOC_FUSE_COUNTS,
 *       outside the timing): req_PHASE=OPCODE:N/OPCODE:N...
 *   vexfs-bench replace DIR COUNT
 *       COUNT files of 4 KiB in DIR (made and synced first, not timed),
 *       then each replaced as editors save: write a temporary file of
 *       4 KiB in DIR, fsync it, close it, rename it over the file.
 *       Replacements per second (and req_replace on vexfs-fuse).
 *   vexfs-bench populate DIR COUNT DIM SEED LIMIT_S
 *       COUNT empty files in DIR/dNNNN/ (1000 a directory: VexFS looks
 *       names up linearly) with a float32 vector of DIM elements each
 *       (VEXFS_IOC_VEC_SET), then syncfs.  Gives up after LIMIT_S seconds
 *       (exit 3, the count done so far printed).
 *   vexfs-bench search DIR COUNT DIM SEED SECONDS
 *       top-10 L2 searches (VEXFS_IOC_SEARCH) on DIR with queries of DIM
 *       elements for SECONDS (at least 2 queries); each must have compared
 *       COUNT vectors.  The first answer's best 10 scores are checked
 *       against the brute-force scan of the same vectors.
 *   vexfs-bench scan COUNT DIM SEED SECONDS
 *       the same queries as a userspace brute-force top-10 scan over the
 *       same vectors held in memory (float32, squared L2).
 *
 * Vector i of a set is a function of (SEED, i): populate, scan and the
 * check in search agree without reading each other's data.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../../modules/include/uapi/linux/vexfs.h"
#include "../../modules/include/uapi/linux/vexfs_fs.h"
#include "../../tools/vexfs/fuse_opnames.h"

#define TOPK 10
#define PER_DIR 1000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *arg)
{
	fprintf(stderr, "vexfs-bench: %s %s: %s\n", what, arg ? arg : "",
		strerror(errno));
	exit(1);
}

static unsigned long num(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s) {
		fprintf(stderr, "vexfs-bench: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

/* splitmix64: element j of vector i of set seed, in [-4, 4) */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void vector(float *v, unsigned int dim, uint64_t seed, uint64_t i)
{
	uint64_t s = mix(seed * 0x100000001b3ULL + i);
	unsigned int j;

	for (j = 0; j < dim; j++) {
		s = mix(s);
		v[j] = (float)((s >> 40) / (double)(1 << 24) * 8.0 - 4.0);
	}
}

/* queries are vectors of another stream of the same seed */
static void query(float *q, unsigned int dim, uint64_t seed, unsigned long n)
{
	vector(q, dim, seed ^ 0x5eed5eed5eedULL, n);
}

static void path_of(char *buf, size_t len, const char *dir, unsigned long i)
{
	snprintf(buf, len, "%s/d%04lu/v%lu", dir, i / PER_DIR, i);
}

/* write LEN bytes of DATA to a new file PATH (O_EXCL), fsync it if asked */
static void write_file(const char *path, const char *data, size_t len,
		       int do_fsync)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);

	if (fd < 0)
		die("create", path);
	if (write(fd, data, len) != (ssize_t)len)
		die("write", path);
	if (do_fsync && fsync(fd))
		die("fsync", path);
	if (close(fd))
		die("close", path);
}

/*
 * The requests vexfs-fuse's daemon answered, read before and after each
 * phase through a descriptor of the phase's directory opened beforehand;
 * on any other filesystem the ioctl fails (ENOTTY) and nothing is printed.
 */
struct reqs {
	int fd;
	struct vexfs_fuse_counts c;
};

static int reqs_snap(int fd, struct vexfs_fuse_counts *c)
{
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	return fd >= 0 && !ioctl(fd, VEXFS_IOC_FUSE_COUNTS, c) ? 0 : -1;
}

static void reqs_start(struct reqs *r, const char *dir)
{
	r->fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (r->fd < 0)
		die("open", dir);
	if (reqs_snap(r->fd, &r->c)) {
		close(r->fd);
		r->fd = -1;
	}
}

/* " req_PHASE=op:n/op:n" per operation since the last call, if counted */
static void reqs_phase(struct reqs *r, const char *phase, unsigned long count,
		       char *out, size_t len)
{
	struct vexfs_fuse_counts c;
	size_t n = strlen(out);
	const char *sep = "=";
	char buf[16];
	unsigned int op;

	if (reqs_snap(r->fd, &c))
		return;
	n += snprintf(out + n, len - n, " req_%s", phase);
	for (op = 0; op < VEXFS_FUSE_OPCODES && n < len; op++) {
		/* less this ioctl's own request */
		uint64_t d = c.requests[op] - r->c.requests[op] -
			     (op == FUSE_IOCTL);

		if (!d)
			continue;
		n += snprintf(out + n, len - n, "%s%s:%.2f", sep,
			      vexfs_fuse_opname(op, buf, sizeof(buf)),
			      (double)d / count);
		sep = "/";
	}
	if (*sep == '=' && n < len)
		snprintf(out + n, len - n, "=none");
	r->c = c;
}

static int cmd_fsmark(const char *dir, unsigned long count, int do_fsync)
{
	char path[4096], to[4096], data[4096];
	char reqs[4096] = "";
	struct stat st;
	unsigned long i;
	double t[4], t0;
	struct reqs r;

	memset(data, 0xa5, sizeof(data));
	reqs_start(&r, dir);
	t0 = now();
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/f%06lu", dir, i);
		write_file(path, data, sizeof(data), do_fsync);
	}
	t[0] = now() - t0;
	reqs_phase(&r, "create", count, reqs, sizeof(reqs));
	t0 = now();
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/f%06lu", dir, i);
		if (stat(path, &st))
			die("stat", path);
		if (st.st_size != (off_t)sizeof(data)) {
			fprintf(stderr, "vexfs-bench: %s: size %lld, wrote %zu\n",
				path, (long long)st.st_size, sizeof(data));
			return 1;
		}
	}
	t[1] = now() - t0;
	reqs_phase(&r, "stat", count, reqs, sizeof(reqs));
	t0 = now();
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/f%06lu", dir, i);
		snprintf(to, sizeof(to), "%s/r%06lu", dir, i);
		if (rename(path, to))
			die("rename", path);
	}
	t[2] = now() - t0;
	reqs_phase(&r, "rename", count, reqs, sizeof(reqs));
	t0 = now();
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/r%06lu", dir, i);
		if (unlink(path))
			die("unlink", path);
	}
	t[3] = now() - t0;
	reqs_phase(&r, "unlink", count, reqs, sizeof(reqs));
	if (r.fd >= 0)
		close(r.fd);
	printf("create=%.1f stat=%.1f rename=%.1f unlink=%.1f%s\n",
	       count / t[0], count / t[1], count / t[2], count / t[3], reqs);
	return 0;
}

static int cmd_replace(const char *dir, unsigned long count)
{
	char path[4096], tmp[4096], data[4096], reqs[1024] = "";
	struct stat st;
	unsigned long i;
	double t0, t1;
	struct reqs r;
	int fd;

	memset(data, 0xa5, sizeof(data));
	for (i = 0; i < count; i++) {
		snprintf(path, sizeof(path), "%s/t%06lu", dir, i);
		write_file(path, data, sizeof(data), 0);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || syncfs(fd))
		die("syncfs", dir);
	close(fd);
	memset(data, 0x5a, sizeof(data));
	reqs_start(&r, dir);
	t0 = now();
	for (i = 0; i < count; i++) {
		snprintf(tmp, sizeof(tmp), "%s/t%06lu.tmp", dir, i);
		snprintf(path, sizeof(path), "%s/t%06lu", dir, i);
		write_file(tmp, data, sizeof(data), 1);
		if (rename(tmp, path))
			die("rename", tmp);
	}
	t1 = now();
	reqs_phase(&r, "replace", count, reqs, sizeof(reqs));
	if (r.fd >= 0)
		close(r.fd);
	/* each name must now be the new file: size and first byte */
	for (i = 0; i < count; i++) {
		char c;

		snprintf(path, sizeof(path), "%s/t%06lu", dir, i);
		fd = open(path, O_RDONLY);
		if (fd < 0 || fstat(fd, &st))
			die("open", path);
		if (read(fd, &c, 1) != 1)
			die("read", path);
		close(fd);
		if (st.st_size != (off_t)sizeof(data) || c != 0x5a) {
			fprintf(stderr, "vexfs-bench: %s: size %lld, first byte 0x%02x after the rename; expected %zu, 0x5a\n",
				path, (long long)st.st_size, (unsigned char)c, sizeof(data));
			return 1;
		}
	}
	printf("replace=%.1f%s\n", count / (t1 - t0), reqs);
	return 0;
}

static int cmd_populate(const char *dir, unsigned long count, unsigned int dim,
			uint64_t seed, double limit)
{
	char path[4096];
	float *v = malloc(dim * sizeof(*v));
	unsigned long i;
	double t0 = now(), t1;
	int fd;

	if (!v)
		die("malloc", NULL);
	for (i = 0; i < count; i++) {
		struct vexfs_vec_arg a = { .size = sizeof(a), .dim = dim,
					   .elem_type = VEXFS_VEC_FLOAT32,
					   .data = (uintptr_t)v };

		if (i % PER_DIR == 0) {
			snprintf(path, sizeof(path), "%s/d%04lu", dir, i / PER_DIR);
			if (mkdir(path, 0755) && errno != EEXIST)
				die("mkdir", path);
			if (now() - t0 > limit) {
				printf("populated=%lu seconds=%.1f gave_up=1\n", i, now() - t0);
				free(v);
				return 3;
			}
		}
		path_of(path, sizeof(path), dir, i);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0)
			die("create", path);
		vector(v, dim, seed, i);
		if (ioctl(fd, VEXFS_IOC_VEC_SET, &a))
			die("VEXFS_IOC_VEC_SET", path);
		if (close(fd))
			die("close", path);
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || syncfs(fd))
		die("syncfs", dir);
	close(fd);
	t1 = now();
	printf("populated=%lu seconds=%.1f per_second=%.0f\n", count, t1 - t0,
	       count / (t1 - t0));
	free(v);
	return 0;
}

struct best {
	float d[TOPK];
	unsigned long id[TOPK];
	unsigned int n;
};

static void best_add(struct best *b, float d, unsigned long id)
{
	unsigned int i;

	if (b->n == TOPK && d >= b->d[TOPK - 1])
		return;
	i = b->n < TOPK ? b->n++ : TOPK - 1;
	while (i > 0 && b->d[i - 1] > d) {
		b->d[i] = b->d[i - 1];
		b->id[i] = b->id[i - 1];
		i--;
	}
	b->d[i] = d;
	b->id[i] = id;
}

static float *make_set(unsigned long count, unsigned int dim, uint64_t seed)
{
	float *all = malloc((size_t)count * dim * sizeof(*all));
	unsigned long i;

	if (!all)
		die("malloc", "vectors");
	for (i = 0; i < count; i++)
		vector(all + (size_t)i * dim, dim, seed, i);
	return all;
}

static void scan_one(const float *all, unsigned long count, unsigned int dim,
		     const float *q, struct best *b)
{
	unsigned long i;
	unsigned int j;

	b->n = 0;
	for (i = 0; i < count; i++) {
		const float *v = all + (size_t)i * dim;
		float d = 0;

		for (j = 0; j < dim; j++)
			d += (v[j] - q[j]) * (v[j] - q[j]);
		best_add(b, d, i);
	}
}

static int cmd_scan(unsigned long count, unsigned int dim, uint64_t seed,
		    double seconds)
{
	float *all = make_set(count, dim, seed);
	float *q = malloc(dim * sizeof(*q));
	struct best b;
	unsigned long n = 0;
	double t0;

	if (!q)
		die("malloc", NULL);
	t0 = now();
	do {
		query(q, dim, seed, n);
		scan_one(all, count, dim, q, &b);
		n++;
	} while (n < 2 || now() - t0 < seconds);
	printf("queries=%lu qps=%.2f\n", n, n / (now() - t0));
	free(q);
	free(all);
	return 0;
}

static int cmd_search(const char *dir, unsigned long count, unsigned int dim,
		      uint64_t seed, double seconds)
{
	struct vexfs_search_result res[TOPK];
	float *q = malloc(dim * sizeof(*q));
	unsigned long n = 0;
	double t0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		die("open", dir);
	if (!q)
		die("malloc", NULL);
	t0 = now();
	do {
		struct vexfs_search_arg a = {
			.size = sizeof(a), .metric = VEXFS_METRIC_L2,
			.elem_type = VEXFS_VEC_FLOAT32, .dim = dim, .k = TOPK,
			.query = (uintptr_t)q, .results = (uintptr_t)res,
		};

		query(q, dim, seed, n);
		if (ioctl(fd, VEXFS_IOC_SEARCH, &a))
			die("VEXFS_IOC_SEARCH", dir);
		if (a.compared != count || a.k != TOPK) {
			fprintf(stderr, "vexfs-bench: search compared %llu vectors, k %u; expected %lu, %d\n",
				(unsigned long long)a.compared, a.k, count, TOPK);
			return 1;
		}
		if (n == 0) {
			/* the kernel's best scores against the scan's distances */
			float *all = make_set(count, dim, seed);
			struct best b;
			unsigned int i;

			scan_one(all, count, dim, q, &b);
			free(all);
			for (i = 0; i < TOPK; i++) {
				double k = (double)res[i].score / ldexp(1, a.score_shift);

				if (fabs(k - b.d[i]) > 1e-3 * b.d[i] + 0.01) {
					fprintf(stderr, "vexfs-bench: result %u: score %.4f, brute force %.4f\n",
						i, k, b.d[i]);
					return 1;
				}
			}
			t0 = now();	/* the check is not part of the timing */
		}
		n++;
	} while (n < 3 || now() - t0 < seconds);
	printf("queries=%lu qps=%.2f\n", n - 1, (n - 1) / (now() - t0));
	close(fd);
	free(q);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "fsmark") && (argc == 4 || argc == 5))
		return cmd_fsmark(argv[2], num(argv[3]), argc == 5 && !strcmp(argv[4], "fsync"));
	if (!strcmp(cmd, "replace") && argc == 4)
		return cmd_replace(argv[2], num(argv[3]));
	if (!strcmp(cmd, "populate") && argc == 7)
		return cmd_populate(argv[2], num(argv[3]), num(argv[4]), num(argv[5]),
				    num(argv[6]));
	if (!strcmp(cmd, "search") && argc == 7)
		return cmd_search(argv[2], num(argv[3]), num(argv[4]), num(argv[5]),
				  num(argv[6]));
	if (!strcmp(cmd, "scan") && argc == 6)
		return cmd_scan(num(argv[2]), num(argv[3]), num(argv[4]), num(argv[5]));
	fprintf(stderr, "usage: vexfs-bench fsmark DIR COUNT [fsync] | replace DIR COUNT |\n"
		"       populate DIR COUNT DIM SEED LIMIT_S |\n"
		"       search DIR COUNT DIM SEED SECONDS | scan COUNT DIM SEED SECONDS\n");
	return 2;
}
