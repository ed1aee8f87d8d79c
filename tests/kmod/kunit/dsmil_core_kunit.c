// SPDX-License-Identifier: GPL-2.0
/*
 * dsmil_core_kunit - KUnit suites for dsmil_core, built from its sources.
 *
 *   dsmil_core_layout  token ids, window arithmetic, the checks of the
 *                      region parameters, the quarantine list parser
 *                      (modules/core/layout.c)
 *   dsmil_core_chunk   the chunk map's bookkeeping: lazy mapping, LRU
 *                      eviction, counters, data across evictions
 *                      (modules/core/chunk.c) over a real reserved
 *                      physical region given as region_base/region_size
 *                      (the VM harness passes its memmap= region); skipped
 *                      without one
 *
 * Test-only, never shipped; built only for a kernel with CONFIG_KUNIT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "core/layout.c"
#include "core/chunk.c"

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/sizes.h>

static unsigned long region_base;
module_param(region_base, ulong, 0444);
MODULE_PARM_DESC(region_base, "Physical base of a reserved region for dsmil_core_chunk, page-aligned (default 0: skip that suite)");

static unsigned long region_size;
module_param(region_size, ulong, 0444);
MODULE_PARM_DESC(region_size, "Bytes of that region, at least 256 KiB (default 0)");

/* --- dsmil_core_layout ---------------------------------------------------- */

static void layout_token_ids(struct kunit *test)
{
	unsigned int g, i, n = 0;

	KUNIT_EXPECT_EQ(test, dsmil_layout_token(12, 0, 0), DSMIL_TOKEN_BASE);
	KUNIT_EXPECT_EQ(test, dsmil_layout_token(12, 6, 11), 0x8053);
	KUNIT_EXPECT_EQ(test, dsmil_layout_token(DSMIL_MAX_DEVICES_PER_GROUP,
						 DSMIL_MAX_GROUPS - 1,
						 DSMIL_MAX_DEVICES_PER_GROUP - 1),
			DSMIL_TOKEN_LAST);
	/* Dense and in order over the default layout: no gap, no overlap. */
	for (g = 0; g < 7; g++)
		for (i = 0; i < 12; i++, n++)
			KUNIT_EXPECT_EQ(test, dsmil_layout_token(12, g, i),
					DSMIL_TOKEN_BASE + n);
}

static void layout_window_size(struct kunit *test)
{
	/* The platform backend's default: 360 MiB over 84 devices. */
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_size(360 * SZ_1M, 84),
			1097 * PAGE_SIZE);
	/* QEMU edu's 1 MiB BAR: three pages each. */
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_size(SZ_1M, 84), 3 * PAGE_SIZE);
	/* Never below a page, never above 1 GiB. */
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_size(SZ_64K, 512), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_size(16ULL * SZ_1G, 1), SZ_1G);
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_size(PAGE_SIZE - 1, 1), PAGE_SIZE);
}

static void layout_window_offset(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_offset(12, 0, 0, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_offset(12, 1, 2, PAGE_SIZE),
			14 * PAGE_SIZE);
	/* Past 4 GiB: a 16 GiB region of 1 GiB windows. */
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_offset(16, 0, 15, SZ_1G),
			15ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, dsmil_layout_window_offset(1, 15, 0, SZ_1G),
			15ULL * SZ_1G);
}

static void layout_window_fits(struct kunit *test)
{
	u32 win = dsmil_layout_window_size(SZ_1M, 84);

	/* Every device of the edu BAR has its window... */
	KUNIT_EXPECT_TRUE(test, dsmil_layout_window_fits(12, 6, 11, win, SZ_1M));
	/* ...a tiny region only the first ones. */
	KUNIT_EXPECT_TRUE(test, dsmil_layout_window_fits(32, 0, 15, PAGE_SIZE,
							 SZ_64K));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_window_fits(32, 0, 16, PAGE_SIZE,
							  SZ_64K));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_window_fits(32, 15, 31, PAGE_SIZE,
							  SZ_64K));
	/* The last 1 GiB window of 16 GiB ends exactly at the end. */
	KUNIT_EXPECT_TRUE(test, dsmil_layout_window_fits(16, 0, 15, SZ_1G,
							 16ULL * SZ_1G));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_window_fits(16, 0, 15, SZ_1G,
							  16ULL * SZ_1G - 1));
}

static void layout_region_params(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, dsmil_layout_mmio_size_ok(SZ_64K));
	KUNIT_EXPECT_TRUE(test, dsmil_layout_mmio_size_ok(360 * SZ_1M));
	KUNIT_EXPECT_TRUE(test, dsmil_layout_mmio_size_ok(16ULL * SZ_1G));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_size_ok(0));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_size_ok(SZ_64K - PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_size_ok(SZ_64K + 1));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_size_ok(16ULL * SZ_1G + PAGE_SIZE));

	KUNIT_EXPECT_TRUE(test, dsmil_layout_mmio_base_ok(0, SZ_1M, false));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_base_ok(0, SZ_1M, true));
	KUNIT_EXPECT_TRUE(test, dsmil_layout_mmio_base_ok(SZ_1G, 360 * SZ_1M, true));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_base_ok(SZ_1G + 1, SZ_1M, true));
	/* The region must end below 2^64, exclusive end included. */
	KUNIT_EXPECT_TRUE(test, dsmil_layout_mmio_base_ok(U64_MAX - 2 * SZ_64K + 1,
							  SZ_64K, true));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_base_ok(U64_MAX - SZ_64K + 1,
							   SZ_64K, true));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_mmio_base_ok(U64_MAX & PAGE_MASK,
							   SZ_1M, true));

	KUNIT_EXPECT_TRUE(test, dsmil_layout_chunk_size_ok(SZ_64K));
	KUNIT_EXPECT_TRUE(test, dsmil_layout_chunk_size_ok(SZ_4M));
	KUNIT_EXPECT_TRUE(test, dsmil_layout_chunk_size_ok(SZ_64M));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_chunk_size_ok(SZ_32K));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_chunk_size_ok(SZ_128M));
	KUNIT_EXPECT_FALSE(test, dsmil_layout_chunk_size_ok(3 * SZ_64K));
}

/* Parses @text (copied: the parser splits in place). */
static int parse(struct kunit *test, const char *text, u16 *tokens,
		 unsigned int max, unsigned int *nr, const char **bad)
{
	char *buf = kunit_kstrdup(test, text, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	*bad = NULL;
	*nr = 1000;
	return dsmil_layout_parse_tokens(buf, tokens, max, nr, bad);
}

static void layout_parse_tokens(struct kunit *test)
{
	u16 t[DSMIL_QUARANTINE_MAX];
	const char *bad;
	unsigned int nr;
	char *many;
	int i;

	KUNIT_EXPECT_EQ(test, parse(test, "0x8009,0x800a", t, 32, &nr, &bad), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, t[0], 0x8009);
	KUNIT_EXPECT_EQ(test, t[1], 0x800a);

	/* Blanks around items, decimal, both ends of the range. */
	KUNIT_EXPECT_EQ(test, parse(test, " 0x8000 , 33279\n", t, 32, &nr, &bad), 0);
	KUNIT_EXPECT_EQ(test, nr, 2);
	KUNIT_EXPECT_EQ(test, t[0], DSMIL_TOKEN_BASE);
	KUNIT_EXPECT_EQ(test, t[1], DSMIL_TOKEN_LAST);

	KUNIT_EXPECT_EQ(test, parse(test, " none ", t, 32, &nr, &bad), 0);
	KUNIT_EXPECT_EQ(test, nr, 0);

	KUNIT_EXPECT_EQ(test, parse(test, "", t, 32, &nr, &bad), -EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "");
	KUNIT_EXPECT_EQ(test, nr, 1000);	/* untouched on error */
	KUNIT_EXPECT_EQ(test, parse(test, "0x8009,,0x800a", t, 32, &nr, &bad),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "");
	KUNIT_EXPECT_EQ(test, parse(test, "0x8009,0x7fff", t, 32, &nr, &bad),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "0x7fff");
	KUNIT_EXPECT_EQ(test, parse(test, "0x8200", t, 32, &nr, &bad), -EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "0x8200");
	KUNIT_EXPECT_EQ(test, parse(test, "0x18000", t, 32, &nr, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse(test, "nonE", t, 32, &nr, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, parse(test, "none,0x8009", t, 32, &nr, &bad),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "none");

	/* Exactly DSMIL_QUARANTINE_MAX items fit, one more does not. */
	many = kunit_kzalloc(test, 8 * (DSMIL_QUARANTINE_MAX + 1) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, many);
	for (i = 0; i < DSMIL_QUARANTINE_MAX; i++)
		sprintf(many + strlen(many), "%s%#x", i ? "," : "", 0x8000 + i);
	KUNIT_EXPECT_EQ(test, parse(test, many, t, DSMIL_QUARANTINE_MAX, &nr, &bad), 0);
	KUNIT_EXPECT_EQ(test, nr, DSMIL_QUARANTINE_MAX);
	KUNIT_EXPECT_EQ(test, t[DSMIL_QUARANTINE_MAX - 1],
			0x8000 + DSMIL_QUARANTINE_MAX - 1);
	strcat(many, ",0x8100");
	KUNIT_EXPECT_EQ(test, parse(test, many, t, DSMIL_QUARANTINE_MAX, &nr, &bad),
			-E2BIG);
}

static struct kunit_case layout_cases[] = {
	KUNIT_CASE(layout_token_ids),
	KUNIT_CASE(layout_window_size),
	KUNIT_CASE(layout_window_offset),
	KUNIT_CASE(layout_window_fits),
	KUNIT_CASE(layout_region_params),
	KUNIT_CASE(layout_parse_tokens),
	{}
};

static struct kunit_suite layout_suite = {
	.name = "dsmil_core_layout",
	.test_cases = layout_cases,
};

/* --- dsmil_core_chunk ------------------------------------------------------ */

/* Three 64 KiB chunks and a short fourth one of 16 KiB. */
#define CHUNK		SZ_64K
#define MAP_SIZE	(3 * CHUNK + SZ_16K)

static int chunk_init(struct kunit *test)
{
	if (!region_base || region_size < MAP_SIZE)
		kunit_skip(test, "no reserved region (region_base=, region_size=)");
	return 0;
}

static struct dsmil_chunk_map *chunk_map(struct kunit *test, unsigned int max_live)
{
	struct dsmil_chunk_map *map;

	map = dsmil_chunk_map_create(region_base, MAP_SIZE, CHUNK, max_live);
	KUNIT_ASSERT_NOT_NULL(test, map);
	return map;
}

static bool chunk_mapped(struct dsmil_chunk_map *map, unsigned long i)
{
	return map->chunks[i].va;
}

static void chunk_create(struct kunit *test)
{
	struct dsmil_chunk_map *map = chunk_map(test, 2);

	KUNIT_EXPECT_EQ(test, map->nr_chunks, 4);
	KUNIT_EXPECT_EQ(test, map->shift, 16);
	KUNIT_EXPECT_EQ(test, map->live, 0);
	KUNIT_EXPECT_EQ(test, map->maps, 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&map->lru));
	dsmil_chunk_map_destroy(map);
}

static void chunk_lru(struct kunit *test)
{
	struct dsmil_chunk_map *map = chunk_map(test, 2);
	u32 v;

	KUNIT_ASSERT_EQ(test, dsmil_chunk_write32(map, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, map->live, 1);
	KUNIT_EXPECT_EQ(test, map->maps, 1);
	/* A second access to a mapped chunk maps nothing. */
	KUNIT_ASSERT_EQ(test, dsmil_chunk_read32(map, 8, &v), 0);
	KUNIT_EXPECT_EQ(test, map->maps, 1);

	KUNIT_ASSERT_EQ(test, dsmil_chunk_write32(map, CHUNK, 2), 0);
	KUNIT_EXPECT_EQ(test, map->live, 2);
	KUNIT_EXPECT_EQ(test, map->evictions, 0);

	/* Full: mapping chunk 2 evicts chunk 0, the least recently used. */
	KUNIT_ASSERT_EQ(test, dsmil_chunk_write32(map, 2 * CHUNK, 3), 0);
	KUNIT_EXPECT_EQ(test, map->live, 2);
	KUNIT_EXPECT_EQ(test, map->maps, 3);
	KUNIT_EXPECT_EQ(test, map->evictions, 1);
	KUNIT_EXPECT_FALSE(test, chunk_mapped(map, 0));
	KUNIT_EXPECT_TRUE(test, chunk_mapped(map, 1));
	KUNIT_EXPECT_TRUE(test, chunk_mapped(map, 2));

	/* Touching chunk 1 makes chunk 2 the one to go next. */
	KUNIT_ASSERT_EQ(test, dsmil_chunk_read32(map, CHUNK + 4, &v), 0);
	KUNIT_ASSERT_EQ(test, dsmil_chunk_read32(map, 0, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1);
	KUNIT_EXPECT_EQ(test, map->evictions, 2);
	KUNIT_EXPECT_TRUE(test, chunk_mapped(map, 0));
	KUNIT_EXPECT_TRUE(test, chunk_mapped(map, 1));
	KUNIT_EXPECT_FALSE(test, chunk_mapped(map, 2));
	/* The most recently used chunk heads the list. */
	KUNIT_EXPECT_PTR_EQ(test, list_first_entry(&map->lru, struct dsmil_chunk, lru),
			    &map->chunks[0]);
	dsmil_chunk_map_destroy(map);
}

static void chunk_data_across_evictions(struct kunit *test)
{
	struct dsmil_chunk_map *map = chunk_map(test, 1);
	u64 offs[] = { 0, CHUNK - 4, CHUNK, 2 * CHUNK + 0x100, 3 * CHUNK,
		       MAP_SIZE - 4 };
	unsigned int i;
	u32 v;

	/* One live chunk: every access to another chunk remaps. */
	for (i = 0; i < ARRAY_SIZE(offs); i++)
		KUNIT_ASSERT_EQ(test, dsmil_chunk_write32(map, offs[i],
							  0xd5a10000 + i), 0);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		KUNIT_ASSERT_EQ(test, dsmil_chunk_read32(map, offs[i], &v), 0);
		KUNIT_EXPECT_EQ_MSG(test, v, 0xd5a10000 + i, "offset %#llx",
				    offs[i]);
	}
	KUNIT_EXPECT_EQ(test, map->live, 1);
	KUNIT_EXPECT_EQ(test, map->maps, map->evictions + map->live);
	/* The short last chunk was mapped, with its own size. */
	KUNIT_EXPECT_TRUE(test, chunk_mapped(map, 3));
	dsmil_chunk_map_destroy(map);
}

static struct kunit_case chunk_cases[] = {
	KUNIT_CASE(chunk_create),
	KUNIT_CASE(chunk_lru),
	KUNIT_CASE(chunk_data_across_evictions),
	{}
};

static struct kunit_suite chunk_suite = {
	.name = "dsmil_core_chunk",
	.init = chunk_init,
	.test_cases = chunk_cases,
};

kunit_test_suites(&layout_suite, &chunk_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The dsmil developers");
MODULE_DESCRIPTION("dsmil test-only module: KUnit suites of dsmil_core");
MODULE_VERSION(DSMIL_VERSION);
DSMIL_MODULE_INFO();
