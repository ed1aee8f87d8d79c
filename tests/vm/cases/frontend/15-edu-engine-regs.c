// SPDX-License-Identifier: GPL-2.0
/*
 * The window of device (0, 0) on the pci backend holds QEMU edu's own
 * registers, among them its DMA engine (source, destination, count and
 * command, 0x80-0x9f) and its interrupt raise/ack registers (0x60, 0x64),
 * which the core drives for every transfer.  Userspace cannot write them:
 * REG_WRITE, a REG_BATCH op and pwrite() of the node fail with EACCES, a
 * writable mmap of that window with EACCES (read-only works), and the
 * other registers of the window and the other devices' windows stay
 * writable; DMA through the engine still works afterwards.
 */
#include <sys/mman.h>

#include "fe-case.h"

#define NODE	"/dev/dsmil/dsmil0:g0d00"
#define NODE1	"/dev/dsmil/dsmil0:g0d01"
#define EDU_ID	0x010000ed

static int reg_write(int ctl, uint32_t off, uint32_t val)
{
	struct dsmil_reg_args r = { .size = sizeof(r), .token = 0x8000,
				    .offset = off, .value = val };

	return ioc(ctl, DSMIL_IOC_REG_WRITE, &r);
}

int main(void)
{
	static const uint32_t engine[] = { 0x60, 0x64, 0x80, 0x84, 0x88, 0x8c,
					   0x90, 0x94, 0x98, 0x9c };
	struct dsmil_reg_op op = { .token = 0x8000, .op = DSMIL_OP_WRITE, .offset = 0x80 };
	struct dsmil_batch_args b = { .size = sizeof(b), .count = 1, .ops = (uintptr_t)&op };
	struct dsmil_reg_args r = { .size = sizeof(r), .token = 0x8000, .offset = 0x04 };
	const char *bdf = getenv("DSMIL_EDU_BDF");
	uint32_t v = 0;
	unsigned int i;
	void *m;
	int ctl, fd, fd1;

	if (!bdf || !*bdf) {
		printf("SKIP: no edu device in this VM\n");
		return 77;
	}
	atexit(fe_cleanup);
	check(!sh("modprobe dsmil_core backend=pci && modprobe dsmil"), "load the stack");
	ctl = open(FE_CTL, O_RDWR);
	fd = open(NODE, O_RDWR);
	fd1 = open(NODE1, O_RDWR);
	check(ctl >= 0 && fd >= 0 && fd1 >= 0, "open: %s", strerror(errno));

	for (i = 0; i < sizeof(engine) / sizeof(engine[0]); i++) {
		/* 0 starts nothing, raises nothing and acks nothing. */
		expect("REG_WRITE of an engine register", reg_write(ctl, engine[i], 0), EACCES);
		errno = 0;
		check(pwrite(fd, &v, 4, engine[i]) < 0 && errno == EACCES,
		      "pwrite at 0x%x: %s", engine[i], strerror(errno));
	}
	op.value = 0;
	b.ops = (uintptr_t)&op;
	expect("REG_BATCH", ioc(ctl, DSMIL_IOC_REG_BATCH, &b), 0);
	check(b.done == 1 && op.result == -EACCES, "REG_BATCH op on an engine register: %d",
	      op.result);

	/* Liveness (0x04) reads back the inverse of what was written. */
	expect("REG_WRITE of the liveness register", reg_write(ctl, 0x04, 0x12345678), 0);
	expect("REG_READ", ioc(ctl, DSMIL_IOC_REG_READ, &r), 0);
	check(r.value == ~0x12345678u, "liveness 0x%x", r.value);

	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m == MAP_FAILED && errno == EACCES, "RW mmap of the engine's window: %s",
	      m == MAP_FAILED ? strerror(errno) : "mapped");
	if (m != MAP_FAILED)
		munmap(m, 4096);
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED && *(volatile uint32_t *)m == EDU_ID,
	      "RO mmap of the engine's window: %s", strerror(errno));
	if (m != MAP_FAILED) {
		check(mprotect(m, 4096, PROT_READ | PROT_WRITE) && errno == EACCES,
		      "mprotect RW of the engine's window: %s", strerror(errno));
		munmap(m, 4096);
	}
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd1, 0);
	check(m != MAP_FAILED, "RW mmap of another device's window: %s", strerror(errno));
	if (m != MAP_FAILED)
		munmap(m, 4096);

	check(!sh("%s/dsmilctl dma test --size 256 >/dev/null", getenv("DSMIL_PUB_TOOLS")),
	      "dma test after the refusals");
	close(fd1);
	close(fd);
	close(ctl);
	check(!sh(FE_UNLOAD), "unload");
	return done();
}
