// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_dma.c - dma test, dma bench: a user buffer locked for DMA, moved to
 * a device's controller memory and back through its DMA engine, piece by
 * piece: a buffer of any size the caller may lock goes through the few
 * KiB of device memory DMA_PIECE bytes at a time, each piece a transfer
 * into and out of the locked pages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define DMA_TEST_DEFAULT_SIZE	2048
#define DMA_BENCH_ITERATIONS	10
/* Bytes per piece: what every backend's device memory holds (edu 4095). */
#define DMA_PIECE		4000

struct dma_buf {
	uint8_t *p;
	size_t map_len;
	uint32_t handle;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The device to use: --device, or the first one that can be written. */
static int dma_device(struct cli *c, struct dsmil_device_info *dev)
{
	struct dsmil_device_info *devs;
	size_t count, i;
	int ret;

	if (c->opts & CLI_OPT_DEVICE)
		return cli_device(c, c->device, dev);
	ret = dsmil_list_devices(c->d, &devs, &count);
	if (ret)
		return cli_error(cli_exit_code(ret), "device list: %s",
				 cli_cause(ret));
	for (i = 0; i < count; i++)
		if (!devs[i].quarantined && !devs[i].absent)
			break;
	if (i < count)
		*dev = devs[i];
	free(devs);
	if (i == count)
		return cli_error(CLI_EXIT_NOTFOUND,
				 "dma: no device that is present and not quarantined");
	return CLI_EXIT_OK;
}

static int dma_error(const struct dsmil_device_info *dev, const char *what,
		     uint64_t size, int err)
{
	const char *why = cli_cause(err);

	if (err == -EPERM && dev && dev->quarantined)
		why = "device quarantined";
	else if (err == -EPERM && cli_locked_down())
		why = "kernel lockdown";
	else if (err == -EPERM)
		why = "needs CAP_SYS_RAWIO";
	else if (err == -ERANGE)
		why = "larger than the controller's device memory";
	else if (err == -ENOMEM)
		why = "RLIMIT_MEMLOCK exceeded or out of memory";
	return cli_error(cli_exit_code(err), "dma %s: %" PRIu64 " bytes: %s",
			 what, size, why);
}

static int dma_buf_lock(struct cli *c, const struct dsmil_device_info *dev,
			uint64_t size, struct dma_buf *b)
{
	long page = sysconf(_SC_PAGESIZE);
	int ret;

	b->map_len = (size + (uint64_t)page - 1) / (uint64_t)page * (uint64_t)page;
	b->p = mmap(NULL, b->map_len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->p == MAP_FAILED)
		return dma_error(dev, "buffer", size, -errno);
	memset(b->p, 0, b->map_len);
	ret = dsmil_dma_lock(c->d, b->p, b->map_len, DSMIL_DIR_BIDIRECTIONAL,
			     dev->token, &b->handle);
	if (ret) {
		munmap(b->p, b->map_len);
		return dma_error(dev, "lock", size, ret);
	}
	return CLI_EXIT_OK;
}

static void dma_buf_unlock(struct cli *c, struct dma_buf *b)
{
	dsmil_dma_unlock(c->d, b->handle);
	munmap(b->p, b->map_len);
}

/*
 * One round trip of @size bytes, piece by piece: RAM -> device -> RAM,
 * each piece cleared in RAM between, so that it must come back from the
 * device.
 */
static int dma_round_trip(struct cli *c, const struct dsmil_device_info *dev,
			  struct dma_buf *b, uint64_t size, uint64_t *to_ns,
			  uint64_t *from_ns)
{
	uint64_t t, off, n;
	int ret = 0;

	*to_ns = *from_ns = 0;
	for (off = 0; off < size; off += n) {
		n = size - off < DMA_PIECE ? size - off : DMA_PIECE;
		t = now_ns();
		ret = dsmil_dma_xfer(c->d, b->handle, DSMIL_DIR_TO_DEVICE, off,
				     0, n);
		*to_ns += now_ns() - t;
		if (ret)
			return dma_error(dev, "transfer to device", size, ret);
		memset(b->p + off, 0, n);
		t = now_ns();
		ret = dsmil_dma_xfer(c->d, b->handle, DSMIL_DIR_FROM_DEVICE,
				     off, 0, n);
		*from_ns += now_ns() - t;
		if (ret)
			return dma_error(dev, "transfer from device", size,
					 ret);
	}
	return CLI_EXIT_OK;
}

int cmd_dma_test(struct cli *c, char **argv)
{
	uint64_t size = c->opts & CLI_OPT_SIZE ? c->size : DMA_TEST_DEFAULT_SIZE;
	struct dsmil_device_info dev;
	struct dsmil_dma_info info;
	uint64_t to_ns, from_ns, i, bad = 0;
	struct dma_buf b;
	int ret;

	(void)argv;
	if (!size)
		return cli_error(CLI_EXIT_USAGE, "--size: must be at least 1 byte");
	ret = dma_device(c, &dev);
	if (ret)
		return ret;
	ret = dma_buf_lock(c, &dev, size, &b);
	if (ret)
		return ret;
	ret = dsmil_dma_query(c->d, b.handle, &info, NULL, 0);
	if (ret) {
		ret = dma_error(&dev, "query", size, ret);
		goto out_unlock;
	}
	for (i = 0; i < size; i++)
		b.p[i] = (uint8_t)(i * 7 + 3);
	ret = dma_round_trip(c, &dev, &b, size, &to_ns, &from_ns);
	if (ret)
		goto out_unlock;
	for (i = 0; i < size; i++)
		if (b.p[i] != (uint8_t)(i * 7 + 3))
			bad++;
	if (bad) {
		ret = cli_error(CLI_EXIT_FAILED,
				"dma test: %s: %" PRIu64 " of %" PRIu64 " bytes differ after the round trip",
				dev.name, bad, size);
		goto out_unlock;
	}
	out_record_begin();
	out_str("device", dev.name);
	out_hex("token", dev.token, 4);
	out_uint("size", size);
	out_uint("locked_bytes", info.length);
	out_uint("segments", info.nr_segments);
	out_uint("pieces", (size + DMA_PIECE - 1) / DMA_PIECE);
	out_bool("cpu_only", info.lock_flags & DSMIL_LOCK_CPU_ONLY);
	out_bool("bounced", info.lock_flags & DSMIL_LOCK_BOUNCED);
	out_uint("to_device_ns", to_ns);
	out_uint("from_device_ns", from_ns);
	out_bool("ok", true);
	out_record_end();
out_unlock:
	dma_buf_unlock(c, &b);
	return ret;
}

int cmd_dma_bench(struct cli *c, char **argv)
{
	static const uint64_t sizes[] = { 64, 256, 1024, 4000 };
	uint32_t iters = c->opts & CLI_OPT_ITERATIONS ? c->iterations :
						      DMA_BENCH_ITERATIONS;
	uint64_t to_ns, from_ns, to_sum, from_sum, t0, lock_ns;
	struct dsmil_device_info dev;
	unsigned int s, n = sizeof(sizes) / sizeof(sizes[0]);
	struct dma_buf b;
	uint32_t i;
	int ret;

	(void)argv;
	if (!iters)
		return cli_error(CLI_EXIT_USAGE, "--iterations: must be at least 1");
	ret = dma_device(c, &dev);
	if (ret)
		return ret;
	out_list_begin("runs");
	for (s = 0; s < n; s++) {
		uint64_t size = c->opts & CLI_OPT_SIZE ? c->size : sizes[s];

		if (!size) {
			ret = cli_error(CLI_EXIT_USAGE,
					"--size: must be at least 1 byte");
			break;
		}

		t0 = now_ns();
		ret = dma_buf_lock(c, &dev, size, &b);
		lock_ns = now_ns() - t0;
		if (ret)
			break;
		to_sum = from_sum = 0;
		for (i = 0; i < iters && !ret; i++) {
			ret = dma_round_trip(c, &dev, &b, size, &to_ns, &from_ns);
			to_sum += to_ns;
			from_sum += from_ns;
		}
		dma_buf_unlock(c, &b);
		if (ret)
			break;
		out_record_begin();
		out_uint("size", size);
		out_uint("iterations", iters);
		out_uint("lock_ns", lock_ns);
		out_uint("to_device_ns", to_sum / iters);
		out_uint("from_device_ns", from_sum / iters);
		out_uint("kib_per_s", size * 2 * iters * 1000000000ULL /
				      (to_sum + from_sum ? to_sum + from_sum : 1) / 1024);
		out_record_end();
		if (c->opts & CLI_OPT_SIZE)
			break;
	}
	out_list_end();
	return ret;
}
