// SPDX-License-Identifier: GPL-2.0
/*
 * journal.c - the jbd2 journal of VexFS version 2 in userspace: create,
 * validate and replay it (journal.h).
 *
 * The replay follows jbd2's recovery (fs/jbd2/recovery.c) in its three
 * passes and in what it trusts: a transaction counts only once its commit
 * block is there with a good checksum; a block logged by a transaction is
 * not written when a revoke record of the same or a later transaction
 * names it; a logged block whose tag checksum fails is skipped.  Unlike the
 * kernel it validates every tag and revoke block of the committed log
 * before it writes anything, so a crafted journal changes nothing.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* fallocate() */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/falloc.h>
#include <linux/fs.h>

#include "journal.h"

#define JBD2_MIN_BLOCKS		VEXFS_JOURNAL_MIN_BLOCKS
#define JBD2_DEFAULT_MAX	32768U

/* ---- checksums --------------------------------------------------------- */

uint32_t vexfs_jbd2_seed(const uint8_t uuid[16])
{
	return vexfs_crc32c_update(~0U, uuid, 16);
}

/* crc32c of @len bytes of @p, the 4 bytes at @zero_off taken as zero */
static uint32_t csum_skip(uint32_t crc, const void *p, size_t len,
			  size_t zero_off)
{
	static const uint8_t zero[4];
	const uint8_t *b = p;

	crc = vexfs_crc32c_update(crc, b, zero_off);
	crc = vexfs_crc32c_update(crc, zero, 4);
	return vexfs_crc32c_update(crc, b + zero_off + 4, len - zero_off - 4);
}

uint32_t vexfs_jbd2_sb_csum(const void *jsb)
{
	return csum_skip(~0U, jsb, VEXFS_JBD2_SB_SIZE, JSB_CHECKSUM);
}

uint32_t vexfs_jbd2_block_tail_csum(uint32_t seed, const void *blk, uint32_t bs)
{
	return csum_skip(seed, blk, bs, bs - VEXFS_JBD2_TAIL_SIZE);
}

uint32_t vexfs_jbd2_commit_csum(uint32_t seed, const void *blk, uint32_t bs)
{
	return csum_skip(seed, blk, bs, JCOMMIT_CHKSUM);
}

uint32_t vexfs_jbd2_tag_csum(uint32_t seed, uint32_t seq, const void *blk,
			     uint32_t bs)
{
	uint8_t be[4];

	vexfs_jbd2_put32(be, 0, seq);
	return vexfs_crc32c_update(vexfs_crc32c_update(seed, be, 4), blk, bs);
}

/* ---- superblock ------------------------------------------------------------ */

void vexfs_journal_sb_init(void *blk, uint32_t bs, uint32_t blocks,
			   const uint8_t uuid[16], uint32_t sequence)
{
	uint8_t *b = blk;

	memset(b, 0, bs);
	vexfs_jbd2_put32(b, 0, VEXFS_JBD2_MAGIC);
	vexfs_jbd2_put32(b, 4, VEXFS_JBD2_SUPERBLOCK_V2);
	vexfs_jbd2_put32(b, 8, 0);
	vexfs_jbd2_put32(b, JSB_BLOCKSIZE, bs);
	vexfs_jbd2_put32(b, JSB_MAXLEN, blocks);
	vexfs_jbd2_put32(b, JSB_FIRST, 1);
	vexfs_jbd2_put32(b, JSB_SEQUENCE, sequence);
	vexfs_jbd2_put32(b, JSB_START, 0);
	vexfs_jbd2_put32(b, JSB_FEATURE_INCOMPAT, VEXFS_JBD2_INCOMPAT_VEXFS);
	memcpy(b + JSB_UUID, uuid, 16);
	vexfs_jbd2_put32(b, JSB_NR_USERS, 1);
	b[JSB_CHECKSUM_TYPE] = VEXFS_JBD2_CRC32C_CHKSUM;
	vexfs_jbd2_put32(b, JSB_CHECKSUM, vexfs_jbd2_sb_csum(b));
}

int vexfs_journal_sb_decode(const void *raw, const struct vexfs_super *s,
			    struct vexfs_jsb *j, const char **why)
{
	const uint8_t *b = raw;

	memset(j, 0, sizeof(*j));
	if (vexfs_jbd2_get32(b, 0) != VEXFS_JBD2_MAGIC) {
		*why = "journal superblock has a bad magic number";
		return -1;
	}
	j->blocktype = vexfs_jbd2_get32(b, 4);
	j->blocksize = vexfs_jbd2_get32(b, JSB_BLOCKSIZE);
	j->maxlen = vexfs_jbd2_get32(b, JSB_MAXLEN);
	j->first = vexfs_jbd2_get32(b, JSB_FIRST);
	j->sequence = vexfs_jbd2_get32(b, JSB_SEQUENCE);
	j->start = vexfs_jbd2_get32(b, JSB_START);
	j->err = vexfs_jbd2_get32(b, JSB_ERRNO);
	j->feature_compat = vexfs_jbd2_get32(b, JSB_FEATURE_COMPAT);
	j->feature_incompat = vexfs_jbd2_get32(b, JSB_FEATURE_INCOMPAT);
	j->feature_ro_compat = vexfs_jbd2_get32(b, JSB_FEATURE_RO_COMPAT);
	j->nr_users = vexfs_jbd2_get32(b, JSB_NR_USERS);
	j->checksum_type = b[JSB_CHECKSUM_TYPE];
	memcpy(j->uuid, b + JSB_UUID, 16);
	if (j->blocktype != VEXFS_JBD2_SUPERBLOCK_V2) {
		*why = "journal superblock is not version 2";
		return -1;
	}
	if (j->feature_incompat != VEXFS_JBD2_INCOMPAT_VEXFS &&
	    j->feature_incompat != VEXFS_JBD2_INCOMPAT_CSUM_V3) {
		*why = j->feature_incompat & VEXFS_JBD2_INCOMPAT_CSUM_V3 ?
		       "journal uses an unsupported incompatible feature" :
		       "journal has no CSUM_V3 checksums";
		return -1;
	}
	if (j->feature_ro_compat) {
		*why = "journal uses an unsupported read-only feature";
		return -1;
	}
	if (j->checksum_type != VEXFS_JBD2_CRC32C_CHKSUM) {
		*why = "journal checksum type is not CRC-32C";
		return -1;
	}
	if (vexfs_jbd2_get32(b, JSB_CHECKSUM) != vexfs_jbd2_sb_csum(b)) {
		*why = "journal superblock checksum mismatch";
		return -1;
	}
	if (j->blocksize != s->g.block_size) {
		*why = "journal block size differs from the filesystem's";
		return -1;
	}
	if (j->maxlen < JBD2_MIN_BLOCKS || j->maxlen > s->journal_blocks) {
		*why = "journal length (s_maxlen) out of range";
		return -1;
	}
	if (j->first == 0 || j->first >= j->maxlen) {
		*why = "journal first log block (s_first) out of range";
		return -1;
	}
	if (j->start && (j->start < j->first || j->start >= j->maxlen)) {
		*why = "journal log start (s_start) out of range";
		return -1;
	}
	if (j->nr_users > 1) {
		*why = "journal is shared (s_nr_users > 1)";
		return -1;
	}
	if (memcmp(j->uuid, s->uuid, 16)) {
		*why = "journal UUID differs from the filesystem's";
		return -1;
	}
	return 0;
}

int vexfs_zero_blocks(struct vexfs_image *img, uint64_t block, uint64_t count)
{
	uint64_t off = block * img->block_size, len = count * img->block_size;
	uint64_t range[2] = { off, len };
	uint32_t chunk = 256;
	uint8_t *zero;
	int err = 0;

	if (!img->writable)
		return -EROFS;
	if (!count)
		return 0;
	if (!img->is_blockdev &&
	    fallocate(img->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)off, (off_t)len) == 0)
		return 0;
	if (img->is_blockdev && ioctl(img->fd, BLKZEROOUT, range) == 0)
		return 0;
	zero = calloc(chunk, img->block_size);
	if (!zero)
		return -ENOMEM;
	while (count && !err) {
		uint32_t n = count < chunk ? (uint32_t)count : chunk;

		err = vexfs_write_blocks(img, block, n, zero);
		block += n;
		count -= n;
	}
	free(zero);
	return err;
}

int vexfs_journal_write_new(struct vexfs_image *img,
			    const struct vexfs_super *s, uint32_t sequence)
{
	uint8_t *blk = malloc(s->g.block_size);
	int err;

	if (!blk)
		return -ENOMEM;
	err = vexfs_zero_blocks(img, s->journal_start, s->journal_blocks);
	if (!err) {
		vexfs_journal_sb_init(blk, s->g.block_size, s->journal_blocks,
				      s->uuid, sequence);
		err = vexfs_write_blocks(img, s->journal_start, 1, blk);
	}
	free(blk);
	return err;
}

uint32_t vexfs_journal_default_blocks(uint64_t blocks, uint64_t data_start)
{
	uint64_t want = blocks / 32;

	if (want < JBD2_MIN_BLOCKS)
		want = JBD2_MIN_BLOCKS;
	if (want > JBD2_DEFAULT_MAX)
		want = JBD2_DEFAULT_MAX;
	/* the journal, as many data blocks, the root and lost+found */
	while (data_start + 2 * want + 2 > blocks && want > JBD2_MIN_BLOCKS)
		want /= 2;
	if (want < JBD2_MIN_BLOCKS || data_start + 2 * want + 2 > blocks)
		return 0;
	return (uint32_t)want;
}

/* ---- replay ------------------------------------------------------------------ */

struct revoke {
	uint32_t block, tid, order;
};

struct jr {
	struct vexfs_image *img;
	const struct vexfs_super *s;
	struct vexfs_jsb j;
	struct vexfs_replay *r;
	uint32_t bs, seed;
	uint8_t *blk, *data;
	struct revoke *rv;
	size_t nrv, caprv;
};

enum pass { PASS_SCAN, PASS_REVOKE, PASS_REPLAY };

static int __attribute__((format(printf, 2, 3)))
jr_fail(struct jr *jr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(jr->r->error, sizeof(jr->r->error), fmt, ap);
	va_end(ap);
	return -1;
}

/* tid_gt(): sequence numbers wrap, as jbd2 compares them */
static bool tid_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static uint32_t wrap(const struct jr *jr, uint32_t n)
{
	return n >= jr->j.maxlen ? n - (jr->j.maxlen - jr->j.first) : n;
}

static int jread(struct jr *jr, uint32_t n, void *buf)
{
	int err;

	if (n < jr->j.first || n >= jr->j.maxlen)
		return jr_fail(jr, "journal block %u out of the log", n);
	err = vexfs_read_blocks(jr->img, (uint64_t)jr->s->journal_start + n, 1, buf);
	if (err)
		return jr_fail(jr, "cannot read journal block %u: %s", n,
			       strerror(-err));
	return 0;
}

/* Whether a home block number is one a transaction may log. */
static const char *bad_home(const struct jr *jr, uint32_t b)
{
	if (b >= jr->s->g.blocks_count)
		return "beyond the end of the filesystem";
	if (b >= jr->s->journal_start &&
	    b - jr->s->journal_start < jr->s->journal_blocks)
		return "inside the journal";
	return NULL;
}

/* A logged copy of block 0 must be a valid superblock of this filesystem. */
static const char *bad_super_copy(const struct jr *jr, const uint8_t *blk)
{
	struct vexfs_super n;
	const struct vexfs_super *s = jr->s;
	const char *why = NULL;
	bool not_vexfs;

	if (vexfs_super_decode(blk, jr->img->dev_bytes, &n, &why, &not_vexfs))
		return why;
	if (n.version != VEXFS_VERSION_2 ||
	    memcmp(&n.g, &s->g, sizeof(n.g)) || memcmp(n.uuid, s->uuid, 16) ||
	    n.journal_start != s->journal_start ||
	    n.journal_blocks != s->journal_blocks ||
	    !(n.feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL))
		return "it changes the geometry, UUID or journal";
	return NULL;
}

static int add_revoke(struct jr *jr, uint32_t block, uint32_t tid)
{
	if (jr->nrv == jr->caprv) {
		size_t cap = jr->caprv ? jr->caprv * 2 : 256;
		struct revoke *n = realloc(jr->rv, cap * sizeof(*n));

		if (!n)
			return jr_fail(jr, "out of memory");
		jr->rv = n;
		jr->caprv = cap;
	}
	jr->rv[jr->nrv].block = block;
	jr->rv[jr->nrv].tid = tid;
	jr->rv[jr->nrv].order = (uint32_t)jr->nrv;
	jr->nrv++;
	return 0;
}

static int revoke_cmp(const void *a, const void *b)
{
	const struct revoke *x = a, *y = b;

	if (x->block != y->block)
		return x->block < y->block ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* sort the records, keep the latest transaction's per block */
static void revoke_finish(struct jr *jr)
{
	size_t out = 0;

	if (!jr->nrv)
		return;
	qsort(jr->rv, jr->nrv, sizeof(*jr->rv), revoke_cmp);
	for (size_t i = 0; i < jr->nrv; i++) {
		if (out && jr->rv[out - 1].block == jr->rv[i].block)
			out--;
		jr->rv[out++] = jr->rv[i];
	}
	jr->nrv = out;
}

/* jbd2_journal_test_revoke(): revoked by @tid or a later transaction */
static bool revoked(const struct jr *jr, uint32_t block, uint32_t tid)
{
	size_t lo = 0, hi = jr->nrv;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (jr->rv[mid].block == block)
			return !tid_gt(tid, jr->rv[mid].tid);
		if (jr->rv[mid].block < block)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int revoke_block(struct jr *jr, const uint8_t *blk, uint32_t tid,
			uint32_t where)
{
	uint32_t count = vexfs_jbd2_get32(blk, VEXFS_JBD2_HEADER_SIZE);

	if (count < VEXFS_JBD2_REVOKE_HEADER_SIZE ||
	    count > jr->bs - VEXFS_JBD2_TAIL_SIZE)
		return jr_fail(jr, "revoke block %u of transaction %u: byte count %u out of range",
			       where, tid, count);
	for (uint32_t off = VEXFS_JBD2_REVOKE_HEADER_SIZE; off + 4 <= count; off += 4) {
		uint32_t b = vexfs_jbd2_get32(blk, off);
		const char *why = bad_home(jr, b);

		if (why)
			return jr_fail(jr, "revoke block %u of transaction %u: block %u %s",
				       where, tid, b, why);
		if (add_revoke(jr, b, tid))
			return -1;
	}
	return 0;
}

/*
 * One tag after another in a descriptor block: calls @fn for each; the
 * tags end at LAST_TAG or where the next would not fit before the tail.
 */
struct tag {
	uint32_t block, flags, csum;
};

static uint32_t parse_tags(const struct jr *jr, const uint8_t *blk,
			   struct tag *tags, uint32_t max)
{
	size_t off = VEXFS_JBD2_HEADER_SIZE;
	size_t end = jr->bs - VEXFS_JBD2_TAIL_SIZE;
	uint32_t n = 0;

	while (off + VEXFS_JBD2_TAG3_SIZE <= end && n < max) {
		struct tag *t = &tags[n++];

		t->block = vexfs_jbd2_get32(blk, off + JTAG_BLOCKNR);
		t->flags = vexfs_jbd2_get32(blk, off + JTAG_FLAGS);
		t->csum = vexfs_jbd2_get32(blk, off + JTAG_CHECKSUM);
		off += VEXFS_JBD2_TAG3_SIZE;
		if (!(t->flags & VEXFS_JBD2_FLAG_SAME_UUID))
			off += 16;
		if (t->flags & VEXFS_JBD2_FLAG_LAST_TAG)
			break;
	}
	return n;
}

static void cut(struct jr *jr, uint32_t tid, const char *why)
{
	jr->r->log_cut = true;
	snprintf(jr->r->note, sizeof(jr->r->note),
		 "journal transaction %u: %s; the log ends before it", tid, why);
}

/*
 * One pass over the log.  PASS_SCAN sets r->end_tid; the others stop there.
 */
static int do_pass(struct jr *jr, enum pass pass, struct tag *tags,
		   uint32_t max_tags)
{
	uint32_t next = jr->j.start, tid = jr->j.sequence;
	uint32_t room = jr->j.maxlen - jr->j.first, walked = 0;
	struct vexfs_replay *r = jr->r;

	for (;;) {
		uint32_t where = next, type, seq, ntags;

		if (pass != PASS_SCAN && !tid_gt(r->end_tid, tid))
			break;
		if (++walked > room)
			return jr_fail(jr, "the log is longer than the journal");
		if (jread(jr, next, jr->blk))
			return -1;
		next = wrap(jr, next + 1);
		if (vexfs_jbd2_get32(jr->blk, 0) != VEXFS_JBD2_MAGIC)
			break;
		type = vexfs_jbd2_get32(jr->blk, 4);
		seq = vexfs_jbd2_get32(jr->blk, 8);
		if (seq != tid)
			break;
		switch (type) {
		case VEXFS_JBD2_DESCRIPTOR_BLOCK:
			if (pass == PASS_SCAN &&
			    vexfs_jbd2_get32(jr->blk, jr->bs - VEXFS_JBD2_TAIL_SIZE) !=
			    vexfs_jbd2_block_tail_csum(jr->seed, jr->blk, jr->bs)) {
				cut(jr, tid, "descriptor block checksum mismatch");
				goto end;
			}
			ntags = parse_tags(jr, jr->blk, tags, max_tags);
			if (walked + ntags > room)
				return jr_fail(jr, "transaction %u is longer than the journal", tid);
			for (uint32_t i = 0; i < ntags; i++) {
				struct tag *t = &tags[i];
				uint32_t io = next;
				const char *why;

				next = wrap(jr, next + 1);
				walked++;
				if (pass == PASS_SCAN)
					continue;
				if (pass == PASS_REVOKE) {
					why = bad_home(jr, t->block);
					if (why)
						return jr_fail(jr, "transaction %u logs block %u, %s",
							       tid, t->block, why);
					if (t->block != 0)
						continue;
				}
				if (pass == PASS_REPLAY && revoked(jr, t->block, tid)) {
					r->revoked++;
					continue;
				}
				if (jread(jr, io, jr->data))
					return -1;
				if (t->csum != vexfs_jbd2_tag_csum(jr->seed, seq, jr->data, jr->bs)) {
					if (pass == PASS_REPLAY)
						r->bad_csum++;
					continue;
				}
				if (t->flags & VEXFS_JBD2_FLAG_ESCAPE)
					vexfs_jbd2_put32(jr->data, 0, VEXFS_JBD2_MAGIC);
				if (pass == PASS_REVOKE) {
					why = bad_super_copy(jr, jr->data);
					if (why)
						return jr_fail(jr, "transaction %u logs an invalid superblock: %s",
							       tid, why);
					continue;
				}
				{
					int err = vexfs_write_blocks(jr->img, t->block, 1, jr->data);

					if (err)
						return jr_fail(jr, "cannot write block %u: %s",
							       t->block, strerror(-err));
				}
				r->blocks++;
			}
			break;
		case VEXFS_JBD2_COMMIT_BLOCK:
			if (pass == PASS_SCAN &&
			    vexfs_jbd2_get32(jr->blk, JCOMMIT_CHKSUM) !=
			    vexfs_jbd2_commit_csum(jr->seed, jr->blk, jr->bs)) {
				cut(jr, tid, "commit block checksum mismatch");
				goto end;
			}
			if (pass == PASS_REPLAY)
				r->transactions++;
			tid++;
			break;
		case VEXFS_JBD2_REVOKE_BLOCK:
			if (pass == PASS_SCAN &&
			    vexfs_jbd2_get32(jr->blk, jr->bs - VEXFS_JBD2_TAIL_SIZE) !=
			    vexfs_jbd2_block_tail_csum(jr->seed, jr->blk, jr->bs)) {
				cut(jr, tid, "revoke block checksum mismatch");
				goto end;
			}
			if (pass == PASS_REVOKE && revoke_block(jr, jr->blk, tid, where))
				return -1;
			break;
		default:
			goto end;
		}
	}
end:
	if (pass == PASS_SCAN)
		r->end_tid = tid;
	return 0;
}

static int read_super(struct vexfs_image *img, struct vexfs_super *s,
		      const char **why)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	bool not_vexfs;

	if (vexfs_read_bytes(img, 0, sizeof(raw), raw)) {
		*why = "cannot read the superblock";
		return -1;
	}
	return vexfs_super_decode(raw, img->dev_bytes, s, why, &not_vexfs);
}

static int write_super(struct vexfs_image *img, const struct vexfs_super *s)
{
	uint8_t raw[VEXFS_SUPER_SIZE];
	int err;

	vexfs_super_encode(s, raw);
	err = vexfs_write_bytes(img, 0, sizeof(raw), raw);
	return err ? err : vexfs_image_sync(img);
}

bool vexfs_journal_needs_recovery(struct vexfs_image *img,
				  const struct vexfs_super *s)
{
	uint8_t raw[VEXFS_JBD2_SB_SIZE];

	if (!(s->feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL))
		return false;
	if (s->feature_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER)
		return true;
	if (vexfs_read_bytes(img, (uint64_t)s->journal_start * s->g.block_size,
			     sizeof(raw), raw))
		return false;
	return vexfs_jbd2_get32(raw, 0) == VEXFS_JBD2_MAGIC &&
	       vexfs_jbd2_get32(raw, JSB_START) != 0;
}

int vexfs_journal_replay(struct vexfs_image *img, struct vexfs_super *s,
			 struct vexfs_replay *r)
{
	struct jr jr = { .img = img, .s = s, .r = r, .bs = s->g.block_size };
	struct tag *tags = NULL;
	uint32_t max_tags;
	const char *why = NULL;
	int ret = -1, err;

	memset(r, 0, sizeof(*r));
	if (!(s->feature_compat & VEXFS_FEATURE_COMPAT_HAS_JOURNAL))
		return jr_fail(&jr, "the filesystem has no journal");
	if (!img->writable && !img->ov)
		return jr_fail(&jr, "image not opened for writing");
	img->block_size = jr.bs;
	max_tags = (jr.bs - VEXFS_JBD2_HEADER_SIZE) / VEXFS_JBD2_TAG3_SIZE;
	jr.blk = malloc(jr.bs);
	jr.data = malloc(jr.bs);
	tags = calloc(max_tags, sizeof(*tags));
	if (!jr.blk || !jr.data || !tags) {
		jr_fail(&jr, "out of memory");
		goto out;
	}
	err = vexfs_read_blocks(img, s->journal_start, 1, jr.blk);
	if (err) {
		jr_fail(&jr, "cannot read the journal superblock: %s", strerror(-err));
		goto out;
	}
	if (vexfs_journal_sb_decode(jr.blk, s, &jr.j, &why)) {
		jr_fail(&jr, "%s", why);
		goto out;
	}
	jr.seed = vexfs_jbd2_seed(jr.j.uuid);
	r->first_tid = r->end_tid = jr.j.sequence;
	r->needed = jr.j.start || (s->feature_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER);
	if (jr.j.start) {
		if (do_pass(&jr, PASS_SCAN, tags, max_tags) ||
		    do_pass(&jr, PASS_REVOKE, tags, max_tags))
			goto out;
		revoke_finish(&jr);
		if (do_pass(&jr, PASS_REPLAY, tags, max_tags))
			goto out;
		err = vexfs_image_sync(img);
		if (err) {
			jr_fail(&jr, "cannot flush the replayed blocks: %s", strerror(-err));
			goto out;
		}
		/* the log is empty; its next transaction is past every old one */
		err = vexfs_read_blocks(img, s->journal_start, 1, jr.blk);
		if (!err) {
			vexfs_jbd2_put32(jr.blk, JSB_START, 0);
			vexfs_jbd2_put32(jr.blk, JSB_SEQUENCE, r->end_tid + 1);
			vexfs_jbd2_put32(jr.blk, JSB_CHECKSUM, vexfs_jbd2_sb_csum(jr.blk));
			err = vexfs_write_blocks(img, s->journal_start, 1, jr.blk);
		}
		if (!err)
			err = vexfs_image_sync(img);
		if (err) {
			jr_fail(&jr, "cannot mark the journal empty: %s", strerror(-err));
			goto out;
		}
		/* block 0 may have been replayed: it was validated, read it back */
		if (read_super(img, s, &why)) {
			jr_fail(&jr, "superblock invalid after the replay: %s", why);
			goto out;
		}
	}
	if (s->feature_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER) {
		s->feature_incompat &= ~VEXFS_FEATURE_INCOMPAT_RECOVER;
		err = write_super(img, s);
		if (err) {
			jr_fail(&jr, "cannot write the superblock: %s", strerror(-err));
			goto out;
		}
	}
	ret = 0;
out:
	free(jr.blk);
	free(jr.data);
	free(jr.rv);
	free(tags);
	return ret;
}
