// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_dmalock_kunit - KUnit suite dsmil_dmalock_shape for dsmil_dmalock,
 * built from modules/dmalock/shape.c: which user ranges can be locked, the
 * segment limit of a DMA device, and how pinned pages coalesce into a
 * scatterlist (with real pages: one block of 8 physically contiguous ones).
 *
 * Test-only, never shipped; built only for a kernel with CONFIG_KUNIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "dmalock/shape.c"

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/sizes.h>

static void shape_check_range(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dmalock_check_range(SZ_1M, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(SZ_1M, SZ_2M), 0);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(SZ_1M, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(SZ_1M + 1, PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(SZ_1M, PAGE_SIZE + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(SZ_1M, PAGE_SIZE / 2), -EINVAL);
	/* Up to the end of the user address space, not past it. */
	KUNIT_EXPECT_EQ(test, dmalock_check_range(TASK_SIZE - PAGE_SIZE, PAGE_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(TASK_SIZE - PAGE_SIZE,
						  2 * PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(TASK_SIZE, PAGE_SIZE), -EINVAL);
	/* An end that wraps around. */
	KUNIT_EXPECT_EQ(test, dmalock_check_range(ULONG_MAX & PAGE_MASK,
						  2 * PAGE_SIZE), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmalock_check_range(PAGE_SIZE, ULONG_MAX & PAGE_MASK),
			-EINVAL);
#ifdef CONFIG_64BIT
	/* More pages than a u32 counts (the range itself would fit). */
	if ((U32_MAX + 1UL) << PAGE_SHIFT < TASK_SIZE) {
		KUNIT_EXPECT_EQ(test, dmalock_check_range(0, (unsigned long)U32_MAX
							  << PAGE_SHIFT), 0);
		KUNIT_EXPECT_EQ(test, dmalock_check_range(0, (U32_MAX + 1UL)
							  << PAGE_SHIFT), -EINVAL);
	}
#endif
}

static void shape_seg_limit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(SIZE_MAX, UINT_MAX),
			UINT_MAX & PAGE_MASK);
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(SIZE_MAX, SIZE_MAX),
			UINT_MAX & PAGE_MASK);
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(SIZE_MAX, SZ_64K), SZ_64K);
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(SZ_256K, SZ_1M), SZ_256K);
	/* Rounded down to pages, never below one. */
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(SIZE_MAX, SZ_64K + 100), SZ_64K);
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(100, SIZE_MAX), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dmalock_seg_limit(0, 0), PAGE_SIZE);
}

/* test->priv: 8 physically contiguous pages, freed after the test. */
static int shape_init(struct kunit *test)
{
	test->priv = alloc_pages(GFP_KERNEL, 3);
	KUNIT_ASSERT_NOT_NULL(test, test->priv);
	return 0;
}

static void shape_exit(struct kunit *test)
{
	__free_pages(test->priv, 3);
}

/*
 * Builds the table of the block's pages listed in @idx, checks that the
 * segments cover them in order, and returns the number of segments.
 */
static unsigned int coalesce(struct kunit *test, const unsigned int *idx,
			     unsigned int n, unsigned int max_segment)
{
	struct page *block = test->priv, *pages[8];
	struct scatterlist *sg;
	struct sg_table sgt;
	unsigned int i, p = 0, nents;
	size_t total = 0;

	for (i = 0; i < n; i++)
		pages[i] = nth_page(block, idx[i]);
	KUNIT_ASSERT_EQ(test, dmalock_sg_build(&sgt, pages, n, max_segment), 0);
	for_each_sgtable_sg(&sgt, sg, i) {
		KUNIT_EXPECT_EQ(test, sg->offset, 0);
		KUNIT_EXPECT_LE(test, sg->length, max_segment);
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(sg->length));
		/* Each segment starts at the next page of the list. */
		KUNIT_EXPECT_PTR_EQ(test, sg_page(sg), pages[p]);
		p += sg->length >> PAGE_SHIFT;
		total += sg->length;
	}
	KUNIT_EXPECT_EQ(test, total, (size_t)n << PAGE_SHIFT);
	nents = sgt.orig_nents;
	sg_free_table(&sgt);
	return nents;
}

static void shape_coalesce(struct kunit *test)
{
	static const unsigned int all[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const unsigned int gap[] = { 0, 1, 4, 5 };
	static const unsigned int reversed[] = { 1, 0 };
	static const unsigned int one[] = { 5 };
	static const unsigned int mixed[] = { 0, 1, 2, 7, 3, 4 };
	unsigned int big = dmalock_seg_limit(SIZE_MAX, UINT_MAX);

	KUNIT_EXPECT_EQ(test, coalesce(test, all, 8, big), 1);
	KUNIT_EXPECT_EQ(test, coalesce(test, gap, 4, big), 2);
	KUNIT_EXPECT_EQ(test, coalesce(test, reversed, 2, big), 2);
	KUNIT_EXPECT_EQ(test, coalesce(test, one, 1, big), 1);
	KUNIT_EXPECT_EQ(test, coalesce(test, mixed, 6, big), 3);
	/* The segment limit splits contiguous runs. */
	KUNIT_EXPECT_EQ(test, coalesce(test, all, 8, 4 * PAGE_SIZE), 2);
	KUNIT_EXPECT_EQ(test, coalesce(test, all, 8, 3 * PAGE_SIZE), 3);
	KUNIT_EXPECT_EQ(test, coalesce(test, all, 8, PAGE_SIZE), 8);
	KUNIT_EXPECT_EQ(test, coalesce(test, gap, 4, PAGE_SIZE), 4);
}

static struct kunit_case shape_cases[] = {
	KUNIT_CASE(shape_check_range),
	KUNIT_CASE(shape_seg_limit),
	KUNIT_CASE(shape_coalesce),
	{}
};

static struct kunit_suite shape_suite = {
	.name = "dsmil_dmalock_shape",
	.init = shape_init,
	.exit = shape_exit,
	.test_cases = shape_cases,
};

kunit_test_suites(&shape_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: KUnit suite of dsmil_dmalock");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
