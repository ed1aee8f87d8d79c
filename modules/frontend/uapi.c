// SPDX-License-Identifier: GPL-2.0
/*
 * uapi.c - the rules of the ioctl argument structs (<uapi/linux/dsmil.h>)
 * that go beyond "flags and reserved fields are zero": the size field,
 * batches and their ops, the stride of arrays, device lists, relock, and
 * the DMA commands and their directions.
 *
 * Pure functions of the kernel copy of the arguments: no state, no
 * logging.  Each returns 0 or -EINVAL unless it says otherwise.  The KUnit
 * suite dsmil_uapi (tests/kmod/kunit) compiles this file too.
 */
#include <linux/errno.h>
#include <linux/kernel.h>

#include <dsmil/dmalock.h>

#include "frontend.h"

/**
 * dsmil_fe_args_size() - check the size field of an argument struct
 * @usize: the caller's size field
 * @ver0: DSMIL_*_SIZE_VER0 of the struct
 *
 * Return: 0; -EINVAL below @ver0; -E2BIG above DSMIL_ARGS_SIZE_MAX.
 */
int dsmil_fe_args_size(u32 usize, size_t ver0)
{
	if (usize < ver0)
		return -EINVAL;
	if (usize > DSMIL_ARGS_SIZE_MAX)
		return -E2BIG;
	return 0;
}

/**
 * dsmil_fe_check_batch() - the header of DSMIL_IOC_{REG,TOKEN}_BATCH
 * @a: the arguments
 * @flags_ok: the flags this command knows
 * @max: most ops this command takes
 *
 * Return: 0 or -EINVAL (unknown flag, no op, more than @max).
 */
int dsmil_fe_check_batch(const struct dsmil_batch_args *a, u32 flags_ok,
			 u32 max)
{
	if ((a->flags & ~flags_ok) || a->reserved)
		return -EINVAL;
	if (!a->count || a->count > max)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_entry_size() - the stride of an array of structs
 * @entry_size: the caller's entry_size field
 * @ver0: DSMIL_*_ENTRY_SIZE_VER0 of the entries
 *
 * Return: the stride: @ver0 for 0 (a 1.0 caller), else @entry_size;
 * -EINVAL below @ver0 or above DSMIL_ARGS_SIZE_MAX.
 */
int dsmil_fe_entry_size(u32 entry_size, size_t ver0)
{
	if (!entry_size)
		return ver0;
	if (entry_size < ver0 || entry_size > DSMIL_ARGS_SIZE_MAX)
		return -EINVAL;
	return entry_size;
}

/**
 * dsmil_fe_lock_dir() - the direction of DSMIL_IOC_DMA_LOCK
 * @dir: DSMIL_DIR_* or a 1.0 DSMIL_LOCK_*
 *
 * Return: the enum dsmil_dma_lock_dir, or -EINVAL.
 */
int dsmil_fe_lock_dir(u32 dir)
{
	switch (dir) {
	case DSMIL_DIR_TO_DEVICE:
	case DSMIL_LOCK_TO_DEVICE:
		return DSMIL_DMA_LOCK_TO_DEVICE;
	case DSMIL_DIR_FROM_DEVICE:
	case DSMIL_LOCK_FROM_DEVICE:
		return DSMIL_DMA_LOCK_FROM_DEVICE;
	case DSMIL_DIR_BIDIRECTIONAL:
	case DSMIL_LOCK_BIDIRECTIONAL:
		return DSMIL_DMA_LOCK_BIDIRECTIONAL;
	}
	return -EINVAL;
}

/**
 * dsmil_fe_query_dir() - the direction DSMIL_IOC_DMA_QUERY reports
 * @dir: the lock's enum dsmil_dma_lock_dir
 * @flags: the caller's flags
 *
 * Return: DSMIL_DIR_* with DSMIL_QUERY_DIR, the 1.0 DSMIL_LOCK_* otherwise.
 */
u32 dsmil_fe_query_dir(u32 dir, u32 flags)
{
	if (!(flags & DSMIL_QUERY_DIR))
		return dir;
	switch (dir) {
	case DSMIL_DMA_LOCK_TO_DEVICE:
		return DSMIL_DIR_TO_DEVICE;
	case DSMIL_DMA_LOCK_FROM_DEVICE:
		return DSMIL_DIR_FROM_DEVICE;
	default:
		return DSMIL_DIR_BIDIRECTIONAL;
	}
}

/**
 * dsmil_fe_check_reg_op() - one op of DSMIL_IOC_REG_BATCH
 * @op: the op
 *
 * Return: 0 or -EINVAL (unknown op code, non-zero reserved field).
 */
int dsmil_fe_check_reg_op(const struct dsmil_reg_op *op)
{
	return op->op > DSMIL_OP_WRITE || op->reserved ? -EINVAL : 0;
}

/**
 * dsmil_fe_check_token_op() - one op of DSMIL_IOC_TOKEN_BATCH
 * @op: the op
 *
 * Return: 0 or -EINVAL (unknown op code, non-zero reserved field).
 */
int dsmil_fe_check_token_op(const struct dsmil_token_op *op)
{
	return op->op > DSMIL_OP_WRITE || op->reserved ? -EINVAL : 0;
}

/**
 * dsmil_fe_check_dev_list() - DSMIL_IOC_DEV_LIST
 * @a: the arguments
 *
 * Return: 0 or -EINVAL (a flag; an entry size below the first published
 * one or above DSMIL_ARGS_SIZE_MAX).
 */
int dsmil_fe_check_dev_list(const struct dsmil_dev_list_args *a)
{
	if (a->flags)
		return -EINVAL;
	if (a->entry_size < DSMIL_DEV_ENTRY_SIZE_VER0 ||
	    a->entry_size > DSMIL_ARGS_SIZE_MAX)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_check_relock() - DSMIL_IOC_RELOCK
 * @a: the arguments
 *
 * Return: 0 or -EINVAL (unknown flag, seconds or reserved set, a group
 * together with DSMIL_RELOCK_ALL).
 */
int dsmil_fe_check_relock(const struct dsmil_unlock_args *a)
{
	if ((a->flags & ~DSMIL_RELOCK_ALL) || a->seconds || a->reserved)
		return -EINVAL;
	if ((a->flags & DSMIL_RELOCK_ALL) && a->group)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_check_dma_lock() - DSMIL_IOC_DMA_LOCK
 * @a: the arguments
 *
 * The range itself is dsmil_dmalock's to check, the direction
 * dsmil_fe_lock_dir()'s.
 *
 * Return: 0 or -EINVAL (a flag or reserved field; a range this kernel
 * cannot represent).
 */
int dsmil_fe_check_dma_lock(const struct dsmil_dma_lock_args *a)
{
	if (a->flags || a->reserved0 || a->reserved1)
		return -EINVAL;
	if (a->addr != (unsigned long)a->addr ||
	    a->length != (size_t)a->length)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_check_dma_sync() - DSMIL_IOC_DMA_SYNC
 * @a: the arguments
 *
 * Return: 0 or -EINVAL (a flag, an unknown direction).
 */
int dsmil_fe_check_dma_sync(const struct dsmil_dma_sync_args *a)
{
	if (a->flags)
		return -EINVAL;
	if (a->dir != DSMIL_SYNC_FOR_CPU && a->dir != DSMIL_SYNC_FOR_DEVICE)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_check_dma_xfer() - DSMIL_IOC_DMA_XFER
 * @a: the arguments
 *
 * Return: 0 or -EINVAL (a flag or reserved field, an unknown direction, a
 * length this kernel cannot represent).
 */
int dsmil_fe_check_dma_xfer(const struct dsmil_dma_xfer_args *a)
{
	if (a->flags || a->reserved)
		return -EINVAL;
	if (a->dir != DSMIL_XFER_TO_DEVICE && a->dir != DSMIL_XFER_FROM_DEVICE &&
	    a->dir != DSMIL_DIR_TO_DEVICE && a->dir != DSMIL_DIR_FROM_DEVICE)
		return -EINVAL;
	if (a->length != (size_t)a->length)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_xfer_to_device() - the direction of a checked DSMIL_IOC_DMA_XFER
 * @a: the arguments, passed by dsmil_fe_check_dma_xfer()
 *
 * Return: true for DSMIL_DIR_TO_DEVICE and the 1.0 DSMIL_XFER_TO_DEVICE.
 */
bool dsmil_fe_xfer_to_device(const struct dsmil_dma_xfer_args *a)
{
	return a->dir == DSMIL_DIR_TO_DEVICE || a->dir == DSMIL_XFER_TO_DEVICE;
}

/**
 * dsmil_fe_check_dma_claim() - DSMIL_IOC_DMA_CLAIM
 * @a: the arguments
 *
 * Return: 0 or -EINVAL (unknown flag, reserved field set, unknown mode).
 */
int dsmil_fe_check_dma_claim(const struct dsmil_dma_claim_args *a)
{
	if ((a->flags & ~DSMIL_CLAIM_NONBLOCK) || a->reserved0 || a->reserved1)
		return -EINVAL;
	if (a->mode != DSMIL_CLAIM_SHARED && a->mode != DSMIL_CLAIM_EXCLUSIVE)
		return -EINVAL;
	return 0;
}

/**
 * dsmil_fe_check_dma_release() - DSMIL_IOC_DMA_RELEASE
 * @a: the arguments
 *
 * Return: 0 or -EINVAL (anything but the size and the token set).
 */
int dsmil_fe_check_dma_release(const struct dsmil_dma_claim_args *a)
{
	if (a->flags || a->reserved0 || a->reserved1 || a->mode ||
	    a->timeout_ms)
		return -EINVAL;
	return 0;
}
