// SPDX-License-Identifier: GPL-2.0
/*
 * frontend-probe - the measurements of tests/bench/frontend.sh, through
 * libdsmil: per-op cost of a null ioctl (DSMIL_IOC_INFO), token reads
 * (single and batched), register reads through the ioctl (single and
 * batched), pread() of a device node and a load from its mmap()ed window.
 *
 *   dsmil-bench-fe [-n OPS] [-d DEVICE]
 *
 * Prints "NAME NS_PER_OP" lines, each the best of three rounds after a
 * warm-up round; "NAME skipped: CAUSE" when a path is not available.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "libdsmil.h"

#define TOKEN_BATCH	DSMIL_TOKEN_BATCH_MAX
#define REG_BATCH	256

static struct dsmil *d;
static struct dsmil_device_info dev;
static int node_fd = -1;
static volatile uint32_t *regs;
static struct dsmil_token_op token_ops[TOKEN_BATCH];
static struct dsmil_reg_op reg_ops[REG_BATCH];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Each returns 0 or -errno for @n ops. */
static int run_null(unsigned long n)
{
	struct dsmil_info info;
	int ret = 0;

	while (n-- && !ret)
		ret = dsmil_get_info(d, &info);
	return ret;
}

static int run_token_read(unsigned long n)
{
	uint32_t v;
	int ret = 0;

	while (n-- && !ret)
		ret = dsmil_token_read(d, dev.token, &v);
	return ret;
}

static int run_token_batch(unsigned long n)
{
	int ret = 0;

	for (; n >= TOKEN_BATCH && !ret; n -= TOKEN_BATCH)
		ret = dsmil_token_batch(d, token_ops, TOKEN_BATCH, NULL);
	return ret ? ret : token_ops[0].result;
}

static int run_reg_read(unsigned long n)
{
	uint32_t v;
	int ret = 0;

	while (n-- && !ret)
		ret = dsmil_reg_read(d, dev.token, 0, &v);
	return ret;
}

static int run_reg_batch(unsigned long n)
{
	int ret = 0;

	for (; n >= REG_BATCH && !ret; n -= REG_BATCH)
		ret = dsmil_reg_batch(d, reg_ops, REG_BATCH, 0, NULL);
	return ret ? ret : reg_ops[0].result;
}

static int run_pread(unsigned long n)
{
	uint32_t v;

	while (n--)
		if (pread(node_fd, &v, 4, 0) != 4)
			return -errno;
	return 0;
}

static int run_mmap(unsigned long n)
{
	uint32_t sum = 0;

	while (n--)
		sum += regs[0];
	return sum == 0xdeadbeef ? 1 : 0;	/* keeps the loads */
}

static void measure(const char *name, int (*fn)(unsigned long), unsigned long n)
{
	uint64_t best = UINT64_MAX, t;
	int round, ret;

	ret = fn(n / 10 ? n / 10 : 1);
	for (round = 0; round < 3 && !ret; round++) {
		t = now_ns();
		ret = fn(n);
		t = now_ns() - t;
		if (t < best)
			best = t;
	}
	if (ret < 0)
		printf("%s skipped: %s\n", name, strerror(-ret));
	else
		printf("%s %.1f\n", name, (double)best / (double)n);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *spec = "0x8000";
	unsigned long n = 20000;
	int opt, ret, i;

	while ((opt = getopt(argc, argv, "n:d:")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			spec = optarg;
			break;
		default:
			fprintf(stderr, "usage: dsmil-bench-fe [-n OPS] [-d DEVICE]\n");
			return 2;
		}
	}
	n = n < REG_BATCH ? REG_BATCH : n / REG_BATCH * REG_BATCH;
	ret = dsmil_open(NULL, 0, &d);
	if (!ret)
		ret = dsmil_find_device(d, spec, &dev);
	if (ret) {
		fprintf(stderr, "dsmil-bench-fe: %s: %s\n", spec, strerror(-ret));
		return 1;
	}
	for (i = 0; i < TOKEN_BATCH; i++)
		token_ops[i] = (struct dsmil_token_op){ .token = dev.token };
	for (i = 0; i < REG_BATCH; i++)
		reg_ops[i] = (struct dsmil_reg_op){ .token = dev.token };

	measure("null_ioctl", run_null, n);
	measure("token_read", run_token_read, n);
	measure("token_read_batched", run_token_batch, n);
	measure("reg_read_ioctl", run_reg_read, n);
	measure("reg_read_batched", run_reg_batch, n);
	node_fd = dsmil_dev_open(&dev, false);
	if (node_fd < 0) {
		printf("reg_read_pread skipped: %s\n", strerror(-node_fd));
		printf("reg_read_mmap skipped: %s\n", strerror(-node_fd));
	} else {
		measure("reg_read_pread", run_pread, n);
		ret = dsmil_dev_map(node_fd, 4096, false, &regs);
		if (ret)
			printf("reg_read_mmap skipped: %s\n", strerror(-ret));
		else
			measure("reg_read_mmap", run_mmap, n);
	}
	dsmil_close(d);
	return 0;
}
