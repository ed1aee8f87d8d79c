// SPDX-License-Identifier: GPL-2.0
/*
 * chunk.c - a large MMIO region, ioremapped lazily in fixed-size chunks.
 *
 * The region is never mapped in one piece: an access maps the chunk it
 * falls in on first touch, and at most max_live chunks stay mapped; past
 * that the least recently used one is unmapped first.  Accesses are 32-bit
 * and aligned, so one never straddles two chunks (chunks are at least
 * 64 KiB, a power of two).  One mutex serializes lookups and accesses: an
 * access may map or unmap, which sleeps, and it keeps an access from
 * racing with the eviction of its chunk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "core.h"

struct dsmil_chunk {
	void __iomem *va;
	struct list_head lru;	/* in map->lru while mapped */
};

/**
 * struct dsmil_chunk_map - the lazily mapped region
 * @base: physical base of the region
 * @size: bytes in the region
 * @shift: log2 of the chunk size
 * @nr_chunks: chunks covering the region (the last one may be short)
 * @max_live: most chunks mapped at once
 * @live: chunks mapped now
 * @maps: chunks mapped so far (counter)
 * @evictions: chunks unmapped to make room (counter)
 * @lock: protects everything below and the chunks
 * @lru: mapped chunks, most recently used first
 * @chunks: one per chunk
 */
struct dsmil_chunk_map {
	phys_addr_t base;
	u64 size;
	unsigned int shift;
	unsigned long nr_chunks;
	u32 max_live;
	u32 live;
	u64 maps;
	u64 evictions;
	struct mutex lock;	/* see @lock above */
	struct list_head lru;
	struct dsmil_chunk *chunks;
};

/**
 * dsmil_chunk_map_create() - describe a region; maps nothing yet
 * @base: physical base (the caller has requested the region)
 * @size: bytes
 * @chunk_size: mapping granule, a power of two of at least 64 KiB
 * @max_live: bound on live mappings, at least 1
 *
 * Return: the map or NULL (no memory).
 */
struct dsmil_chunk_map *dsmil_chunk_map_create(phys_addr_t base, u64 size,
					       u32 chunk_size,
					       unsigned int max_live)
{
	struct dsmil_chunk_map *map;
	unsigned long i;

	DSMIL_ASSERT(is_power_of_2(chunk_size) && max_live >= 1);
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return NULL;
	map->base = base;
	map->size = size;
	map->shift = ilog2(chunk_size);
	map->nr_chunks = DIV_ROUND_UP_ULL(size, chunk_size);
	map->max_live = max_live;
	mutex_init(&map->lock);
	INIT_LIST_HEAD(&map->lru);
	map->chunks = kvcalloc(map->nr_chunks, sizeof(*map->chunks),
			       GFP_KERNEL);
	if (!map->chunks) {
		kfree(map);
		return NULL;
	}
	for (i = 0; i < map->nr_chunks; i++)
		INIT_LIST_HEAD(&map->chunks[i].lru);
	return map;
}

static void dsmil_chunk_unmap(struct dsmil_chunk_map *map,
			      struct dsmil_chunk *c)
{
	iounmap(c->va);
	c->va = NULL;
	list_del_init(&c->lru);
	map->live--;
}

/**
 * dsmil_chunk_map_destroy() - unmap every chunk and free the map
 * @map: the map; no access may be running
 */
void dsmil_chunk_map_destroy(struct dsmil_chunk_map *map)
{
	struct dsmil_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &map->lru, lru)
		dsmil_chunk_unmap(map, c);
	DSMIL_ASSERT(map->live == 0);
	kvfree(map->chunks);
	kfree(map);
}

/* The mapping of the word at @offset; map->lock held. */
static void __iomem *dsmil_chunk_addr(struct dsmil_chunk_map *map, u64 offset)
{
	unsigned long i = offset >> map->shift;
	struct dsmil_chunk *c = &map->chunks[i];
	u64 start = (u64)i << map->shift;

	lockdep_assert_held(&map->lock);
	if (c->va) {
		list_move(&c->lru, &map->lru);
		goto out;
	}
	if (map->live == map->max_live) {
		dsmil_chunk_unmap(map, list_last_entry(&map->lru,
						       struct dsmil_chunk, lru));
		map->evictions++;
	}
	c->va = ioremap(map->base + start,
			min_t(u64, map->size - start, 1ULL << map->shift));
	if (!c->va)
		return NULL;
	list_add(&c->lru, &map->lru);
	map->live++;
	map->maps++;
out:
	return c->va + (offset - start);
}

/**
 * dsmil_chunk_read32() - read the 32-bit word at @offset of the region
 * @map: the map
 * @offset: byte offset, 4-aligned, inside the region (checked by callers)
 * @val: receives the word
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM if the chunk could not be mapped.
 */
int dsmil_chunk_read32(struct dsmil_chunk_map *map, u64 offset, u32 *val)
{
	void __iomem *addr;
	int ret = 0;

	DSMIL_ASSERT(!(offset & 3) && offset < map->size);
	mutex_lock(&map->lock);
	addr = dsmil_chunk_addr(map, offset);
	if (addr)
		*val = readl(addr);
	else
		ret = -ENOMEM;
	mutex_unlock(&map->lock);
	return ret;
}

/**
 * dsmil_chunk_write32() - write the 32-bit word at @offset of the region
 * @map: the map
 * @offset: byte offset, 4-aligned, inside the region (checked by callers)
 * @val: the word
 *
 * Context: process context; may sleep.
 * Return: 0 or -ENOMEM if the chunk could not be mapped.
 */
int dsmil_chunk_write32(struct dsmil_chunk_map *map, u64 offset, u32 val)
{
	void __iomem *addr;
	int ret = 0;

	DSMIL_ASSERT(!(offset & 3) && offset < map->size);
	mutex_lock(&map->lock);
	addr = dsmil_chunk_addr(map, offset);
	if (addr)
		writel(val, addr);
	else
		ret = -ENOMEM;
	mutex_unlock(&map->lock);
	return ret;
}

static int dsmil_chunk_stats_show(struct seq_file *s, void *unused)
{
	struct dsmil_chunk_map *map = s->private;

	mutex_lock(&map->lock);
	seq_printf(s, "chunks %lu\nchunk_size %llu\nmax_live %u\nlive %u\nmaps %llu\nevictions %llu\n",
		   map->nr_chunks, 1ULL << map->shift, map->max_live,
		   map->live, map->maps, map->evictions);
	mutex_unlock(&map->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dsmil_chunk_stats);

/**
 * dsmil_chunk_map_debugfs() - add the "chunks" statistics file
 * @map: the map
 * @dir: the controller's debugfs directory
 *
 * The file must be removed (with @dir) before @map is destroyed.
 */
void dsmil_chunk_map_debugfs(struct dsmil_chunk_map *map, struct dentry *dir)
{
	debugfs_create_file("chunks", 0400, dir, map, &dsmil_chunk_stats_fops);
}
