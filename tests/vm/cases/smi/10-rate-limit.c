// SPDX-License-Identifier: GPL-2.0
/*
 * max_calls_per_sec bounds the ops that reach the transport: a burst of a
 * second's worth passes, the next op fails with -EAGAIN without reaching
 * the transport (in a batch: the rest of it is -ECANCELED), and the budget
 * refills with time.  0 disables the limit.
 */
#include "smi-case.h"

#define BURST_RESULTS "0,0,0,0,0,0,0,0,0,0,-11,-125,-125,-125,-125,-125,-125,-125,-125,-125"

static struct dsmil_token_op ops[60];

static void fill(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ops[i] = op_read(0x8000 + i % 20);
}

int main(void)
{
	uint64_t calls;
	uint32_t v, done, i;
	int fd, ret;

	smi_load("max_calls_per_sec=10");
	fd = ctl_open();
	fill(20);
	calls = emu_calls();
	/* The batch and the read run back to back. */
	expect_ret(tok_batch(fd, ops, 20, &done), 0, "batch of 20");
	ret = tok_read(fd, 0x8000, &v);
	expect_results(ops, 20, BURST_RESULTS, "batch of 20 at 10 calls/s");
	expect_eq(done, 11, "ops attempted");
	expect_ret(ret, -EAGAIN, "read right after the burst");
	expect_eq(emu_calls(), calls + 10, "emu transport calls");
	expect_eq(smi_stat("rate_limited"), 2, "stats/rate_limited");
	expect_eq(smi_stats(fd).smi_rate_limited, 2, "smi_rate_limited");

	/* A second later the budget is full again. */
	usleep(1200000);
	fill(20);
	expect_ret(tok_batch(fd, ops, 20, &done), 0, "batch of 20 after 1.2 s");
	expect_results(ops, 20, BURST_RESULTS, "batch of 20 after 1.2 s");

	/*
	 * A higher limit: a second after the last burst nothing is left of
	 * the old budget, and 60 ops pass at once.  0: no limit at all.
	 */
	usleep(1200000);
	set_param("max_calls_per_sec", "1000");
	fill(60);
	calls = emu_calls();
	expect_ret(tok_batch(fd, ops, 60, &done), 0, "batch of 60 at 1000 calls/s");
	for (i = 0; i < 60; i++)
		expect_ret(ops[i].result, 0, "op of a batch of 60 at 1000 calls/s");
	expect_eq(done, 60, "ops attempted");
	set_param("max_calls_per_sec", "0");
	for (i = 0; i < 20; i++) {
		fill(60);
		expect_ret(tok_batch(fd, ops, 60, &done), 0,
			   "batch of 60 without a limit");
		for (v = 0; v < 60; v++)
			expect_ret(ops[v].result, 0,
				   "op of a batch of 60 without a limit");
	}
	expect_eq(emu_calls(), calls + 21 * 60, "emu transport calls");
	expect_eq(smi_stat("rate_limited"), 3, "stats/rate_limited");
	return 0;
}
