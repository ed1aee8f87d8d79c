// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection into the main operations, the whole stack loaded (emu
 * backend, default layout): open of /dev/dsmil/ctl and of a device node,
 * pread of a register, the ioctls of device lists, registers and register
 * batches, SMI tokens (read, write, batch, unlock), DMA locks (lock,
 * query, transfer, unlock) and claims.  Every allocation of each call
 * fails in turn: the call succeeds or fails with ENOMEM (EFAULT where a
 * page of the user buffer could not be pinned) and holds nothing it
 * should not; afterwards the stack unloads.  A TOKEN_BATCH whose request
 * could not be allocated fails with ENOMEM: it does not "succeed" with
 * every op -ECANCELED.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "faultinj.h"
#include "../../../../modules/include/uapi/linux/dsmil.h"

#define CTL	"/dev/dsmil/ctl"
#define NODE	"/dev/dsmil/dsmil0:g0d00"
#define TOKEN	0x8000
#define BUF_LEN	(64 * 1024)

static int ctl, node;
static unsigned char *buf;
static __u32 handle;

typedef int (*op_fn)(void);

static int ioc(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static struct dsmil_stats_args stats(void)
{
	struct dsmil_stats_args s = { .size = sizeof(s) };

	if (ioc(ctl, DSMIL_IOC_STATS, &s))
		fi_die("DSMIL_IOC_STATS: %s", strerror(errno));
	return s;
}

/* DMA locks held between the sweeps' calls. */
static unsigned int held;

/*
 * Run @op with allocation 1, 2, ... failing until it no longer reaches
 * the failing one; @prep (if any) runs before each call, without failing
 * allocations, and @undo (if any) undoes a success.  @extra is an errno
 * the op may fail with besides ENOMEM (0: none; -1: not even ENOMEM, the
 * op may not fail).
 */
static void sweep(const char *name, op_fn prep, op_fn op, op_fn undo,
		  int extra)
{
	unsigned int nth, left, ok = 0, nomem = 0, other = 0;
	int err;

	for (nth = 1; nth <= FI_MAX_NTH; nth++) {
		if (prep && prep())
			fi_die("%s: preparing: %s", name, strerror(errno));
		fi_set_nth(nth);
		err = op();
		left = fi_left();
		fi_set_nth(0);
		if (!err && undo && undo())
			check(0, "%s: undo after allocation %u failing: %s",
				 name, nth, strerror(errno));
		if (left) {
			check(!err, "%s without a failure: %s", name,
				 strerror(err));
			break;
		}
		if (!err)
			ok++;
		else if (err == ENOMEM)
			nomem++;
		else
			other++;
		check(!err || (extra >= 0 && err == ENOMEM) ||
			 (extra > 0 && err == extra),
			 "%s, allocation %u failing: %s", name, nth, strerror(err));
		check(stats().dma_handles == held,
			 "%s, allocation %u failing: %llu DMA locks held, expected %u",
			 name, nth, (unsigned long long)stats().dma_handles, held);
	}
	check(nth <= FI_MAX_NTH, "%s: more than %d allocations", name,
		 FI_MAX_NTH);
	printf("# %s: %u allocations: %u survived, %u ENOMEM, %u other\n",
	       name, nth - 1, ok, nomem, other);
}

static int op_open_ctl(void)
{
	int fd = open(CTL, O_RDWR);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int op_open_node(void)
{
	int fd = open(NODE, O_RDWR);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int op_pread(void)
{
	__u32 v;

	return pread(node, &v, 4, 0) == 4 ? 0 : errno;
}

static int op_info(void)
{
	struct dsmil_info_args a = { .size = sizeof(a) };

	return ioc(ctl, DSMIL_IOC_INFO, &a);
}

static int op_dev_list(void)
{
	static struct dsmil_dev_entry e[128];
	struct dsmil_dev_list_args a = {
		.size = sizeof(a), .count = 128, .entry_size = sizeof(e[0]),
		.entries = (__u64)(unsigned long)e,
	};

	return ioc(ctl, DSMIL_IOC_DEV_LIST, &a);
}

static int op_reg_write(void)
{
	struct dsmil_reg_args a = {
		.size = sizeof(a), .token = TOKEN, .offset = 0x10, .value = 0x5a,
	};

	return ioc(ctl, DSMIL_IOC_REG_WRITE, &a);
}

static int op_reg_batch(void)
{
	static struct dsmil_reg_op ops[256];
	struct dsmil_batch_args a = {
		.size = sizeof(a), .count = 256, .ops = (__u64)(unsigned long)ops,
	};
	unsigned int i;

	for (i = 0; i < 256; i++) {
		ops[i].token = TOKEN + i % 8;
		ops[i].op = i % 2 ? DSMIL_OP_WRITE : DSMIL_OP_READ;
		ops[i].offset = 4 * (i % 16);
		ops[i].value = i;
	}
	return ioc(ctl, DSMIL_IOC_REG_BATCH, &a);
}

static int op_token_read(void)
{
	struct dsmil_token_args a = { .size = sizeof(a), .token = TOKEN };

	return ioc(ctl, DSMIL_IOC_TOKEN_READ, &a);
}

static int op_token_write(void)
{
	struct dsmil_token_args a = { .size = sizeof(a), .token = TOKEN, .value = 7 };

	return ioc(ctl, DSMIL_IOC_TOKEN_WRITE, &a);
}

static int op_token_batch(void)
{
	struct dsmil_token_op ops[DSMIL_TOKEN_BATCH_MAX] = {};
	struct dsmil_batch_args a = {
		.size = sizeof(a), .count = DSMIL_TOKEN_BATCH_MAX,
		.ops = (__u64)(unsigned long)ops,
	};
	unsigned int i;
	int err;

	for (i = 0; i < DSMIL_TOKEN_BATCH_MAX; i++) {
		ops[i].token = TOKEN + i % 8;
		ops[i].op = i % 2 ? DSMIL_OP_WRITE : DSMIL_OP_READ;
		ops[i].value = i;
	}
	err = ioc(ctl, DSMIL_IOC_TOKEN_BATCH, &a);
	if (err)
		return err;
	/*
	 * A batch that "succeeded" with no op attempted (every result
	 * -ECANCELED) hid a failure of its own: it must fail with ENOMEM.
	 */
	return a.done ? 0 : ECANCELED;
}

static int op_unlock(void)
{
	struct dsmil_unlock_args a = { .size = sizeof(a), .group = 0, .seconds = 60 };

	return ioc(ctl, DSMIL_IOC_UNLOCK, &a);
}

static int op_relock(void)
{
	struct dsmil_unlock_args a = { .size = sizeof(a), .group = 0 };

	return ioc(ctl, DSMIL_IOC_RELOCK, &a);
}

static int op_dma_lock(void)
{
	struct dsmil_dma_lock_args a = {
		.size = sizeof(a), .addr = (__u64)(unsigned long)buf,
		.length = BUF_LEN, .dir = DSMIL_LOCK_BIDIRECTIONAL, .token = TOKEN,
	};
	int err = ioc(ctl, DSMIL_IOC_DMA_LOCK, &a);

	if (!err)
		handle = a.handle;
	return err;
}

static int op_dma_unlock(void)
{
	struct dsmil_dma_handle_args a = { .size = sizeof(a), .handle = handle };

	return ioc(ctl, DSMIL_IOC_DMA_UNLOCK, &a);
}

static int op_dma_query(void)
{
	struct dsmil_dma_segment_entry segs[32];
	struct dsmil_dma_query_args a = {
		.size = sizeof(a), .handle = handle, .max_segments = 32,
		.segments = (__u64)(unsigned long)segs,
	};

	return ioc(ctl, DSMIL_IOC_DMA_QUERY, &a);
}

static int op_dma_xfer(void)
{
	struct dsmil_dma_xfer_args a = {
		.size = sizeof(a), .handle = handle, .dir = DSMIL_XFER_TO_DEVICE,
		.offset = 4096, .length = 4096,
	};
	int err = ioc(ctl, DSMIL_IOC_DMA_XFER, &a);

	if (err)
		return err;
	a.dir = DSMIL_XFER_FROM_DEVICE;
	return ioc(ctl, DSMIL_IOC_DMA_XFER, &a);
}

static int op_dma_claim(void)
{
	struct dsmil_dma_claim_args a = {
		.size = sizeof(a), .token = TOKEN, .mode = DSMIL_CLAIM_EXCLUSIVE,
		.flags = DSMIL_CLAIM_NONBLOCK,
	};

	return ioc(ctl, DSMIL_IOC_DMA_CLAIM, &a);
}

static int op_dma_release(void)
{
	struct dsmil_dma_claim_args a = { .size = sizeof(a), .token = TOKEN };

	return ioc(ctl, DSMIL_IOC_DMA_RELEASE, &a);
}

static void unload_all(void)
{
	fi_sh("rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core 2>/dev/null");
}

int main(void)
{
	struct stat st;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fi_setup();
	atexit(unload_all);
	/* No rate limit: the sweeps make many token calls in a row. */
	if (fi_sh("modprobe dsmil_core backend=emu && modprobe dsmil_smi max_calls_per_sec=0 && modprobe dsmil"))
		fi_die("modprobe of the stack failed");
	fi_check_area("dsmil");
	/* The nodes appear from a work item. */
	for (i = 0; i < 100 && stat(NODE, &st); i++)
		usleep(100000);
	ctl = open(CTL, O_RDWR);
	node = open(NODE, O_RDWR);
	if (ctl < 0 || node < 0)
		fi_die("cannot open %s and %s: %s", CTL, NODE, strerror(errno));
	buf = mmap(NULL, BUF_LEN, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (buf == MAP_FAILED)
		fi_die("mmap: %s", strerror(errno));
	memset(buf, 0xd5, BUF_LEN);

	sweep("open " CTL, NULL, op_open_ctl, NULL, 0);
	sweep("open " NODE, NULL, op_open_node, NULL, 0);
	sweep("pread " NODE, NULL, op_pread, NULL, 0);
	sweep("DSMIL_IOC_INFO", NULL, op_info, NULL, 0);
	sweep("DSMIL_IOC_DEV_LIST", NULL, op_dev_list, NULL, 0);
	sweep("DSMIL_IOC_REG_WRITE", NULL, op_reg_write, NULL, 0);
	sweep("DSMIL_IOC_REG_BATCH", NULL, op_reg_batch, NULL, 0);
	sweep("DSMIL_IOC_TOKEN_READ", NULL, op_token_read, NULL, 0);
	sweep("DSMIL_IOC_UNLOCK", NULL, op_unlock, op_relock, 0);
	sweep("DSMIL_IOC_TOKEN_WRITE", op_unlock, op_token_write, NULL, 0);
	sweep("DSMIL_IOC_TOKEN_BATCH", op_unlock, op_token_batch, NULL, 0);
	sweep("DSMIL_IOC_RELOCK", op_unlock, op_relock, NULL, -1);
	sweep("DSMIL_IOC_DMA_CLAIM", NULL, op_dma_claim, op_dma_release, 0);
	sweep("DSMIL_IOC_DMA_RELEASE", op_dma_claim, op_dma_release, NULL, -1);
	sweep("DSMIL_IOC_DMA_LOCK", NULL, op_dma_lock, op_dma_unlock, EFAULT);
	sweep("DSMIL_IOC_DMA_UNLOCK", op_dma_lock, op_dma_unlock, NULL, -1);

	/* Operations on a held lock. */
	if (op_dma_lock())
		fi_die("DSMIL_IOC_DMA_LOCK: %s", strerror(errno));
	held = 1;
	sweep("DSMIL_IOC_DMA_QUERY", NULL, op_dma_query, NULL, 0);
	sweep("DSMIL_IOC_DMA_XFER", NULL, op_dma_xfer, NULL, 0);
	if (op_dma_unlock())
		fi_die("DSMIL_IOC_DMA_UNLOCK: %s", strerror(errno));
	held = 0;

	close(node);
	close(ctl);
	check(!fi_sh("rmmod dsmil dsmil_dmalock dsmil_smi dsmil_core"),
		 "the stack does not unload after the operations");
	return failures ? 1 : 0;
}
