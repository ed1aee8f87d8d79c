// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_fe_kunit - KUnit suite dsmil_uapi for the dsmil frontend, built
 * from modules/frontend/uapi.c: the layout of the argument structs of
 * <uapi/linux/dsmil.h> and the rules the ioctls apply to them (the size
 * field, batches and their ops, device lists, relock, the DMA commands).
 *
 * Test-only, never shipped; built only for a kernel with CONFIG_KUNIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "frontend/uapi.c"

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/stddef.h>

/* Every argument struct: size and flags first, published size, no slack. */
#define EXPECT_ARGS(test, type, ver0) do {					\
	KUNIT_EXPECT_EQ_MSG(test, sizeof(type), (size_t)(ver0), #type);		\
	KUNIT_EXPECT_EQ_MSG(test, offsetof(type, size), 0, #type);		\
	KUNIT_EXPECT_EQ_MSG(test, offsetof(type, flags), 4, #type);		\
	KUNIT_EXPECT_EQ_MSG(test, sizeof(type) % 8, 0, #type);			\
	KUNIT_EXPECT_LE_MSG(test, sizeof(type), DSMIL_ARGS_SIZE_MAX, #type);	\
} while (0)

static void uapi_layout(struct kunit *test)
{
	EXPECT_ARGS(test, struct dsmil_info_args, DSMIL_INFO_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_dev_list_args, DSMIL_DEV_LIST_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_reg_args, DSMIL_REG_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_batch_args, DSMIL_BATCH_SIZE_VER1);
	EXPECT_ARGS(test, struct dsmil_token_args, DSMIL_TOKEN_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_token_info_args, DSMIL_TOKEN_INFO_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_unlock_args, DSMIL_UNLOCK_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_verify_args, DSMIL_VERIFY_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_dma_lock_args, DSMIL_DMA_LOCK_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_dma_handle_args, DSMIL_DMA_HANDLE_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_dma_sync_args, DSMIL_DMA_SYNC_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_dma_query_args, DSMIL_DMA_QUERY_SIZE_VER2);
	EXPECT_ARGS(test, struct dsmil_dma_xfer_args, DSMIL_DMA_XFER_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_dma_claim_args, DSMIL_DMA_CLAIM_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_thermal_args, DSMIL_THERMAL_SIZE_VER0);
	EXPECT_ARGS(test, struct dsmil_stats_args, DSMIL_STATS_SIZE_VER0);
	/* Arrays handed over by user pointer: their first strides. */
	KUNIT_EXPECT_EQ(test, sizeof(struct dsmil_dev_entry),
			DSMIL_DEV_ENTRY_SIZE_VER0);
	KUNIT_EXPECT_EQ(test, sizeof(struct dsmil_reg_op),
			DSMIL_REG_OP_ENTRY_SIZE_VER0);
	KUNIT_EXPECT_EQ(test, sizeof(struct dsmil_token_op),
			DSMIL_TOKEN_OP_ENTRY_SIZE_VER0);
	KUNIT_EXPECT_EQ(test, sizeof(struct dsmil_dma_segment_entry),
			DSMIL_DMA_SEGMENT_ENTRY_SIZE_VER0);
	KUNIT_EXPECT_EQ(test, sizeof(struct dsmil_event_record),
			DSMIL_EVENT_RECORD_SIZE);
	/* User pointers are 64-bit and 8-aligned for 32-bit callers too. */
	KUNIT_EXPECT_EQ(test, offsetof(struct dsmil_batch_args, ops) % 8, 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct dsmil_dev_list_args, entries) % 8, 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct dsmil_dma_query_args, segments) % 8, 0);
	KUNIT_EXPECT_EQ(test, offsetof(struct dsmil_dma_lock_args, addr) % 8, 0);
}

static void uapi_args_size(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(DSMIL_REG_SIZE_VER0,
						 DSMIL_REG_SIZE_VER0), 0);
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(DSMIL_REG_SIZE_VER0 - 1,
						 DSMIL_REG_SIZE_VER0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(0, DSMIL_REG_SIZE_VER0), -EINVAL);
	/* Newer, larger callers are the copy's business (zero tail). */
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(DSMIL_REG_SIZE_VER0 + 8,
						 DSMIL_REG_SIZE_VER0), 0);
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(DSMIL_ARGS_SIZE_MAX,
						 DSMIL_REG_SIZE_VER0), 0);
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(DSMIL_ARGS_SIZE_MAX + 1,
						 DSMIL_REG_SIZE_VER0), -E2BIG);
	KUNIT_EXPECT_EQ(test, dsmil_fe_args_size(U32_MAX, DSMIL_REG_SIZE_VER0),
			-E2BIG);
}

static void uapi_batch(struct kunit *test)
{
	struct dsmil_batch_args a = { .size = sizeof(a), .count = 1 };
	struct dsmil_reg_op rop = { .op = DSMIL_OP_WRITE };
	struct dsmil_token_op top = { .op = DSMIL_OP_READ };

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, DSMIL_BATCH_STOP_ON_ERROR,
						   DSMIL_REG_BATCH_MAX), 0);
	a.flags = DSMIL_BATCH_STOP_ON_ERROR;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, DSMIL_BATCH_STOP_ON_ERROR,
						   DSMIL_REG_BATCH_MAX), 0);
	/* Token batches know no flag. */
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_TOKEN_BATCH_MAX),
			-EINVAL);
	a.flags = 1U << 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, DSMIL_BATCH_STOP_ON_ERROR,
						   DSMIL_REG_BATCH_MAX), -EINVAL);
	a.flags = 0;
	a.count = 0;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_TOKEN_BATCH_MAX),
			-EINVAL);
	a.count = DSMIL_TOKEN_BATCH_MAX;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_TOKEN_BATCH_MAX), 0);
	a.count = DSMIL_TOKEN_BATCH_MAX + 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_TOKEN_BATCH_MAX),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_REG_BATCH_MAX), 0);
	a.count = DSMIL_REG_BATCH_MAX + 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_REG_BATCH_MAX),
			-EINVAL);
	a.count = U32_MAX;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_batch(&a, 0, DSMIL_REG_BATCH_MAX),
			-EINVAL);

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_reg_op(&rop), 0);
	rop.op = DSMIL_OP_WRITE + 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_reg_op(&rop), -EINVAL);
	rop.op = DSMIL_OP_READ;
	rop.reserved = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_reg_op(&rop), -EINVAL);

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_token_op(&top), 0);
	top.op = 0x100 | DSMIL_OP_READ;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_token_op(&top), -EINVAL);
	top.op = DSMIL_OP_WRITE;
	top.reserved = 0x80000000;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_token_op(&top), -EINVAL);
}

static void uapi_dev_list(struct kunit *test)
{
	struct dsmil_dev_list_args a = {
		.size = sizeof(a), .entry_size = DSMIL_DEV_ENTRY_SIZE_VER0,
	};

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dev_list(&a), 0);
	a.entry_size = DSMIL_ARGS_SIZE_MAX;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dev_list(&a), 0);
	a.entry_size = DSMIL_ARGS_SIZE_MAX + 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dev_list(&a), -EINVAL);
	a.entry_size = DSMIL_DEV_ENTRY_SIZE_VER0 - 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dev_list(&a), -EINVAL);
	a.entry_size = 0;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dev_list(&a), -EINVAL);
	a.entry_size = DSMIL_DEV_ENTRY_SIZE_VER0;
	a.flags = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dev_list(&a), -EINVAL);
}

static void uapi_relock(struct kunit *test)
{
	struct dsmil_unlock_args a = { .size = sizeof(a), .group = 3 };

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), 0);
	a.flags = DSMIL_RELOCK_ALL;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), -EINVAL);
	a.group = 0;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), 0);
	a.flags = 1U << 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), -EINVAL);
	a.flags = 0;
	a.seconds = 5;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), -EINVAL);
	a.seconds = 0;
	a.reserved = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), -EINVAL);
	/* remaining_ms is an output: whatever comes in is fine. */
	a.reserved = 0;
	a.remaining_ms = 1234;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_relock(&a), 0);
}

static void uapi_dma(struct kunit *test)
{
	struct dsmil_dma_lock_args lock = {
		.size = sizeof(lock), .addr = U64_MAX, .length = U64_MAX,
		.dir = 99, .handle = 7,
	};
	struct dsmil_dma_sync_args sync = { .size = sizeof(sync) };
	struct dsmil_dma_xfer_args xfer = { .size = sizeof(xfer), .length = 1 };
	struct dsmil_dma_claim_args claim = { .size = sizeof(claim), .token = 0x8000 };

	/* UAPI 1.1 directions, and the 1.0 ones. */
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(DSMIL_DIR_TO_DEVICE),
			DSMIL_DMA_LOCK_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(DSMIL_LOCK_TO_DEVICE),
			DSMIL_DMA_LOCK_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(DSMIL_DIR_FROM_DEVICE),
			DSMIL_DMA_LOCK_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(DSMIL_LOCK_FROM_DEVICE),
			DSMIL_DMA_LOCK_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(DSMIL_DIR_BIDIRECTIONAL),
			DSMIL_DMA_LOCK_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(DSMIL_LOCK_BIDIRECTIONAL),
			DSMIL_DMA_LOCK_BIDIRECTIONAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_lock_dir(7), -EINVAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_query_dir(DSMIL_DMA_LOCK_TO_DEVICE, 0),
			(u32)DSMIL_LOCK_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_query_dir(DSMIL_DMA_LOCK_TO_DEVICE,
						 DSMIL_QUERY_DIR),
			(u32)DSMIL_DIR_TO_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_query_dir(DSMIL_DMA_LOCK_FROM_DEVICE,
						 DSMIL_QUERY_DIR),
			(u32)DSMIL_DIR_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, dsmil_fe_query_dir(DSMIL_DMA_LOCK_BIDIRECTIONAL,
						 DSMIL_QUERY_DIR),
			(u32)DSMIL_DIR_BIDIRECTIONAL);
	/* Strides: 0 is the first one, below it or above 4096 refused. */
	KUNIT_EXPECT_EQ(test, dsmil_fe_entry_size(0, 16), 16);
	KUNIT_EXPECT_EQ(test, dsmil_fe_entry_size(16, 16), 16);
	KUNIT_EXPECT_EQ(test, dsmil_fe_entry_size(48, 16), 48);
	KUNIT_EXPECT_EQ(test, dsmil_fe_entry_size(15, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, dsmil_fe_entry_size(DSMIL_ARGS_SIZE_MAX + 1, 16),
			-EINVAL);

	/* The range is dsmil_dmalock's to judge, the direction apart. */
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_lock(&lock), 0);
	lock.reserved0 = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_lock(&lock), -EINVAL);
	lock.reserved0 = 0;
	lock.reserved1 = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_lock(&lock), -EINVAL);
	lock.reserved1 = 0;
	lock.flags = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_lock(&lock), -EINVAL);

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_sync(&sync), 0);
	sync.dir = DSMIL_SYNC_FOR_DEVICE;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_sync(&sync), 0);
	sync.dir = 2;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_sync(&sync), -EINVAL);
	sync.dir = DSMIL_SYNC_FOR_CPU;
	sync.flags = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_sync(&sync), -EINVAL);

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), 0);
	xfer.dir = DSMIL_XFER_FROM_DEVICE;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), 0);
	xfer.dir = DSMIL_DIR_TO_DEVICE;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), 0);
	KUNIT_EXPECT_TRUE(test, dsmil_fe_xfer_to_device(&xfer));
	xfer.dir = DSMIL_DIR_FROM_DEVICE;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), 0);
	KUNIT_EXPECT_FALSE(test, dsmil_fe_xfer_to_device(&xfer));
	xfer.dir = DSMIL_DIR_BIDIRECTIONAL;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), -EINVAL);
	xfer.dir = 2;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), -EINVAL);
	xfer.dir = DSMIL_XFER_TO_DEVICE;
	xfer.reserved = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), -EINVAL);
	xfer.reserved = 0;
	xfer.flags = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_xfer(&xfer), -EINVAL);

	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_claim(&claim), 0);
	claim.mode = DSMIL_CLAIM_EXCLUSIVE;
	claim.flags = DSMIL_CLAIM_NONBLOCK;
	claim.timeout_ms = 100;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_claim(&claim), 0);
	/* ...but a release takes nothing but the token. */
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_release(&claim), -EINVAL);
	claim.mode = 2;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_claim(&claim), -EINVAL);
	claim.mode = DSMIL_CLAIM_SHARED;
	claim.flags = 1U << 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_claim(&claim), -EINVAL);
	claim.flags = 0;
	claim.reserved1 = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_claim(&claim), -EINVAL);

	claim.reserved1 = 0;
	claim.timeout_ms = 0;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_release(&claim), 0);
	claim.timeout_ms = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_release(&claim), -EINVAL);
	claim.timeout_ms = 0;
	claim.mode = DSMIL_CLAIM_EXCLUSIVE;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_release(&claim), -EINVAL);
	claim.mode = DSMIL_CLAIM_SHARED;
	claim.reserved0 = 1;
	KUNIT_EXPECT_EQ(test, dsmil_fe_check_dma_release(&claim), -EINVAL);
}

static struct kunit_case uapi_cases[] = {
	KUNIT_CASE(uapi_layout),
	KUNIT_CASE(uapi_args_size),
	KUNIT_CASE(uapi_batch),
	KUNIT_CASE(uapi_dev_list),
	KUNIT_CASE(uapi_relock),
	KUNIT_CASE(uapi_dma),
	{}
};

static struct kunit_suite uapi_suite = {
	.name = "dsmil_uapi",
	.test_cases = uapi_cases,
};

kunit_test_suites(&uapi_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: KUnit suite of the frontend's UAPI");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
