// SPDX-License-Identifier: GPL-2.0
/*
 * Every ioctl of /dev/dsmil/ctl against the conventions of the ABI
 * (Documentation/userspace-api/dsmil.rst): a size below the first version
 * is -EINVAL, above 4096 -E2BIG, a longer struct with a non-zero tail
 * -E2BIG and with a zero tail accepted; unknown flags and non-zero reserved
 * fields -EINVAL; a bad argument pointer -EFAULT; unknown commands -ENOTTY.
 * Each refused call changes nothing: registers, tokens, write windows and
 * DMA locks are checked before and after.
 *
 * A baseline argument is chosen for each command that succeeds, or fails
 * late (after every check of the arguments) without side effects, so that
 * a mistake in the argument is what the errno reports.
 *
 * UAPI 1.1: the arrays of REG_BATCH, TOKEN_BATCH and DMA_QUERY are read
 * and written with the caller's entry_size (0 = the 1.0 stride; below the
 * struct or above 4096 -EINVAL; a longer entry's tail is zero on input,
 * else -E2BIG), and the DMA directions DSMIL_DIR_* are one set for
 * DMA_LOCK, DMA_XFER and DMA_QUERY (with DSMIL_QUERY_DIR), the 1.0 values
 * still accepted and reported without the flag.
 * dsmil-matrix: smoke: dsmil
 */
#include <stddef.h>
#include <sys/mman.h>

#include "fe-case.h"

#define PAGE	4096
#define TOKEN	0x8000		/* emu device g0d00 */
#define SCRATCH	0x0c		/* emu read-write register */

static int fd;
static uint8_t *page;		/* PAGE read-write, then PAGE PROT_NONE */
static uint8_t *ro_page;	/* PROT_READ, see ro_set() */


/* Put @n bytes into the read-only page; returns it. */
static void *ro_set(const void *src, size_t n)
{
	mprotect(ro_page, PAGE, PROT_READ | PROT_WRITE);
	memset(ro_page, 0, PAGE);
	memcpy(ro_page, src, n);
	mprotect(ro_page, PAGE, PROT_READ);
	return ro_page;
}



struct reserved {
	size_t off;
	size_t len;
};

struct cmd {
	const char *name;
	unsigned long cmd;
	size_t size;
	size_t ver0;
	uint32_t flags_ok;		/* flags the command knows */
	int baseline;			/* errno of the baseline call */
	void (*fill)(void *a);		/* the baseline arguments */
	struct reserved reserved[3];
};

static void fill_dev_list(void *p)
{
	struct dsmil_dev_list_args *a = p;

	a->entry_size = sizeof(struct dsmil_dev_entry);
}

static void fill_reg(void *p)
{
	struct dsmil_reg_args *a = p;

	a->token = TOKEN;
	a->offset = SCRATCH;
	a->value = 0x5a5a0001;
}

static void fill_reg_batch(void *p)
{
	static struct dsmil_reg_op op;
	struct dsmil_batch_args *a = p;

	op = (struct dsmil_reg_op){ .token = TOKEN, .offset = SCRATCH };
	a->count = 1;
	a->ops = (uintptr_t)&op;
}

static void fill_token(void *p)
{
	struct dsmil_token_args *a = p;

	a->token = TOKEN;
}

static void fill_token_batch(void *p)
{
	static struct dsmil_token_op op;
	struct dsmil_batch_args *a = p;

	op = (struct dsmil_token_op){ .token = TOKEN };
	a->count = 1;
	a->ops = (uintptr_t)&op;
}

static void fill_unlock(void *p)
{
	struct dsmil_unlock_args *a = p;

	a->group = 5;
}

static void fill_dma_lock(void *p)
{
	struct dsmil_dma_lock_args *a = p;

	a->addr = (uintptr_t)page;
	a->length = PAGE;
	a->dir = DSMIL_LOCK_BIDIRECTIONAL;
	a->token = 0x7000;		/* no device: -ENODEV, nothing locked */
}

static void fill_bad_handle(void *p)
{
	((uint32_t *)p)[2] = 0xfff0;	/* the handle, third u32 */
}

static void fill_xfer(void *p)
{
	struct dsmil_dma_xfer_args *a = p;

	a->handle = 0xfff0;
	a->length = 16;
}

static void fill_claim(void *p)
{
	struct dsmil_dma_claim_args *a = p;

	a->token = 0x7000;
	a->mode = DSMIL_CLAIM_EXCLUSIVE;
}

static void fill_release(void *p)
{
	struct dsmil_dma_claim_args *a = p;

	a->token = TOKEN;		/* no claim: -ENOENT */
}

#define R(type, field) { offsetof(type, field), sizeof(((type *)0)->field) }

static const struct cmd cmds[] = {
	{ "INFO", DSMIL_IOC_INFO, sizeof(struct dsmil_info_args),
	  DSMIL_INFO_SIZE_VER0, 0, 0, NULL, { { 0 } } },
	{ "DEV_LIST", DSMIL_IOC_DEV_LIST, sizeof(struct dsmil_dev_list_args),
	  DSMIL_DEV_LIST_SIZE_VER0, 0, 0, fill_dev_list, { { 0 } } },
	{ "REG_READ", DSMIL_IOC_REG_READ, sizeof(struct dsmil_reg_args),
	  DSMIL_REG_SIZE_VER0, 0, 0, fill_reg,
	  { R(struct dsmil_reg_args, reserved0), R(struct dsmil_reg_args, reserved1) } },
	{ "REG_WRITE", DSMIL_IOC_REG_WRITE, sizeof(struct dsmil_reg_args),
	  DSMIL_REG_SIZE_VER0, 0, 0, fill_reg,
	  { R(struct dsmil_reg_args, reserved0), R(struct dsmil_reg_args, reserved1) } },
	{ "REG_BATCH", DSMIL_IOC_REG_BATCH, sizeof(struct dsmil_batch_args),
	  DSMIL_BATCH_SIZE_VER0, DSMIL_BATCH_STOP_ON_ERROR, 0, fill_reg_batch,
	  { R(struct dsmil_batch_args, reserved) } },
	{ "TOKEN_READ", DSMIL_IOC_TOKEN_READ, sizeof(struct dsmil_token_args),
	  DSMIL_TOKEN_SIZE_VER0, 0, 0, fill_token,
	  { R(struct dsmil_token_args, reserved) } },
	{ "TOKEN_WRITE", DSMIL_IOC_TOKEN_WRITE, sizeof(struct dsmil_token_args),
	  DSMIL_TOKEN_SIZE_VER0, 0, EACCES, fill_token,	/* group locked */
	  { R(struct dsmil_token_args, reserved) } },
	{ "TOKEN_BATCH", DSMIL_IOC_TOKEN_BATCH, sizeof(struct dsmil_batch_args),
	  DSMIL_BATCH_SIZE_VER0, 0, 0, fill_token_batch,
	  { R(struct dsmil_batch_args, reserved) } },
	{ "TOKEN_INFO", DSMIL_IOC_TOKEN_INFO, sizeof(struct dsmil_token_info_args),
	  DSMIL_TOKEN_INFO_SIZE_VER0, 0, 0, fill_token,
	  { R(struct dsmil_token_info_args, reserved) } },
	{ "UNLOCK", DSMIL_IOC_UNLOCK, sizeof(struct dsmil_unlock_args),
	  DSMIL_UNLOCK_SIZE_VER0, 0, 0, fill_unlock,
	  { R(struct dsmil_unlock_args, reserved) } },
	{ "RELOCK", DSMIL_IOC_RELOCK, sizeof(struct dsmil_unlock_args),
	  DSMIL_UNLOCK_SIZE_VER0, DSMIL_RELOCK_ALL, 0, fill_unlock,
	  { R(struct dsmil_unlock_args, seconds), R(struct dsmil_unlock_args, reserved) } },
	{ "VERIFY", DSMIL_IOC_VERIFY, sizeof(struct dsmil_verify_args),
	  DSMIL_VERIFY_SIZE_VER0, 0, 0, NULL, { { 0 } } },
	{ "DMA_LOCK", DSMIL_IOC_DMA_LOCK, sizeof(struct dsmil_dma_lock_args),
	  DSMIL_DMA_LOCK_SIZE_VER0, 0, ENODEV, fill_dma_lock,
	  { R(struct dsmil_dma_lock_args, reserved0), R(struct dsmil_dma_lock_args, reserved1) } },
	{ "DMA_UNLOCK", DSMIL_IOC_DMA_UNLOCK, sizeof(struct dsmil_dma_handle_args),
	  DSMIL_DMA_HANDLE_SIZE_VER0, 0, ENOENT, fill_bad_handle,
	  { R(struct dsmil_dma_handle_args, reserved) } },
	{ "DMA_SYNC", DSMIL_IOC_DMA_SYNC, sizeof(struct dsmil_dma_sync_args),
	  DSMIL_DMA_SYNC_SIZE_VER0, 0, ENOENT, fill_bad_handle, { { 0 } } },
	{ "DMA_QUERY", DSMIL_IOC_DMA_QUERY, sizeof(struct dsmil_dma_query_args),
	  DSMIL_DMA_QUERY_SIZE_VER0, DSMIL_QUERY_DIR, ENOENT, fill_bad_handle,
	  { R(struct dsmil_dma_query_args, reserved),
	    R(struct dsmil_dma_query_args, reserved2) } },
	{ "DMA_XFER", DSMIL_IOC_DMA_XFER, sizeof(struct dsmil_dma_xfer_args),
	  DSMIL_DMA_XFER_SIZE_VER0, 0, ENOENT, fill_xfer,
	  { R(struct dsmil_dma_xfer_args, reserved) } },
	{ "DMA_CLAIM", DSMIL_IOC_DMA_CLAIM, sizeof(struct dsmil_dma_claim_args),
	  DSMIL_DMA_CLAIM_SIZE_VER0, DSMIL_CLAIM_NONBLOCK, ENODEV, fill_claim,
	  { R(struct dsmil_dma_claim_args, reserved0), R(struct dsmil_dma_claim_args, reserved1) } },
	{ "DMA_RELEASE", DSMIL_IOC_DMA_RELEASE, sizeof(struct dsmil_dma_claim_args),
	  DSMIL_DMA_CLAIM_SIZE_VER0, 0, ENOENT, fill_release,
	  { R(struct dsmil_dma_claim_args, reserved0), R(struct dsmil_dma_claim_args, mode),
	    R(struct dsmil_dma_claim_args, timeout_ms) } },
	{ "THERMAL", DSMIL_IOC_THERMAL, sizeof(struct dsmil_thermal_args),
	  DSMIL_THERMAL_SIZE_VER0, 0, 0, NULL, { { 0 } } },
	{ "STATS", DSMIL_IOC_STATS, sizeof(struct dsmil_stats_args),
	  DSMIL_STATS_SIZE_VER0, 0, 0, NULL, { { 0 } } },
};

/* Build the baseline arguments at @a with size @size; returns @a. */
static void *args(const struct cmd *c, uint8_t *a, uint32_t size)
{
	memset(a, 0, c->size);
	if (c->fill)
		c->fill(a);
	memcpy(a, &size, sizeof(size));
	return a;
}

static void relock_all(void)
{
	struct dsmil_unlock_args u = { .size = sizeof(u), .flags = DSMIL_RELOCK_ALL };

	expect("RELOCK all", ioc(fd, DSMIL_IOC_RELOCK, &u), 0);
}

static void test_conventions(const struct cmd *c)
{
	uint8_t *a = page, *edge;
	char what[96];
	unsigned int i;
	uint32_t flag;

#define T(...) (snprintf(what, sizeof(what), __VA_ARGS__), what)
	expect(T("%s baseline", c->name), ioc(fd, c->cmd, args(c, a, c->size)),
	       c->baseline);
	expect(T("%s size 0", c->name), ioc(fd, c->cmd, args(c, a, 0)), EINVAL);
	expect(T("%s size ver0-1", c->name),
	       ioc(fd, c->cmd, args(c, a, c->ver0 - 1)), EINVAL);
	expect(T("%s size 4097", c->name),
	       ioc(fd, c->cmd, args(c, a, DSMIL_ARGS_SIZE_MAX + 1)), E2BIG);
	expect(T("%s size 0xffffffff", c->name),
	       ioc(fd, c->cmd, args(c, a, 0xffffffff)), E2BIG);
	/* Longer than the kernel's struct: zero tail fine, else -E2BIG. */
	memset(page, 0, PAGE);
	expect(T("%s size 4096, zero tail", c->name),
	       ioc(fd, c->cmd, args(c, a, DSMIL_ARGS_SIZE_MAX)), c->baseline);
	args(c, a, c->size + 8);
	a[c->size + 5] = 1;
	expect(T("%s size +8, tail not zero", c->name), ioc(fd, c->cmd, a), E2BIG);
	a[c->size + 5] = 0;
	/* Bad pointers: none, unmapped, and a struct running into a hole. */
	expect(T("%s NULL", c->name), ioc(fd, c->cmd, NULL), EFAULT);
	expect(T("%s unmapped", c->name), ioc(fd, c->cmd, page + PAGE), EFAULT);
	edge = page + PAGE - c->size;
	args(c, edge, c->size + 8);
	expect(T("%s struct into a hole", c->name), ioc(fd, c->cmd, edge), EFAULT);
	expect(T("%s kernel address", c->name),
	       ioc(fd, c->cmd, (void *)0xffffffff81000000UL), EFAULT);
	/* Flags it does not know. */
	for (i = 0; i < 32; i++) {
		flag = 1U << i;
		if (flag & c->flags_ok)
			continue;
		args(c, a, c->size);
		memcpy(a + 4, &flag, 4);
		expect(T("%s flag bit %u", c->name, i), ioc(fd, c->cmd, a), EINVAL);
	}
	/* Reserved fields. */
	for (i = 0; i < 3 && c->reserved[i].len; i++) {
		args(c, a, c->size);
		memset(a + c->reserved[i].off, 0x80, c->reserved[i].len);
		expect(T("%s reserved at %zu", c->name, c->reserved[i].off),
		       ioc(fd, c->cmd, a), EINVAL);
	}
	relock_all();
#undef T
}

static uint32_t scratch(void)
{
	struct dsmil_reg_args r = { .size = sizeof(r), .token = TOKEN, .offset = SCRATCH };

	expect("REG_READ scratch", ioc(fd, DSMIL_IOC_REG_READ, &r), 0);
	return r.value;
}

static uint32_t token_value(void)
{
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN };

	expect("TOKEN_READ", ioc(fd, DSMIL_IOC_TOKEN_READ, &t), 0);
	return t.value;
}

static int group_unlocked(uint16_t token)
{
	struct dsmil_token_info_args t = { .size = sizeof(t), .token = token };

	expect("TOKEN_INFO", ioc(fd, DSMIL_IOC_TOKEN_INFO, &t), 0);
	return !!(t.token_flags & DSMIL_TOKEN_UNLOCKED);
}

static uint64_t dma_handles(void)
{
	struct dsmil_stats_args s = { .size = sizeof(s) };

	expect("STATS", ioc(fd, DSMIL_IOC_STATS, &s), 0);
	return s.dma_handles;
}

/* Refused calls change nothing. */
static void test_nothing_changes(void)
{
	struct dsmil_reg_args r = { .size = sizeof(r), .token = TOKEN, .offset = SCRATCH };
	struct dsmil_reg_op *ops = (void *)page;
	struct dsmil_batch_args b = { .size = sizeof(b) };
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN };
	struct dsmil_unlock_args *u;
	struct dsmil_dma_lock_args *l;
	uint32_t before;

	r.value = 0x11111111;
	expect("REG_WRITE", ioc(fd, DSMIL_IOC_REG_WRITE, &r), 0);
	before = scratch();
	check(before == 0x11111111, "scratch 0x%x after REG_WRITE", before);

	r.value = 0x22222222;
	r.reserved1 = 1;
	expect("REG_WRITE reserved", ioc(fd, DSMIL_IOC_REG_WRITE, &r), EINVAL);
	r.reserved1 = 0;
	r.flags = 4;
	expect("REG_WRITE flags", ioc(fd, DSMIL_IOC_REG_WRITE, &r), EINVAL);
	r.flags = 0;
	r.size = 4097;
	expect("REG_WRITE size", ioc(fd, DSMIL_IOC_REG_WRITE, &r), E2BIG);
	check(scratch() == before, "a refused REG_WRITE changed the register");

	/* A batch with a valid write and an invalid op: nothing runs. */
	memset(page, 0, PAGE);
	ops[0] = (struct dsmil_reg_op){ .token = TOKEN, .op = DSMIL_OP_WRITE,
					.offset = SCRATCH, .value = 0x33333333 };
	ops[1] = (struct dsmil_reg_op){ .token = TOKEN, .op = 7 };
	b.count = 2;
	b.ops = (uintptr_t)ops;
	expect("REG_BATCH bad op", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	ops[1] = (struct dsmil_reg_op){ .token = TOKEN, .reserved = 1 };
	expect("REG_BATCH reserved", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	b.count = DSMIL_REG_BATCH_MAX + 1;
	expect("REG_BATCH too many", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	b.count = 0;
	expect("REG_BATCH none", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	b.count = 1;
	b.ops = (uintptr_t)(page + PAGE);
	expect("REG_BATCH ops unmapped", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EFAULT);
	/* Results cannot be written back: refused before the write runs. */
	b.ops = (uintptr_t)ro_set(ops, sizeof(*ops));
	expect("REG_BATCH ops read-only", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EFAULT);
	check(scratch() == before, "a refused REG_BATCH changed the register");

	/* The batch that runs: results and done. */
	ops[1] = (struct dsmil_reg_op){ .token = TOKEN, .offset = SCRATCH };
	ops[2] = (struct dsmil_reg_op){ .token = TOKEN, .offset = 2 };
	ops[3] = (struct dsmil_reg_op){ .token = 0x7000 };
	b.count = 4;
	b.ops = (uintptr_t)ops;
	b.flags = 0;
	expect("REG_BATCH", ioc(fd, DSMIL_IOC_REG_BATCH, &b), 0);
	check(b.done == 4 && ops[0].result == 0 && ops[1].result == 0 &&
	      ops[1].value == 0x33333333 && ops[2].result == -EINVAL &&
	      ops[3].result == -ENOENT,
	      "REG_BATCH results: done %u, %d %d/0x%x %d %d", b.done,
	      ops[0].result, ops[1].result, ops[1].value, ops[2].result,
	      ops[3].result);
	b.flags = DSMIL_BATCH_STOP_ON_ERROR;
	ops[0] = (struct dsmil_reg_op){ .token = TOKEN, .offset = 2 };
	ops[1] = (struct dsmil_reg_op){ .token = TOKEN, .op = DSMIL_OP_WRITE,
					.offset = SCRATCH, .value = 0x44444444 };
	b.count = 2;
	expect("REG_BATCH stop", ioc(fd, DSMIL_IOC_REG_BATCH, &b), 0);
	check(b.done == 1 && ops[0].result == -EINVAL &&
	      ops[1].result == -ECANCELED,
	      "REG_BATCH stop on error: done %u, %d %d", b.done, ops[0].result,
	      ops[1].result);
	check(scratch() == 0x33333333, "a cancelled op ran");

	/* Token writes: the window stays closed, the value unchanged. */
	before = token_value();
	t.value = before + 1;
	t.flags = 1;
	expect("TOKEN_WRITE flags", ioc(fd, DSMIL_IOC_TOKEN_WRITE, &t), EINVAL);
	{
		struct dsmil_unlock_args ua = { .size = sizeof(ua) };

		u = ro_set(&ua, sizeof(ua));
	}
	expect("UNLOCK read-only args", ioc(fd, DSMIL_IOC_UNLOCK, u), EFAULT);
	check(!group_unlocked(TOKEN), "a refused UNLOCK opened the window");
	{
		struct dsmil_unlock_args ua = { .size = sizeof(ua), .reserved = 1 };

		expect("UNLOCK reserved", ioc(fd, DSMIL_IOC_UNLOCK, &ua), EINVAL);
		check(!group_unlocked(TOKEN), "a refused UNLOCK opened the window");
		ua.reserved = 0;
		expect("UNLOCK", ioc(fd, DSMIL_IOC_UNLOCK, &ua), 0);
		check(ua.remaining_ms > 0, "UNLOCK: remaining_ms %u", ua.remaining_ms);
		t.flags = 0;
		t.reserved = 1;
		expect("TOKEN_WRITE reserved", ioc(fd, DSMIL_IOC_TOKEN_WRITE, &t),
		       EINVAL);
		check(token_value() == before, "a refused TOKEN_WRITE changed the token");
		t.reserved = 0;
		expect("TOKEN_WRITE", ioc(fd, DSMIL_IOC_TOKEN_WRITE, &t), 0);
		check(token_value() == before + 1, "TOKEN_WRITE did not write");
		relock_all();
	}

	/* DMA locks: nothing locked by a refused call. */
	l = (void *)(page + 256);
	memset(l, 0, sizeof(*l));
	fill_dma_lock(l);
	l->size = sizeof(*l);
	l->token = TOKEN;
	l->reserved1 = 1;
	expect("DMA_LOCK reserved", ioc(fd, DSMIL_IOC_DMA_LOCK, l), EINVAL);
	l->reserved1 = 0;
	l->length = 100;
	expect("DMA_LOCK unaligned length", ioc(fd, DSMIL_IOC_DMA_LOCK, l), EINVAL);
	check(dma_handles() == 0, "a refused DMA_LOCK left a lock");
	l->length = PAGE;
	expect("DMA_LOCK read-only args",
	       ioc(fd, DSMIL_IOC_DMA_LOCK, ro_set(l, sizeof(*l))), EFAULT);
	check(dma_handles() == 0, "a refused DMA_LOCK left a lock");
	expect("DMA_LOCK", ioc(fd, DSMIL_IOC_DMA_LOCK, l), 0);
	check(dma_handles() == 1, "DMA_LOCK: %llu locks",
	      (unsigned long long)dma_handles());
	{
		struct dsmil_dma_query_args q = { .size = sizeof(q), .handle = l->handle,
						  .max_segments = 1 };

		q.segments = (uintptr_t)(page + PAGE);
		expect("DMA_QUERY segments unmapped", ioc(fd, DSMIL_IOC_DMA_QUERY, &q),
		       EFAULT);
		q.segments = (uintptr_t)(page + 1024);
		expect("DMA_QUERY", ioc(fd, DSMIL_IOC_DMA_QUERY, &q), 0);
		check(q.nr_pages == 1 && q.length == PAGE && q.token == TOKEN &&
		      q.addr == (uintptr_t)page, "DMA_QUERY: %u pages, %llu bytes",
		      q.nr_pages, (unsigned long long)q.length);
	}
	{
		struct dsmil_dma_handle_args h = { .size = sizeof(h), .handle = l->handle };

		expect("DMA_UNLOCK", ioc(fd, DSMIL_IOC_DMA_UNLOCK, &h), 0);
		expect("DMA_UNLOCK again", ioc(fd, DSMIL_IOC_DMA_UNLOCK, &h), ENOENT);
	}
	check(dma_handles() == 0, "DMA_UNLOCK left a lock");
}

static void test_other_checks(void)
{
	struct dsmil_dev_list_args l = { .size = sizeof(l), .entry_size = 55 };
	struct dsmil_reg_args r = { .size = sizeof(r), .token = TOKEN };

	expect("DEV_LIST entry_size 55", ioc(fd, DSMIL_IOC_DEV_LIST, &l), EINVAL);
	l.entry_size = DSMIL_ARGS_SIZE_MAX + 1;
	expect("DEV_LIST entry_size 4097", ioc(fd, DSMIL_IOC_DEV_LIST, &l), EINVAL);
	l.entry_size = sizeof(struct dsmil_dev_entry);
	expect("DEV_LIST count only", ioc(fd, DSMIL_IOC_DEV_LIST, &l), 0);
	check(l.count == 84, "DEV_LIST: %u devices", l.count);
	l.count = 1;
	l.entries = (uintptr_t)(page + PAGE);
	expect("DEV_LIST entries unmapped", ioc(fd, DSMIL_IOC_DEV_LIST, &l), EFAULT);
	/* A larger entry_size: the tail of each entry is zeroed. */
	memset(page, 0xff, PAGE);
	l.count = 2;
	l.entry_size = 64;
	l.entries = (uintptr_t)page;
	expect("DEV_LIST entry_size 64", ioc(fd, DSMIL_IOC_DEV_LIST, &l), 0);
	check(((struct dsmil_dev_entry *)(page + 64))->token == TOKEN + 1 &&
	      page[60] == 0 && page[128] == 0xff,
	      "DEV_LIST stride 64: token 0x%x", ((struct dsmil_dev_entry *)(page + 64))->token);

	r.offset = 2;
	expect("REG_READ misaligned", ioc(fd, DSMIL_IOC_REG_READ, &r), EINVAL);
	r.offset = 0x1000;
	expect("REG_READ past the window", ioc(fd, DSMIL_IOC_REG_READ, &r), ERANGE);
	r.offset = 0;
	r.token = 0x7000;
	expect("REG_READ unknown token", ioc(fd, DSMIL_IOC_REG_READ, &r), ENOENT);
	r.token = 0x8009;
	r.offset = SCRATCH;
	expect("REG_WRITE quarantined", ioc(fd, DSMIL_IOC_REG_WRITE, &r), EPERM);

	expect("unknown nr", ioc(fd, _IO(DSMIL_IOCTL_MAGIC, 0x3f), page), ENOTTY);
	expect("INFO nr, other direction",
	       ioc(fd, _IOWR(DSMIL_IOCTL_MAGIC, 0x00, struct dsmil_info_args), page),
	       ENOTTY);
	expect("other magic", ioc(fd, _IO(0xD4, 0x00), page), ENOTTY);
}

static void test_uapi_1_1(void)
{
	struct dsmil_info_args info = { .size = sizeof(info) };
	struct dsmil_batch_args b = { .size = sizeof(b) };
	struct dsmil_reg_op *rop;
	struct dsmil_token_op *top;
	struct dsmil_dma_lock_args l = { .size = sizeof(l) };
	struct dsmil_dma_xfer_args x = { .size = sizeof(x) };
	struct dsmil_dma_handle_args h = { .size = sizeof(h) };
	struct dsmil_dma_query_args q = { .size = sizeof(q) };
	uint8_t *ops = page + 512, *buf;
	uint32_t before;
	unsigned int i;

	expect("INFO", ioc(fd, DSMIL_IOC_INFO, &info), 0);
	check(info.abi_major == 1 && info.abi_minor >= 1, "ABI %u.%u, want 1.1",
	      info.abi_major, info.abi_minor);

	/* REG_BATCH with a 32-byte stride: the kernel honours it. */
	memset(ops, 0, 4 * 32);
	rop = (void *)ops;
	*rop = (struct dsmil_reg_op){ .token = TOKEN, .op = DSMIL_OP_WRITE,
				      .offset = SCRATCH, .value = 0x55555555 };
	rop = (void *)(ops + 32);
	*rop = (struct dsmil_reg_op){ .token = TOKEN, .offset = SCRATCH };
	b.count = 2;
	b.ops = (uintptr_t)ops;
	b.entry_size = 32;
	expect("REG_BATCH entry_size 32", ioc(fd, DSMIL_IOC_REG_BATCH, &b), 0);
	check(b.done == 2 && rop->result == 0 && rop->value == 0x55555555 &&
	      ((struct dsmil_reg_op *)ops)->result == 0,
	      "REG_BATCH stride 32: done %u, read %d/0x%x", b.done, rop->result,
	      rop->value);
	for (i = 16; i < 32; i++)
		check(!ops[i] && !ops[32 + i], "REG_BATCH stride 32: tail byte %u written", i);
	before = scratch();
	rop = (void *)ops;
	rop->value = 0x66666666;
	ops[20] = 1;
	expect("REG_BATCH entry_size 32, tail not zero",
	       ioc(fd, DSMIL_IOC_REG_BATCH, &b), E2BIG);
	ops[20] = 0;
	b.entry_size = 8;
	expect("REG_BATCH entry_size 8", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	b.entry_size = 15;
	expect("REG_BATCH entry_size 15", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	b.entry_size = DSMIL_ARGS_SIZE_MAX + 1;
	expect("REG_BATCH entry_size 4097", ioc(fd, DSMIL_IOC_REG_BATCH, &b), EINVAL);
	check(scratch() == before, "a refused REG_BATCH changed the register");
	/* 0 is the 1.0 stride. */
	b.entry_size = 0;
	rop = (void *)(ops + 16);
	*rop = (struct dsmil_reg_op){ .token = TOKEN, .offset = SCRATCH };
	expect("REG_BATCH entry_size 0", ioc(fd, DSMIL_IOC_REG_BATCH, &b), 0);
	check(rop->value == 0x66666666, "REG_BATCH stride 0: read 0x%x", rop->value);

	/* TOKEN_BATCH with a 24-byte stride. */
	memset(ops, 0, 3 * 24);
	for (i = 0; i < 3; i++) {
		top = (void *)(ops + 24 * i);
		*top = (struct dsmil_token_op){ .token = TOKEN, .value = 0xdead };
	}
	b.count = 3;
	b.entry_size = 24;
	expect("TOKEN_BATCH entry_size 24", ioc(fd, DSMIL_IOC_TOKEN_BATCH, &b), 0);
	before = token_value();
	for (i = 0; i < 3; i++) {
		top = (void *)(ops + 24 * i);
		check(top->result == 0 && top->value == before,
		      "TOKEN_BATCH stride 24, op %u: %d/0x%x, want 0/0x%x", i,
		      top->result, top->value, before);
	}
	b.entry_size = 12;
	expect("TOKEN_BATCH entry_size 12", ioc(fd, DSMIL_IOC_TOKEN_BATCH, &b), EINVAL);

	/* Directions: DSMIL_DIR_* for lock and transfer, 1.0 values too. */
	l.addr = (uintptr_t)page;
	l.length = PAGE;
	l.token = TOKEN;
	l.dir = DSMIL_DIR_TO_DEVICE;
	expect("DMA_LOCK DSMIL_DIR_TO_DEVICE", ioc(fd, DSMIL_IOC_DMA_LOCK, &l), 0);
	h.handle = l.handle;
	expect("DMA_UNLOCK", ioc(fd, DSMIL_IOC_DMA_UNLOCK, &h), 0);
	l.dir = 7;
	expect("DMA_LOCK dir 7", ioc(fd, DSMIL_IOC_DMA_LOCK, &l), EINVAL);
	l.dir = DSMIL_DIR_BIDIRECTIONAL;
	expect("DMA_LOCK DSMIL_DIR_BIDIRECTIONAL", ioc(fd, DSMIL_IOC_DMA_LOCK, &l), 0);
	x.handle = l.handle;
	x.length = 16;
	buf = page;
	memcpy(buf, "uapi-1.1 to dev!", 16);
	x.dir = DSMIL_DIR_TO_DEVICE;
	expect("DMA_XFER DSMIL_DIR_TO_DEVICE", ioc(fd, DSMIL_IOC_DMA_XFER, &x), 0);
	memset(buf, 0, 16);
	x.dir = DSMIL_DIR_FROM_DEVICE;
	expect("DMA_XFER DSMIL_DIR_FROM_DEVICE", ioc(fd, DSMIL_IOC_DMA_XFER, &x), 0);
	check(!memcmp(buf, "uapi-1.1 to dev!", 16), "DSMIL_DIR_FROM_DEVICE: data lost");
	memset(buf, 0, 16);
	x.dir = DSMIL_XFER_FROM_DEVICE;		/* the 1.0 value, 1 */
	expect("DMA_XFER 1.0 FROM_DEVICE", ioc(fd, DSMIL_IOC_DMA_XFER, &x), 0);
	check(!memcmp(buf, "uapi-1.1 to dev!", 16), "1.0 FROM_DEVICE: data lost");
	x.dir = DSMIL_DIR_BIDIRECTIONAL;
	expect("DMA_XFER DSMIL_DIR_BIDIRECTIONAL", ioc(fd, DSMIL_IOC_DMA_XFER, &x), EINVAL);

	/* DMA_QUERY: 1.1 directions, segments with a 32-byte stride. */
	memset(page + 1024, 0xff, 256);
	q.handle = l.handle;
	q.max_segments = 1;
	q.segments = (uintptr_t)(page + 1024);
	q.entry_size = 32;
	q.flags = DSMIL_QUERY_DIR;
	expect("DMA_QUERY entry_size 32", ioc(fd, DSMIL_IOC_DMA_QUERY, &q), 0);
	check(q.dir == DSMIL_DIR_BIDIRECTIONAL, "DMA_QUERY dir %u, want %u", q.dir,
	      DSMIL_DIR_BIDIRECTIONAL);
	check(((struct dsmil_dma_segment_entry *)(page + 1024))->length == PAGE &&
	      page[1024 + 16] == 0 && page[1024 + 31] == 0 &&
	      page[1024 + 32] == 0xff, "DMA_QUERY stride 32: length %llu, tail %#x %#x",
	      (unsigned long long)((struct dsmil_dma_segment_entry *)(page + 1024))->length,
	      page[1024 + 16], page[1024 + 32]);
	q.entry_size = 8;
	expect("DMA_QUERY entry_size 8", ioc(fd, DSMIL_IOC_DMA_QUERY, &q), EINVAL);
	{
		struct dsmil_dma_query_args q0 = { .size = DSMIL_DMA_QUERY_SIZE_VER0,
						   .handle = l.handle };

		expect("DMA_QUERY 1.0", ioc(fd, DSMIL_IOC_DMA_QUERY, &q0), 0);
		check(q0.dir == DSMIL_LOCK_BIDIRECTIONAL,
		      "DMA_QUERY for a 1.0 caller: dir %u", q0.dir);
		q0.size = sizeof(q0);
		expect("DMA_QUERY 1.1 without DSMIL_QUERY_DIR",
		       ioc(fd, DSMIL_IOC_DMA_QUERY, &q0), 0);
		check(q0.dir == DSMIL_LOCK_BIDIRECTIONAL,
		      "DMA_QUERY without DSMIL_QUERY_DIR: dir %u", q0.dir);
	}
	h.handle = l.handle;
	expect("DMA_UNLOCK", ioc(fd, DSMIL_IOC_DMA_UNLOCK, &h), 0);
	check(dma_handles() == 0, "DMA locks left");
}

int main(void)
{
	size_t i;

	atexit(fe_cleanup);
	if (sh("modprobe dsmil_core backend=emu && modprobe dsmil")) {
		printf("FAIL: cannot load the stack\n");
		return 1;
	}
	page = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = open("/dev/dsmil/ctl", O_RDWR);
	if (page == MAP_FAILED || ro_page == MAP_FAILED || fd < 0 ||
	    mprotect(page + PAGE, PAGE, PROT_NONE)) {
		printf("FAIL: setup: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		test_conventions(&cmds[i]);
	test_nothing_changes();
	test_other_checks();
	test_uapi_1_1();
	close(fd);
	check(!sh(FE_UNLOAD), "unload the stack");
	return done();
}
