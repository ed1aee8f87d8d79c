// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what, raw: with world-writable nodes, an unprivileged user
 * (nobody:nogroup, no groups) gets every read-only command and is refused
 * every privileged one with EPERM (registers and DMA: CAP_SYS_RAWIO;
 * tokens, unlock, relock: CAP_SYS_ADMIN; VERIFY, which calls the
 * transport without reading anything: CAP_SYS_RAWIO), also opening a
 * device node for writing.  Root through a ctl file opened read-only gets
 * EBADF, but VERIFY, which changes nothing, works there.  Nothing changes.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fe-case.h"
#include "../unpriv.h"

#define TOKEN	0x8000
#define SCRATCH	0x0c

static void privileged(int fd, int want, const char *who)
{
	struct dsmil_reg_op rop = { .token = TOKEN, .op = DSMIL_OP_WRITE, .offset = SCRATCH, .value = 9 };
	struct dsmil_token_op top = { .token = TOKEN, .op = DSMIL_OP_WRITE, .value = 9 };
	struct dsmil_reg_args r = { .size = sizeof(r), .token = TOKEN, .offset = SCRATCH, .value = 9 };
	struct dsmil_batch_args rb = { .size = sizeof(rb), .count = 1, .ops = (uintptr_t)&rop };
	struct dsmil_batch_args tb = { .size = sizeof(tb), .count = 1, .ops = (uintptr_t)&top };
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN, .value = 9 };
	struct dsmil_unlock_args u = { .size = sizeof(u) };
	struct dsmil_unlock_args rl = { .size = sizeof(rl), .flags = DSMIL_RELOCK_ALL };
	static uint8_t buf[8192] __attribute__((aligned(4096)));
	struct dsmil_dma_lock_args l = { .size = sizeof(l), .addr = (uintptr_t)buf,
					 .length = 4096, .dir = DSMIL_LOCK_BIDIRECTIONAL,
					 .token = TOKEN };
	struct dsmil_dma_xfer_args x = { .size = sizeof(x), .handle = 1, .length = 16 };
	struct dsmil_dma_claim_args c = { .size = sizeof(c), .token = TOKEN,
					  .mode = DSMIL_CLAIM_EXCLUSIVE };
	char what[64];

#define P(name, cmd, arg) \
	(snprintf(what, sizeof(what), "%s: " name, who), expect(what, ioc(fd, cmd, arg), want))
	P("REG_WRITE", DSMIL_IOC_REG_WRITE, &r);
	P("REG_BATCH with a write", DSMIL_IOC_REG_BATCH, &rb);
	P("TOKEN_WRITE", DSMIL_IOC_TOKEN_WRITE, &t);
	P("TOKEN_BATCH with a write", DSMIL_IOC_TOKEN_BATCH, &tb);
	P("UNLOCK", DSMIL_IOC_UNLOCK, &u);
	P("RELOCK", DSMIL_IOC_RELOCK, &rl);
	P("DMA_LOCK", DSMIL_IOC_DMA_LOCK, &l);
	P("DMA_XFER", DSMIL_IOC_DMA_XFER, &x);
	P("DMA_CLAIM", DSMIL_IOC_DMA_CLAIM, &c);
#undef P
}

static void unprivileged(int fd, const char *who)
{
	struct dsmil_reg_op rop = { .token = TOKEN, .offset = SCRATCH };
	struct dsmil_token_op top = { .token = TOKEN };
	struct dsmil_info_args i = { .size = sizeof(i) };
	struct dsmil_dev_list_args dl = { .size = sizeof(dl), .entry_size = sizeof(struct dsmil_dev_entry) };
	struct dsmil_reg_args r = { .size = sizeof(r), .token = TOKEN, .offset = SCRATCH };
	struct dsmil_batch_args rb = { .size = sizeof(rb), .count = 1, .ops = (uintptr_t)&rop };
	struct dsmil_batch_args tb = { .size = sizeof(tb), .count = 1, .ops = (uintptr_t)&top };
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN };
	struct dsmil_token_info_args ti = { .size = sizeof(ti), .token = TOKEN };
	struct dsmil_thermal_args th = { .size = sizeof(th) };
	struct dsmil_stats_args st = { .size = sizeof(st) };
	struct dsmil_dma_handle_args h = { .size = sizeof(h), .handle = 7 };
	struct dsmil_dma_sync_args sy = { .size = sizeof(sy), .handle = 7 };
	struct dsmil_dma_query_args q = { .size = sizeof(q), .handle = 7 };
	struct dsmil_dma_claim_args c = { .size = sizeof(c), .token = TOKEN };
	char what[64], ev[32];

#define U(name, cmd, arg, want) \
	(snprintf(what, sizeof(what), "%s: " name, who), expect(what, ioc(fd, cmd, arg), want))
	U("INFO", DSMIL_IOC_INFO, &i, 0);
	U("DEV_LIST", DSMIL_IOC_DEV_LIST, &dl, 0);
	U("REG_READ", DSMIL_IOC_REG_READ, &r, 0);
	U("REG_BATCH of reads", DSMIL_IOC_REG_BATCH, &rb, 0);
	U("TOKEN_READ", DSMIL_IOC_TOKEN_READ, &t, 0);
	U("TOKEN_BATCH of reads", DSMIL_IOC_TOKEN_BATCH, &tb, 0);
	U("TOKEN_INFO", DSMIL_IOC_TOKEN_INFO, &ti, 0);
	U("THERMAL", DSMIL_IOC_THERMAL, &th, 0);
	U("STATS", DSMIL_IOC_STATS, &st, 0);
	/* Only the file's own handles and claims: there are none. */
	U("DMA_UNLOCK", DSMIL_IOC_DMA_UNLOCK, &h, ENOENT);
	U("DMA_SYNC", DSMIL_IOC_DMA_SYNC, &sy, ENOENT);
	U("DMA_QUERY", DSMIL_IOC_DMA_QUERY, &q, ENOENT);
	U("DMA_RELEASE", DSMIL_IOC_DMA_RELEASE, &c, ENOENT);
#undef U
	check(rop.result == 0 && top.result == 0, "%s: batch results %d %d", who,
	      rop.result, top.result);
	check(read(fd, ev, sizeof(ev)) < 0 && errno == EAGAIN, "%s: event read", who);
}

static uint32_t scratch(int fd)
{
	struct dsmil_reg_args r = { .size = sizeof(r), .token = TOKEN, .offset = SCRATCH };

	expect("REG_READ", ioc(fd, DSMIL_IOC_REG_READ, &r), 0);
	return r.value;
}

int main(void)
{
	struct dsmil_stats_args st = { .size = sizeof(st) };
	struct dsmil_token_info_args ti = { .size = sizeof(ti), .token = TOKEN };
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN };
	struct dsmil_verify_args v = { .size = sizeof(v) };
	uint32_t before, tok;
	int root, ro, fd, status;
	pid_t pid;

	atexit(fe_cleanup);
	if (sh("modprobe dsmil_core backend=emu && modprobe dsmil && chmod 0666 /dev/dsmil/*")) {
		printf("FAIL: cannot load the stack\n");
		return 1;
	}
	root = open(FE_CTL, O_RDWR);
	check(root >= 0, "open ctl: %s", strerror(errno));
	before = scratch(root);
	expect("TOKEN_READ", ioc(root, DSMIL_IOC_TOKEN_READ, &t), 0);
	tok = t.value;

	pid = fork();
	if (pid == 0) {
		if (unpriv_become()) {
			printf("FAIL: cannot become nobody: %s\n", strerror(errno));
			_exit(1);
		}
		/* the refusals below are the frontend's, not the path walk's */
		if (!unpriv_reach("/dev/dsmil"))
			_exit(1);
		fd = open(FE_CTL, O_RDWR | O_NONBLOCK);
		check(fd >= 0, "nobody: open ctl: %s", strerror(errno));
		privileged(fd, EPERM, "nobody");
		expect("nobody: VERIFY", ioc(fd, DSMIL_IOC_VERIFY, &v), EPERM);
		unprivileged(fd, "nobody");
		check(open("/dev/dsmil/dsmil0:g0d00", O_RDWR) < 0 && errno == EPERM,
		      "nobody: device node opened for writing: %s", strerror(errno));
		fd = open("/dev/dsmil/dsmil0:g0d00", O_RDONLY);
		check(fd >= 0, "nobody: device node opened for reading: %s", strerror(errno));
		_exit(failures ? 1 : 0);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status), "the unprivileged child failed");

	/* Root, through a file opened read-only. */
	ro = open(FE_CTL, O_RDONLY | O_NONBLOCK);
	privileged(ro, EBADF, "root, read-only file");
	expect("root, read-only file: VERIFY", ioc(ro, DSMIL_IOC_VERIFY, &v), 0);
	unprivileged(ro, "root, read-only file");
	close(ro);

	check(scratch(root) == before, "the register changed");
	expect("TOKEN_READ", ioc(root, DSMIL_IOC_TOKEN_READ, &t), 0);
	check(t.value == tok, "the token changed");
	expect("TOKEN_INFO", ioc(root, DSMIL_IOC_TOKEN_INFO, &ti), 0);
	check(!(ti.token_flags & DSMIL_TOKEN_UNLOCKED), "group 0 was unlocked");
	expect("STATS", ioc(root, DSMIL_IOC_STATS, &st), 0);
	check(st.dma_handles == 0, "%llu DMA locks", (unsigned long long)st.dma_handles);
	check(st.refused_perm >= 11, "refused_perm %llu", (unsigned long long)st.refused_perm);
	close(root);
	check(!sh(FE_UNLOAD), "unload");
	return done();
}
