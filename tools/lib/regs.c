// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * regs.c - register access through /dev/dsmil/ctl.
 */
#include "internal.h"

int dsmil_reg_read(struct dsmil *d, uint16_t token, uint32_t offset,
		   uint32_t *value)
{
	struct dsmil_reg_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.token = token;
	a.offset = offset;
	ret = dsmil_ioctl(d, DSMIL_IOC_REG_READ, &a);
	if (!ret)
		*value = a.value;
	return ret;
}

int dsmil_reg_write(struct dsmil *d, uint16_t token, uint32_t offset,
		    uint32_t value)
{
	struct dsmil_reg_args a;

	DSMIL_ARGS_INIT(a);
	a.token = token;
	a.offset = offset;
	a.value = value;
	return dsmil_ioctl(d, DSMIL_IOC_REG_WRITE, &a);
}

int dsmil_reg_batch(struct dsmil *d, struct dsmil_reg_op *ops, uint32_t count,
		    unsigned int flags, uint32_t *done)
{
	struct dsmil_batch_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	a.flags = flags;
	a.count = count;
	a.ops = (uintptr_t)ops;
	/* A 1.0 kernel knows no entry_size: 0 is the same stride there. */
	if (dsmil_abi_1_1(d))
		a.entry_size = sizeof(*ops);
	ret = dsmil_ioctl(d, DSMIL_IOC_REG_BATCH, &a);
	if (!ret && done)
		*done = a.done;
	return ret;
}
