// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * token.c - firmware tokens, write windows and the transport self-check.
 */
#include <stdio.h>

#include "internal.h"

int dsmil_token_read(struct dsmil *d, uint16_t token, uint32_t *value)
{
	struct dsmil_token_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.token = token;
	ret = dsmil_ioctl(d, DSMIL_IOC_TOKEN_READ, &a);
	if (!ret)
		*value = a.value;
	return ret;
}

int dsmil_token_write(struct dsmil *d, uint16_t token, uint32_t value)
{
	struct dsmil_token_args a;

	DSMIL_ARGS_INIT(a);
	a.token = token;
	a.value = value;
	return dsmil_ioctl(d, DSMIL_IOC_TOKEN_WRITE, &a);
}

int dsmil_token_batch(struct dsmil *d, struct dsmil_token_op *ops,
		      uint32_t count, uint32_t *done)
{
	struct dsmil_batch_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.count = count;
	a.ops = (uintptr_t)ops;
	/* A 1.0 kernel knows no entry_size: 0 is the same stride there. */
	if (dsmil_abi_1_1(d))
		a.entry_size = sizeof(*ops);
	ret = dsmil_ioctl(d, DSMIL_IOC_TOKEN_BATCH, &a);
	if (!ret && done)
		*done = a.done;
	return ret;
}

int dsmil_token_info(struct dsmil *d, uint16_t token,
		     struct dsmil_token_info *info)
{
	struct dsmil_token_info_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.token = token;
	ret = dsmil_ioctl(d, DSMIL_IOC_TOKEN_INFO, &a);
	if (ret)
		return ret;
	info->token = a.token;
	info->group = a.group;
	info->index = a.index;
	info->quarantined = a.token_flags & DSMIL_TOKEN_QUARANTINED;
	info->unlocked = a.token_flags & DSMIL_TOKEN_UNLOCKED;
	info->unlock_remaining_ms = a.unlock_remaining_ms;
	return 0;
}

int dsmil_unlock(struct dsmil *d, uint32_t group, uint32_t seconds,
		 uint32_t *remaining_ms)
{
	struct dsmil_unlock_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.group = group;
	a.seconds = seconds;
	ret = dsmil_ioctl(d, DSMIL_IOC_UNLOCK, &a);
	if (!ret && remaining_ms)
		*remaining_ms = a.remaining_ms;
	return ret;
}

int dsmil_relock(struct dsmil *d, uint32_t group)
{
	struct dsmil_unlock_args a;

	DSMIL_ARGS_INIT(a);
	a.group = group;
	return dsmil_ioctl(d, DSMIL_IOC_RELOCK, &a);
}

int dsmil_relock_all(struct dsmil *d)
{
	struct dsmil_unlock_args a;

	DSMIL_ARGS_INIT(a);
	a.flags = DSMIL_RELOCK_ALL;
	return dsmil_ioctl(d, DSMIL_IOC_RELOCK, &a);
}

int dsmil_verify(struct dsmil *d, char *transport, size_t transport_len,
		 uint64_t *latency_ns)
{
	struct dsmil_verify_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	ret = dsmil_ioctl(d, DSMIL_IOC_VERIFY, &a);
	if (ret)
		return ret;
	if (transport && transport_len)
		snprintf(transport, transport_len, "%.*s",
			 (int)sizeof(a.transport), a.transport);
	if (latency_ns)
		*latency_ns = a.latency_ns;
	return 0;
}
