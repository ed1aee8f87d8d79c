// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - a write-through cache of an image's blocks (vexfs-fuse).
 *
 * A read that lies inside one block is answered from a copy of the whole
 * block, read from the device on a miss.  Every write still goes to the
 * device when it is made (image.c) and then updates the copies of the
 * blocks it covers, or, if it failed, drops them: the cache never holds
 * bytes the device does not, so nothing is lost with it and fsync has
 * nothing of it to flush.  Blocks are found by a chained hash of their
 * number and evicted least recently used first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vexfs.h"

struct bc_ent {
	uint64_t block;
	struct bc_ent *hnext;		/* hash chain */
	struct bc_ent *prev, *next;	/* LRU list, most recent first */
	uint8_t data[];
};

struct vexfs_bcache {
	uint32_t bs;
	size_t max, n;
	struct bc_ent **hash;
	size_t hmask;
	struct bc_ent lru;		/* list head */
	uint64_t hits, misses;
};

static size_t bc_bucket(const struct vexfs_bcache *bc, uint64_t block)
{
	return (size_t)((block * 0x9e3779b97f4a7c15ULL) >> 24) & bc->hmask;
}

static void lru_del(struct bc_ent *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static void lru_add(struct vexfs_bcache *bc, struct bc_ent *e)
{
	e->next = bc->lru.next;
	e->prev = &bc->lru;
	bc->lru.next->prev = e;
	bc->lru.next = e;
}

static struct bc_ent *bc_find(const struct vexfs_bcache *bc, uint64_t block)
{
	struct bc_ent *e = bc->hash[bc_bucket(bc, block)];

	while (e && e->block != block)
		e = e->hnext;
	return e;
}

static void hash_del(struct vexfs_bcache *bc, struct bc_ent *e)
{
	struct bc_ent **pp = &bc->hash[bc_bucket(bc, e->block)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
}

int vexfs_image_cache(struct vexfs_image *img, size_t blocks)
{
	struct vexfs_bcache *bc;
	size_t buckets = 16;

	if (img->bc || !img->block_size || !blocks)
		return -EINVAL;
	while (buckets < blocks * 2)
		buckets *= 2;
	bc = calloc(1, sizeof(*bc));
	if (!bc)
		return -ENOMEM;
	bc->hash = calloc(buckets, sizeof(*bc->hash));
	if (!bc->hash) {
		free(bc);
		return -ENOMEM;
	}
	bc->hmask = buckets - 1;
	bc->bs = img->block_size;
	bc->max = blocks;
	bc->lru.next = bc->lru.prev = &bc->lru;
	img->bc = bc;
	return 0;
}

void vexfs_image_cache_drop(struct vexfs_image *img)
{
	struct vexfs_bcache *bc = img->bc;

	if (!bc)
		return;
	while (bc->lru.next != &bc->lru) {
		struct bc_ent *e = bc->lru.next;

		lru_del(e);
		free(e);
	}
	free(bc->hash);
	free(bc);
	img->bc = NULL;
}

void vexfs_image_cache_stats(const struct vexfs_image *img, uint64_t *hits,
			     uint64_t *misses, size_t *blocks)
{
	const struct vexfs_bcache *bc = img->bc;

	*hits = bc ? bc->hits : 0;
	*misses = bc ? bc->misses : 0;
	*blocks = bc ? bc->n : 0;
}

/*
 * vexfs_bcache_read - @len bytes at @off, which lie in one block, from the cache:
 * 1 if done, 0 if the caller must read the device itself (the block could
 * not be read whole, or no memory), never an error of its own.
 */
int vexfs_bcache_read(struct vexfs_image *img, uint64_t off, size_t len,
		      void *buf)
{
	struct vexfs_bcache *bc = img->bc;
	uint64_t block = off / bc->bs;
	struct bc_ent *e = bc_find(bc, block);

	if (e) {
		bc->hits++;
		lru_del(e);
	} else {
		bc->misses++;
		if (bc->n < bc->max) {
			e = malloc(sizeof(*e) + bc->bs);
			if (!e)
				return 0;
			bc->n++;
		} else {
			e = bc->lru.prev;	/* the least recently used */
			lru_del(e);
			hash_del(bc, e);
		}
		if (vexfs_image_pread(img, block * bc->bs, bc->bs, e->data)) {
			free(e);
			bc->n--;
			return 0;
		}
		e->block = block;
		e->hnext = bc->hash[bc_bucket(bc, block)];
		bc->hash[bc_bucket(bc, block)] = e;
	}
	lru_add(bc, e);
	memcpy(buf, e->data + off % bc->bs, len);
	return 1;
}

/*
 * vexfs_bcache_wrote - @len bytes at @off were written to the device (from
 * @buf), or, with @buf NULL, a write there failed: update the cached copies
 * of the blocks it covers, or drop them.
 */
void vexfs_bcache_wrote(struct vexfs_image *img, uint64_t off, size_t len,
			const void *buf)
{
	struct vexfs_bcache *bc = img->bc;
	const uint8_t *p = buf;

	while (len) {
		uint64_t block = off / bc->bs;
		size_t at = (size_t)(off % bc->bs);
		size_t n = bc->bs - at < len ? bc->bs - at : len;
		struct bc_ent *e = bc_find(bc, block);

		if (e && p) {
			memcpy(e->data + at, p, n);
		} else if (e) {
			lru_del(e);
			hash_del(bc, e);
			free(e);
			bc->n--;
		}
		if (p)
			p += n;
		off += n;
		len -= n;
	}
}
