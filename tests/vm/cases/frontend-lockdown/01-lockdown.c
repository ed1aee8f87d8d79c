// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel lockdown (integrity) refuses raw register writes (ioctl, write()
 * to a device node, opening one for writing, writable mmap), token writes
 * and DMA (locking a buffer, moving a locked one) with EPERM, as it refuses
 * /dev/mem, and dsmilctl names the cause; reads go on, a lock taken before
 * can still be unlocked, and nothing changes.
 *
 * Lockdown cannot be lowered once raised, and a kernel booted with
 * lockdown=integrity refuses the suite's unsigned modules.  So this case
 * loads the suite on the platform backend (mappable windows), then raises
 * lockdown itself, as the last case of its guest: the harness takes it
 * after every other case and tells the last one so (DSMIL_LAST_CASE=1,
 * tests/vm/run).  Anywhere else it skips.
 *
 * dsmil-last: raises kernel lockdown, which no later case could lower
 * dsmil-matrix: lockdown
 *
 * Lockdown is also checked at the point of use: a token write that passed
 * the checks at its entry and is still waiting behind a slow batch of
 * reads when lockdown is raised is refused when its turn comes, and the
 * token keeps its value (it would be written if only the entry checked).
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>

#include "../frontend/fe-case.h"

#define LOCKDOWN	"/sys/kernel/security/lockdown"
#define NODE		"/dev/dsmil/dsmil0:g0d00"
#define TOKEN		0x8001

static int read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* What the two children of the queued-write check report. */
struct queued {
	uint64_t batch_end, write_start, write_end;
	int batch_err, write_err;
};

/*
 * A batch of 16 token reads, 100 ms each in the emu transport (inside
 * timeout_ms, 200 ms here, so that nobody times out), 1.6 s in all,
 * holds the service; a token write
 * of 0x44 queues behind it.  Returns once both run; the caller raises
 * lockdown while the write waits and reaps them with queued_wait().
 */
static void queued_start(struct queued *q, pid_t *pids, int ctl)
{
	struct dsmil_token_op ops[16];
	struct dsmil_batch_args b = { .size = sizeof(b), .count = 16,
				      .ops = (uintptr_t)ops };
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN,
				      .value = 0x44 };
	int i;

	for (i = 0; i < 16; i++)
		ops[i] = (struct dsmil_token_op){ .token = TOKEN, .op = DSMIL_OP_READ };
	check(!sh("cd /sys/module/dsmil_smi/parameters && echo 200 > timeout_ms && echo 100000 > emu_latency_us"),
	      "timeout_ms, emu_latency_us");
	pids[0] = fork();
	if (pids[0] == 0) {
		q->batch_err = ioc(ctl, DSMIL_IOC_TOKEN_BATCH, &b);
		q->batch_end = now_ns();
		_exit(0);
	}
	usleep(200000);
	pids[1] = fork();
	if (pids[1] == 0) {
		q->write_start = now_ns();
		q->write_err = ioc(ctl, DSMIL_IOC_TOKEN_WRITE, &t);
		q->write_end = now_ns();
		_exit(0);
	}
	usleep(300000);
}

static void queued_wait(struct queued *q, const pid_t *pids,
			uint64_t raised)
{
	waitpid(pids[0], NULL, 0);
	waitpid(pids[1], NULL, 0);
	sh("cd /sys/module/dsmil_smi/parameters && echo 0 > emu_latency_us && echo 100 > timeout_ms");
	expect("the batch of reads the write waits behind", q->batch_err, 0);
	/* (the two children may return in either order once the batch ends) */
	check(q->write_start && q->write_start < raised && q->write_end > raised &&
	      q->batch_end > raised,
	      "the write did not wait across the raise (write %llu..%llu, raised %llu, batch done %llu)",
	      (unsigned long long)q->write_start, (unsigned long long)q->write_end,
	      (unsigned long long)raised, (unsigned long long)q->batch_end);
	expect("TOKEN_WRITE queued before lockdown, done after", q->write_err, EPERM);
}

/* dsmilctl with @args: its exit status and its stderr in @err. */
static int dsmilctl(char *err, size_t len, const char *args)
{
	const char *src = getenv("DSMIL_SRC");
	char path[256];
	int rc;

	snprintf(path, sizeof(path), "%s/lockdown.err", getenv("DSMIL_TMP"));
	rc = sh("%s/build/tools/dsmilctl %s >/dev/null 2>%s", src, args, path);
	if (read_file(path, err, len))
		err[0] = '\0';
	return WEXITSTATUS(rc);
}

int main(void)
{
	const char *base = getenv("DSMIL_RESERVED_BASE");
	const char *size = getenv("DSMIL_RESERVED_SIZE");
	struct dsmil_reg_op rop = { .token = 0x8000, .op = DSMIL_OP_WRITE, .offset = 0x0c, .value = 2 };
	struct dsmil_token_op top = { .token = TOKEN, .op = DSMIL_OP_WRITE, .value = 2 };
	struct dsmil_reg_args r = { .size = sizeof(r), .token = 0x8000, .offset = 0x0c, .value = 0x1111 };
	struct dsmil_token_args t = { .size = sizeof(t), .token = TOKEN, .value = 0x11 };
	struct dsmil_unlock_args u = { .size = sizeof(u) };
	struct dsmil_batch_args b = { .size = sizeof(b), .count = 1 };
	struct dsmil_stats_args st = { .size = sizeof(st) };
	struct dsmil_dma_lock_args dl = { .size = sizeof(dl), .length = 4096,
					  .dir = DSMIL_LOCK_BIDIRECTIONAL, .token = 0x8000 };
	struct dsmil_dma_xfer_args dx = { .size = sizeof(dx), .length = 64,
					  .dir = DSMIL_XFER_TO_DEVICE };
	struct dsmil_dma_handle_args dh = { .size = sizeof(dh) };
	uint32_t before_handle;
	void *dbuf;
	char state[128], err[256];
	const char *last;
	volatile uint32_t *m;
	struct queued *q;
	uint64_t raised;
	uint32_t v = 0;
	int ctl, fd, rc, lfd;
	pid_t pids[2];

	/* The guest's init does not mount securityfs. */
	sh("mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security");
	if (read_file(LOCKDOWN, state, sizeof(state))) {
		printf("SKIP: the kernel has no lockdown LSM (%s)\n", LOCKDOWN);
		return 77;
	}
	last = getenv("DSMIL_LAST_CASE");
	if (strstr(state, "[none]") && (!last || strcmp(last, "1"))) {
		printf("SKIP: not the last case of its guest (DSMIL_LAST_CASE, tests/vm/run): lockdown cannot be lowered\n");
		return 77;
	}
	atexit(fe_cleanup);
	if (!base || !size ||
	    sh("modprobe dsmil_core backend=platform mmio_base=%s mmio_size=%s && modprobe dsmil",
	       base, size)) {
		if (!strstr(state, "[none]")) {
			printf("SKIP: booted locked down (%s): the suite's modules are not signed\n",
			       state);
			return 77;
		}
		printf("FAIL: cannot load the stack\n");
		return 1;
	}
	ctl = open(FE_CTL, O_RDWR);
	check(ctl >= 0, "open ctl: %s", strerror(errno));
	expect("UNLOCK", ioc(ctl, DSMIL_IOC_UNLOCK, &u), 0);
	expect("REG_WRITE before lockdown", ioc(ctl, DSMIL_IOC_REG_WRITE, &r), 0);
	expect("TOKEN_WRITE before lockdown", ioc(ctl, DSMIL_IOC_TOKEN_WRITE, &t), 0);
	dbuf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(dbuf != MAP_FAILED, "buffer: %s", strerror(errno));
	memset(dbuf, 0x5a, 4096);
	dl.addr = (uintptr_t)dbuf;
	expect("DMA_LOCK before lockdown", ioc(ctl, DSMIL_IOC_DMA_LOCK, &dl), 0);
	before_handle = dl.handle;
	/* The platform backend has no DMA engine: what lockdown must not hide. */
	dx.handle = before_handle;
	expect("DMA_XFER before lockdown", ioc(ctl, DSMIL_IOC_DMA_XFER, &dx), EOPNOTSUPP);
	q = mmap(NULL, sizeof(*q), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	check(q != MAP_FAILED, "shared page: %s", strerror(errno));
	memset(q, 0, sizeof(*q));
	if (strstr(state, "[none]")) {
		/* Raised by a write(2) of our own: no fork in the window. */
		lfd = open(LOCKDOWN, O_WRONLY);
		check(lfd >= 0, "open %s: %s", LOCKDOWN, strerror(errno));
		queued_start(q, pids, ctl);
		raised = now_ns();
		check(write(lfd, "integrity", 9) == 9, "raise lockdown: %s",
		      strerror(errno));
		close(lfd);
		queued_wait(q, pids, raised);
	}
	read_file(LOCKDOWN, state, sizeof(state));
	check(strstr(state, "[integrity]") != NULL, "lockdown: %s", state);

	r.value = 0x2222;
	expect("REG_WRITE", ioc(ctl, DSMIL_IOC_REG_WRITE, &r), EPERM);
	b.ops = (uintptr_t)&rop;
	expect("REG_BATCH with a write", ioc(ctl, DSMIL_IOC_REG_BATCH, &b), EPERM);
	t.value = 0x22;
	expect("TOKEN_WRITE", ioc(ctl, DSMIL_IOC_TOKEN_WRITE, &t), EPERM);
	b.ops = (uintptr_t)&top;
	expect("TOKEN_BATCH with a write", ioc(ctl, DSMIL_IOC_TOKEN_BATCH, &b), EPERM);
	dl.handle = 0;
	expect("DMA_LOCK", ioc(ctl, DSMIL_IOC_DMA_LOCK, &dl), EPERM);
	check(dl.handle == 0, "DMA_LOCK under lockdown returned handle %u", dl.handle);
	expect("DMA_XFER to the device", ioc(ctl, DSMIL_IOC_DMA_XFER, &dx), EPERM);
	dx.dir = DSMIL_XFER_FROM_DEVICE;
	expect("DMA_XFER from the device", ioc(ctl, DSMIL_IOC_DMA_XFER, &dx), EPERM);
	dh.handle = before_handle;
	expect("DMA_UNLOCK of the lock taken before", ioc(ctl, DSMIL_IOC_DMA_UNLOCK, &dh), 0);
	check(open(NODE, O_RDWR) < 0 && errno == EPERM,
	      "device node opened for writing: %s", strerror(errno));

	fd = open(NODE, O_RDONLY);
	check(fd >= 0 && pread(fd, &v, 4, 0x0c) == 4 && v == 0x1111,
	      "read of the node: 0x%x", v);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED && m[3] == 0x1111, "read-only mapping");
	r.value = 0;
	expect("REG_READ", ioc(ctl, DSMIL_IOC_REG_READ, &r), 0);
	check(r.value == 0x1111, "the register changed: 0x%x", r.value);
	t.value = 0;
	expect("TOKEN_READ", ioc(ctl, DSMIL_IOC_TOKEN_READ, &t), 0);
	check(t.value == 0x11, "the token changed: 0x%x", t.value);

	rc = dsmilctl(err, sizeof(err), "write g0d00 0x0c 3");
	check(rc == 4 && !strcmp(err, "dsmilctl: dsmil0:g0d00: offset 0xc: write refused: kernel lockdown"),
	      "dsmilctl write: %d '%s'", rc, err);
	rc = dsmilctl(err, sizeof(err), "token write 0x8001 3");
	check(rc == 4 && !strcmp(err, "dsmilctl: token 0x8001: write refused: kernel lockdown"),
	      "dsmilctl token write: %d '%s'", rc, err);

	rc = dsmilctl(err, sizeof(err), "dma test");
	check(rc == 4 && !strcmp(err, "dsmilctl: dma lock: 2048 bytes: kernel lockdown"),
	      "dsmilctl dma test: %d '%s'", rc, err);

	expect("STATS", ioc(ctl, DSMIL_IOC_STATS, &st), 0);
	check(st.refused_lockdown >= 10, "refused_lockdown %llu",
	      (unsigned long long)st.refused_lockdown);
	check(st.dma_handles == 0, "locks left: %llu", (unsigned long long)st.dma_handles);
	munmap(dbuf, 4096);
	if (m != MAP_FAILED)
		munmap((void *)m, 4096);
	close(fd);
	close(ctl);
	check(!sh(FE_UNLOAD), "unload under lockdown");
	return done();
}
