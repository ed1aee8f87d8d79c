// SPDX-License-Identifier: GPL-2.0
/*
 * rules.c - the arithmetic of dsmil_smi: the token space, parameter
 * values, batches, write windows and the rate limit.
 *
 * Pure functions of their arguments: no state, no locking, no logging
 * (their callers keep the state and log).  The KUnit suite dsmil_smi_rules
 * (tests/kmod/kunit) compiles this file too.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "internal.h"

/**
 * smi_token_slot() - index of a token in the token space
 * @token: the token
 *
 * Return: 0..SMI_NR_TOKENS - 1, or -ENOENT for a token outside
 * DSMIL_TOKEN_BASE..DSMIL_TOKEN_LAST.
 */
int smi_token_slot(u16 token)
{
	if (token < DSMIL_TOKEN_BASE || token > DSMIL_TOKEN_LAST)
		return -ENOENT;
	return token - DSMIL_TOKEN_BASE;
}

/**
 * smi_parse_uint() - parse an unsigned parameter value with a range
 * @val: the text (C prefixes allowed, one trailing newline ignored)
 * @min: smallest allowed value
 * @max: largest allowed value
 * @out: receives the value on success
 *
 * Return: 0 or -EINVAL (not a number, out of range).
 */
int smi_parse_uint(const char *val, unsigned int min, unsigned int max,
		   unsigned int *out)
{
	unsigned int v;

	if (kstrtouint(val, 0, &v) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/**
 * smi_batch_check() - the shape of a batch, before anything runs
 * @ops: the ops
 * @n: number of ops
 *
 * Return: 0, or -EINVAL for no ops, more than DSMIL_SMI_BATCH_MAX or an
 * opcode that is neither a read nor a write.
 */
int smi_batch_check(const struct dsmil_smi_op *ops, unsigned int n)
{
	unsigned int i;

	if (!ops || !n || n > DSMIL_SMI_BATCH_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (ops[i].opcode != DSMIL_SMI_OP_READ &&
		    ops[i].opcode != DSMIL_SMI_OP_WRITE)
			return -EINVAL;
	return 0;
}

/**
 * smi_window_open() - is a write window open
 * @ends_ns: boottime end of the window, 0 for a locked group
 * @now_ns: boottime now
 *
 * Return: true while the end lies in the future.
 */
bool smi_window_open(u64 ends_ns, u64 now_ns)
{
	return ends_ns && ends_ns > now_ns;
}

/**
 * smi_window_remaining_ms() - time left in a write window
 * @ends_ns: boottime end of the window, 0 for a locked group
 * @now_ns: boottime now
 *
 * Return: milliseconds until the window closes, rounded down but at least
 * 1 while it is open; 0 when it is closed.
 */
unsigned int smi_window_remaining_ms(u64 ends_ns, u64 now_ns)
{
	if (!smi_window_open(ends_ns, now_ns))
		return 0;
	return max_t(u64, div_u64(ends_ns - now_ns, NSEC_PER_MSEC), 1);
}

/**
 * smi_rate_gcra() - the rate limit, as a generic cell rate algorithm
 * @tat: the theoretical arrival time of the next op, updated on success
 *	(0 at start)
 * @now_ns: a monotonic clock now
 * @max_per_sec: ops per second on average; 0 for no limit
 *
 * One op every 1 s / @max_per_sec on average, with bursts of up to a
 * second's worth.
 *
 * Return: 0 (the op may run) or -EAGAIN (over the limit; @tat unchanged
 * but for catching up with @now_ns).
 */
int smi_rate_gcra(u64 *tat, u64 now_ns, unsigned int max_per_sec)
{
	u64 interval;

	if (!max_per_sec)
		return 0;
	interval = div_u64(NSEC_PER_SEC, max_per_sec);
	if (*tat < now_ns)
		*tat = now_ns;
	if (*tat - now_ns > NSEC_PER_SEC - interval)
		return -EAGAIN;
	*tat += interval;
	return 0;
}
