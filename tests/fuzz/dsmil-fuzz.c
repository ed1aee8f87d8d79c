// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil-fuzz - random ioctls (and reads, writes, mmaps) on the dsmil
 * frontend's nodes.
 *
 *   dsmil-fuzz [-n CALLS] [-s SEED] [-d DIR]
 *
 * Mostly well-formed commands with one thing wrong (a short, long or
 * garbage size, unknown flags, non-zero reserved fields, bad pointers,
 * out-of-range values), some fully random argument bytes, some random
 * command numbers.  Every call must either succeed or fail with an errno
 * the ABI documents; anything else (a positive return, an undocumented
 * errno) is reported and makes the run fail.  The kernel's side (no splat,
 * the module still unloads) is checked by the VM case that runs this.
 *
 * One ctl file, one thread: a DMA claim by the only owner never waits.
 * The fuzzer never hands the kernel a range of its own live memory to
 * write to beyond the arena and the DMA area: a DMA lock may run up to 3
 * pages past the DMA area's end, and DMA transfers write the locked pages,
 * so the area has PROT_NONE guard pages around it (without them a lock
 * over its end pinned whatever mapping came next, glibc's static TLS with
 * the stack protector's canary on 7.3, and a transfer from the device
 * overwrote it: "stack smashing detected"); a random user pointer lies in
 * a PROT_NONE reservation.
 * Commands whose type is one the VFS handles itself (FIONBIO, FIFREEZE,
 * FICLONE, ...) are never sent: they would test the VFS, not dsmil.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dsmil.h>

#define PAGE		4096
#define MAX_NODES	64
#define MAX_HANDLES	32
#define DMA_PAGES	16	/* the DMA area, locks start in it */
#define DMA_GUARD	4	/* PROT_NONE pages each side: > 4 - 1 */
#define VOID_SIZE	(64 << 20)	/* PROT_NONE target of random pointers */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static const struct {
	unsigned long cmd;
	uint32_t size;
	uint32_t ver0;
} cmds[] = {
	{ DSMIL_IOC_INFO, sizeof(struct dsmil_info_args), DSMIL_INFO_SIZE_VER0 },
	{ DSMIL_IOC_DEV_LIST, sizeof(struct dsmil_dev_list_args), DSMIL_DEV_LIST_SIZE_VER0 },
	{ DSMIL_IOC_REG_READ, sizeof(struct dsmil_reg_args), DSMIL_REG_SIZE_VER0 },
	{ DSMIL_IOC_REG_WRITE, sizeof(struct dsmil_reg_args), DSMIL_REG_SIZE_VER0 },
	{ DSMIL_IOC_REG_BATCH, sizeof(struct dsmil_batch_args), DSMIL_BATCH_SIZE_VER0 },
	{ DSMIL_IOC_TOKEN_READ, sizeof(struct dsmil_token_args), DSMIL_TOKEN_SIZE_VER0 },
	{ DSMIL_IOC_TOKEN_WRITE, sizeof(struct dsmil_token_args), DSMIL_TOKEN_SIZE_VER0 },
	{ DSMIL_IOC_TOKEN_BATCH, sizeof(struct dsmil_batch_args), DSMIL_BATCH_SIZE_VER0 },
	{ DSMIL_IOC_TOKEN_INFO, sizeof(struct dsmil_token_info_args), DSMIL_TOKEN_INFO_SIZE_VER0 },
	{ DSMIL_IOC_UNLOCK, sizeof(struct dsmil_unlock_args), DSMIL_UNLOCK_SIZE_VER0 },
	{ DSMIL_IOC_RELOCK, sizeof(struct dsmil_unlock_args), DSMIL_UNLOCK_SIZE_VER0 },
	{ DSMIL_IOC_VERIFY, sizeof(struct dsmil_verify_args), DSMIL_VERIFY_SIZE_VER0 },
	{ DSMIL_IOC_DMA_LOCK, sizeof(struct dsmil_dma_lock_args), DSMIL_DMA_LOCK_SIZE_VER0 },
	{ DSMIL_IOC_DMA_UNLOCK, sizeof(struct dsmil_dma_handle_args), DSMIL_DMA_HANDLE_SIZE_VER0 },
	{ DSMIL_IOC_DMA_SYNC, sizeof(struct dsmil_dma_sync_args), DSMIL_DMA_SYNC_SIZE_VER0 },
	{ DSMIL_IOC_DMA_QUERY, sizeof(struct dsmil_dma_query_args), DSMIL_DMA_QUERY_SIZE_VER0 },
	{ DSMIL_IOC_DMA_XFER, sizeof(struct dsmil_dma_xfer_args), DSMIL_DMA_XFER_SIZE_VER0 },
	{ DSMIL_IOC_DMA_CLAIM, sizeof(struct dsmil_dma_claim_args), DSMIL_DMA_CLAIM_SIZE_VER0 },
	{ DSMIL_IOC_DMA_RELEASE, sizeof(struct dsmil_dma_claim_args), DSMIL_DMA_CLAIM_SIZE_VER0 },
	{ DSMIL_IOC_THERMAL, sizeof(struct dsmil_thermal_args), DSMIL_THERMAL_SIZE_VER0 },
	{ DSMIL_IOC_STATS, sizeof(struct dsmil_stats_args), DSMIL_STATS_SIZE_VER0 },
};
#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

/* Errnos the ABI documents for some call of the frontend's nodes. */
static const int documented[] = {
	EINVAL, E2BIG, EFAULT, ENOTTY, EPERM, EBADF, ENOENT, EACCES, EHOSTDOWN,
	EINTR, EBUSY, EAGAIN, ETIMEDOUT, EIO, ECANCELED, ENODEV, ENXIO, ERANGE,
	EOPNOTSUPP, ENOMEM, EMFILE, ENOSPC, EALREADY, ESPIPE, EPROTO,
};

static struct {
	uint64_t calls;
	uint64_t ok;
	uint64_t err[256];
	uint64_t bad;
} stats;

static uint8_t *arena;		/* PAGE readable/writable, then PAGE PROT_NONE */
static uint8_t *dma_area;	/* DMA_PAGES pages for DMA locks, guarded */
static uint8_t *void_area;	/* VOID_SIZE bytes PROT_NONE */
static uint32_t handles[MAX_HANDLES];
static unsigned int nr_handles;
static int node_fds[MAX_NODES];
static unsigned int nr_nodes;

static void record(const char *what, long ret, int err)
{
	size_t i;

	stats.calls++;
	if (ret >= 0) {
		stats.ok++;
		return;
	}
	if (err > 0 && err < 256)
		stats.err[err]++;
	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (err == documented[i])
			return;
	stats.bad++;
	fprintf(stderr, "dsmil-fuzz: %s: undocumented errno %d (%s)\n", what,
		err, strerror(err));
}

/* A user pointer for a pointer field: mostly good, sometimes not. */
static uint64_t fuzz_ptr(void *good)
{
	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)(arena + PAGE);		/* PROT_NONE */
	case 2:
		return 0xffff888000000000ULL + (rnd() & 0xfffff000);	/* kernel */
	case 3:		/* user space but never the fuzzer's own memory, or not */
		return chance(50) ? (uintptr_t)void_area + rnd() % VOID_SIZE :
				    rnd() | 1ULL << 63;
	default:
		return (uintptr_t)good;
	}
}

static uint16_t fuzz_token(void)
{
	if (chance(85))
		return 0x8000 + below(0x60);
	return (uint16_t)rnd();
}

/* Fill an op array in the arena's second half with plausible ops. */
static void fuzz_ops(uint8_t *ops, uint32_t count, bool tokens)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		if (tokens) {
			struct dsmil_token_op *op = (void *)(ops + i * 16);

			op->token = fuzz_token();
			op->op = chance(90) ? below(2) : (uint16_t)rnd();
			op->value = (uint32_t)rnd();
			op->result = (int32_t)rnd();
			op->reserved = chance(90) ? 0 : (uint32_t)rnd();
		} else {
			struct dsmil_reg_op *op = (void *)(ops + i * 16);

			op->token = fuzz_token();
			op->op = chance(90) ? below(2) : (uint8_t)rnd();
			op->reserved = chance(90) ? 0 : (uint8_t)rnd();
			op->offset = chance(80) ? below(0x20) * 4 : (uint32_t)rnd();
			op->value = (uint32_t)rnd();
			op->result = (int32_t)rnd();
		}
	}
}

/* Plausible values for a command's fields, then one thing possibly wrong. */
static void fuzz_fields(unsigned long cmd, uint8_t *a, uint8_t *extra)
{
	uint32_t count;

	switch (cmd) {
	case DSMIL_IOC_DEV_LIST: {
		struct dsmil_dev_list_args *l = (void *)a;

		l->count = chance(70) ? below(100) : (uint32_t)rnd();
		l->entry_size = chance(70) ? DSMIL_DEV_ENTRY_SIZE_VER0 + below(3) * 8 :
					     (uint32_t)rnd();
		l->entries = fuzz_ptr(extra);
		if (chance(60) && l->entry_size <= 64)
			l->count = PAGE / 2 / 64;
		break;
	}
	case DSMIL_IOC_REG_READ:
	case DSMIL_IOC_REG_WRITE: {
		struct dsmil_reg_args *r = (void *)a;

		r->token = fuzz_token();
		r->reserved0 = chance(90) ? 0 : (uint16_t)rnd();
		r->offset = chance(80) ? below(0x20) * 4 : (uint32_t)rnd();
		r->reserved1 = chance(90) ? 0 : (uint32_t)rnd();
		break;
	}
	case DSMIL_IOC_REG_BATCH:
	case DSMIL_IOC_TOKEN_BATCH: {
		struct dsmil_batch_args *b = (void *)a;
		bool tokens = cmd == DSMIL_IOC_TOKEN_BATCH;

		count = chance(85) ? 1 + below(PAGE / 2 / 16) : (uint32_t)rnd();
		b->flags = chance(80) ? (tokens ? 0 : below(2)) : (uint32_t)rnd();
		b->count = count;
		fuzz_ops(extra, count < PAGE / 2 / 16 ? count : PAGE / 2 / 16,
			 tokens);
		b->ops = fuzz_ptr(extra);
		break;
	}
	case DSMIL_IOC_TOKEN_READ:
	case DSMIL_IOC_TOKEN_WRITE: {
		struct dsmil_token_args *t = (void *)a;

		t->token = fuzz_token();
		t->reserved = chance(90) ? 0 : (uint16_t)rnd();
		break;
	}
	case DSMIL_IOC_TOKEN_INFO: {
		struct dsmil_token_info_args *t = (void *)a;

		t->token = fuzz_token();
		t->reserved = chance(90) ? 0 : (uint32_t)rnd();
		break;
	}
	case DSMIL_IOC_UNLOCK:
	case DSMIL_IOC_RELOCK: {
		struct dsmil_unlock_args *u = (void *)a;

		u->flags = chance(80) ? (cmd == DSMIL_IOC_RELOCK ? below(2) : 0) :
					(uint32_t)rnd();
		u->group = chance(80) ? below(8) : (uint32_t)rnd();
		u->seconds = chance(80) ? (cmd == DSMIL_IOC_UNLOCK ? below(5) : 0) :
					  (uint32_t)rnd();
		u->reserved = chance(90) ? 0 : (uint32_t)rnd();
		break;
	}
	case DSMIL_IOC_DMA_LOCK: {
		struct dsmil_dma_lock_args *l = (void *)a;

		l->addr = chance(80) ? (uintptr_t)(dma_area + below(DMA_PAGES) * PAGE) :
				       fuzz_ptr(dma_area);
		l->length = chance(80) ? (1 + below(4)) * PAGE : rnd();
		l->dir = chance(90) ? 1 + below(3) : (uint32_t)rnd();
		l->token = fuzz_token();
		l->reserved0 = chance(90) ? 0 : (uint16_t)rnd();
		l->reserved1 = chance(90) ? 0 : (uint32_t)rnd();
		break;
	}
	case DSMIL_IOC_DMA_UNLOCK:
	case DSMIL_IOC_DMA_SYNC:
	case DSMIL_IOC_DMA_QUERY:
	case DSMIL_IOC_DMA_XFER: {
		/* The handle is the third u32 of all four. */
		uint32_t *h = (uint32_t *)a + 2;

		*h = nr_handles && chance(80) ? handles[below(nr_handles)] :
						(uint32_t)rnd();
		if (cmd == DSMIL_IOC_DMA_UNLOCK) {
			((struct dsmil_dma_handle_args *)a)->reserved =
				chance(90) ? 0 : (uint32_t)rnd();
		} else if (cmd == DSMIL_IOC_DMA_SYNC) {
			((struct dsmil_dma_sync_args *)a)->dir =
				chance(90) ? below(2) : (uint32_t)rnd();
		} else if (cmd == DSMIL_IOC_DMA_QUERY) {
			struct dsmil_dma_query_args *q = (void *)a;

			q->max_segments = chance(80) ? below(8) : (uint32_t)rnd();
			q->segments = fuzz_ptr(extra);
			q->reserved = chance(90) ? 0 : (uint16_t)rnd();
		} else {
			struct dsmil_dma_xfer_args *x = (void *)a;

			x->dir = chance(90) ? below(2) : (uint32_t)rnd();
			x->offset = chance(80) ? below(2 * PAGE) : rnd();
			x->length = chance(80) ? 1 + below(2 * PAGE) : rnd();
			x->dev_offset = chance(80) ? below(PAGE) : (uint32_t)rnd();
			x->reserved = chance(90) ? 0 : (uint32_t)rnd();
		}
		break;
	}
	case DSMIL_IOC_DMA_CLAIM:
	case DSMIL_IOC_DMA_RELEASE: {
		struct dsmil_dma_claim_args *c = (void *)a;

		c->flags = chance(80) ? below(2) : (uint32_t)rnd();
		c->token = fuzz_token();
		c->reserved0 = chance(90) ? 0 : (uint16_t)rnd();
		c->mode = chance(80) ? below(2) : (uint32_t)rnd();
		/* The only owner never waits; keep a stray wait short anyway. */
		c->timeout_ms = below(50);
		c->reserved1 = chance(90) ? 0 : (uint32_t)rnd();
		if (cmd == DSMIL_IOC_DMA_RELEASE && chance(70))
			c->flags = c->mode = c->timeout_ms = 0;
		break;
	}
	}
}

/* The size field: right, or one of the interesting wrong ones. */
static uint32_t fuzz_size(uint32_t size, uint32_t ver0)
{
	switch (below(12)) {
	case 0:
		return 0;
	case 1:
		return ver0 - 1 - below(ver0);
	case 2:
		return size + 8;		/* tail zero or not: see caller */
	case 3:
		return DSMIL_ARGS_SIZE_MAX;
	case 4:
		return DSMIL_ARGS_SIZE_MAX + 1 + below(100);
	case 5:
		return (uint32_t)rnd();
	default:
		return chance(50) ? size : ver0;
	}
}

static bool vfs_ioctl_type(unsigned int type)
{
	/* 'T' FIONBIO/FIOASYNC/..., 'X' FIFREEZE, 'f' FS_IOC_*, 0x94 FICLONE,
	 * 0x12 block, 0x00/0x02/0x03 old block and floppy ioctls. */
	return type == 'T' || type == 'X' || type == 'f' || type == 0x94 ||
	       type == 0x12 || type <= 0x03;
}

static void fuzz_ioctl(int fd)
{
	uint8_t *a, *extra = arena + PAGE / 2;
	unsigned long cmd;
	unsigned int i = below(NR_CMDS);
	uint32_t size = cmds[i].size, ver0 = cmds[i].ver0, usize;
	void *argp;
	long ret;

	memset(arena, 0, PAGE);
	cmd = cmds[i].cmd;
	if (chance(5)) {
		/* Our magic, any number, any direction and size bits. */
		cmd = _IOC(below(4), DSMIL_IOCTL_MAGIC, below(256), below(1 << 14));
	} else if (chance(3)) {
		do
			cmd = (uint32_t)rnd();
		while (vfs_ioctl_type(_IOC_TYPE(cmd)));
	}

	/* The struct ends at the page's end sometimes: a read past faults. */
	a = chance(10) ? arena + PAGE - size : arena;
	if (chance(5)) {
		for (i = 0; i < size + 8 && a + i < arena + PAGE; i++)
			a[i] = (uint8_t)rnd();
	} else {
		fuzz_fields(cmd, a, extra);
		usize = fuzz_size(size, ver0);
		memcpy(a, &usize, 4);
		if (chance(80))
			memset(a + 4, 0, 4);		/* flags */
		else if (chance(50))
			a[4 + below(4)] = (uint8_t)rnd();
		/* A long struct whose tail is not zero: -E2BIG. */
		if (usize > size && a + usize <= arena + PAGE && chance(30))
			a[size + below(usize - size)] = 1 + below(255);
	}
	argp = a;
	switch (below(20)) {
	case 0:
		argp = NULL;
		break;
	case 1:
		argp = arena + PAGE;
		break;
	case 2:
		argp = (void *)(uintptr_t)0xffff888000001000ULL;
		break;
	}
	ret = ioctl(fd, cmd, argp);
	record("ioctl", ret, ret < 0 ? errno : 0);
	if (ret > 0) {
		stats.bad++;
		fprintf(stderr, "dsmil-fuzz: ioctl 0x%lx returned %ld\n", cmd, ret);
	}
	if (!ret && cmd == DSMIL_IOC_DMA_LOCK && argp == a) {
		struct dsmil_dma_lock_args *l = (void *)a;

		if (nr_handles < MAX_HANDLES)
			handles[nr_handles++] = l->handle;
		else
			handles[below(MAX_HANDLES)] = l->handle;
	}
}

static void fuzz_node(void)
{
	int fd = node_fds[below(nr_nodes)];
	size_t count = chance(70) ? 4 * (1 + below(64)) : below(PAGE);
	off_t off = chance(70) ? 4 * below(0x400) : (off_t)(rnd() >> 1);
	uint8_t *buf = chance(90) ? arena : arena + PAGE - 64;
	ssize_t ret;
	void *p;

	switch (below(4)) {
	case 0:
	case 1:
		ret = pread(fd, buf, count, off);
		record("pread", ret, ret < 0 ? errno : 0);
		break;
	case 2:
		memset(arena, 0, PAGE);
		ret = pwrite(fd, buf, count, off);
		record("pwrite", ret, ret < 0 ? errno : 0);
		break;
	default:
		count = PAGE * (1 + below(4));
		p = mmap(NULL, count, PROT_READ | (chance(50) ? PROT_WRITE : 0),
			 chance(90) ? MAP_SHARED : MAP_PRIVATE, fd,
			 PAGE * below(4));
		record("mmap", p == MAP_FAILED ? -1 : 0,
		       p == MAP_FAILED ? errno : 0);
		if (p != MAP_FAILED) {
			/* A read of a mapped window must work (not SIGBUS). */
			(void)*(volatile uint32_t *)p;
			munmap(p, count);
		}
		break;
	}
}

static void fuzz_read_events(int fd)
{
	ssize_t ret = read(fd, arena, chance(80) ? 32 * (1 + below(8)) : below(64));

	record("read", ret, ret < 0 ? errno : 0);
}

static void open_nodes(const char *dir)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) && nr_nodes < MAX_NODES) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "ctl"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		node_fds[nr_nodes] = open(path, O_RDWR | O_CLOEXEC);
		if (node_fds[nr_nodes] >= 0)
			nr_nodes++;
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	const char *dir = "/dev/dsmil";
	uint64_t n = 100000, i;
	char ctl[512];
	int opt, fd, e;

	rng_state = 0x9e3779b97f4a7c15ULL;
	while ((opt = getopt(argc, argv, "n:s:d:")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoull(optarg, NULL, 0);
			break;
		case 's':
			rng_state = strtoull(optarg, NULL, 0) | 1;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: dsmil-fuzz [-n CALLS] [-s SEED] [-d DIR]\n");
			return 2;
		}
	}
	arena = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dma_area = mmap(NULL, (DMA_GUARD + DMA_PAGES + DMA_GUARD) * PAGE,
			PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			-1, 0);
	void_area = mmap(NULL, VOID_SIZE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena == MAP_FAILED || dma_area == MAP_FAILED ||
	    void_area == MAP_FAILED ||
	    mprotect(arena + PAGE, PAGE, PROT_NONE) ||
	    mprotect(dma_area + DMA_GUARD * PAGE, DMA_PAGES * PAGE,
		     PROT_READ | PROT_WRITE)) {
		perror("dsmil-fuzz: mmap");
		return 1;
	}
	dma_area += DMA_GUARD * PAGE;
	memset(dma_area, 0x5a, DMA_PAGES * PAGE);	/* populated */
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	fd = open(ctl, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "dsmil-fuzz: %s: %s\n", ctl, strerror(errno));
		return 1;
	}
	open_nodes(dir);

	for (i = 0; i < n; i++) {
		if (nr_nodes && chance(5))
			fuzz_node();
		else if (chance(2))
			fuzz_read_events(fd);
		else
			fuzz_ioctl(fd);
	}

	printf("calls %" PRIu64 " ok %" PRIu64 " undocumented %" PRIu64 "\n",
	       stats.calls, stats.ok, stats.bad);
	for (e = 1; e < 256; e++)
		if (stats.err[e])
			printf("  %-10s %" PRIu64 "\n", strerrorname_np(e) ?
			       strerrorname_np(e) : "?", stats.err[e]);
	close(fd);
	for (i = 0; i < nr_nodes; i++)
		close(node_fds[i]);
	return stats.bad ? 1 : 0;
}
