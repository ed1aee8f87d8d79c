/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vexfs_score.h - the integer arithmetic of VexFS vector search.
 *
 * Plain C over <linux/types.h>, no kernel API: the module uses it, and a
 * userspace implementation of the format can include it to score exactly
 * like the kernel.  No floating point: float32 elements are converted to
 * 16.16 fixed point first.
 *
 *  - int8 elements are used as they are: every score is exact.
 *  - float32 elements become q = x * 2^16 rounded to the nearest integer
 *    (halves away from zero), saturated to |q| <= 2^23 (|x| <= 128);
 *    NaN and infinities are refused before they get here.  Scores are
 *    exact on these q values.
 *
 * With q the query and v a candidate (each of dim <= 4096 elements):
 *    dot = sum q_i v_i        l2 = sum (q_i - v_i)^2      nv = sum v_i^2
 * The reported score, value * 2^shift:
 *    L2      l2                       shift 0 (int8), 32 (float32)
 *    DOT     dot                      shift 0 (int8), 32 (float32)
 *    COSINE  trunc(dot * 2^30 / floor(sqrt(nq * nv)))        shift 30
 * Ranking: L2 ascending, DOT and COSINE descending, ties by inode number
 * ascending.  int8 COSINE ranks by the exact ratio (dot |dot| / nv
 * compared by cross-multiplication), float32 COSINE by the score.
 * Bounds: int8 |dot| < 2^27, l2 < 2^29; float32 |dot| < 2^59, l2 < 2^61;
 * 128-bit intermediates (gcc's __int128, 64-bit targets) for COSINE.
 *
 * Include <linux/vexfs_fs.h> and <linux/vexfs.h> (in the kernel: the
 * <uapi/linux/...> ones) first.
 */
#ifndef _VEXFS_SCORE_H
#define _VEXFS_SCORE_H

#include <linux/types.h>

#ifndef __SIZEOF_INT128__
#error "vexfs search needs 128-bit integers (a 64-bit target)"
#endif

#define VEXFS_Q16_MAX		(1 << 23)

/* Whether a float32 (as its bits) is finite. */
static inline int vexfs_f32_finite(__u32 bits)
{
	return ((bits >> 23) & 0xff) != 0xff;
}

/* A finite float32 (as its bits) in 16.16 fixed point, saturated. */
static inline __s32 vexfs_f32_to_q16(__u32 bits)
{
	int exp = (bits >> 23) & 0xff;
	__u32 m = (bits & 0x7fffff) | 0x800000;
	int shift = exp - 134;	/* x * 2^16 = m * 2^(exp - 134) */
	__s32 v;

	if (exp == 0)		/* zero or subnormal: below 2^-126 */
		return 0;
	if (shift >= 0)
		v = VEXFS_Q16_MAX;
	else if (shift < -24)
		v = 0;
	else
		v = (m + (1U << (-shift - 1))) >> -shift;
	if (v > VEXFS_Q16_MAX)
		v = VEXFS_Q16_MAX;
	return bits >> 31 ? -v : v;
}

/* Element @i of a little-endian vector of @type, as an integer. */
static inline __s32 vexfs_vec_elem(const __u8 *raw, __u32 i, __u32 type)
{
	const __u8 *p;

	if (type == VEXFS_VEC_INT8)
		return (__s8)raw[i];
	p = raw + 4 * i;
	return vexfs_f32_to_q16(p[0] | p[1] << 8 | p[2] << 16 |
				(__u32)p[3] << 24);
}

struct vexfs_score_acc {
	__s64	dot;
	__u64	l2;
	__u64	nv;
};

/* Accumulate query @q (already integers) against raw vector @raw. */
static inline void vexfs_score_acc(const __s32 *q, const __u8 *raw,
				   __u32 dim, __u32 type,
				   struct vexfs_score_acc *acc)
{
	__u32 i;

	acc->dot = 0;
	acc->l2 = 0;
	acc->nv = 0;
	for (i = 0; i < dim; i++) {
		__s64 a = q[i], b = vexfs_vec_elem(raw, i, type);

		acc->dot += a * b;
		acc->l2 += (__u64)((a - b) * (a - b));
		acc->nv += (__u64)(b * b);
	}
}

/* floor(sqrt(x)) */
static inline __u64 vexfs_isqrt128(unsigned __int128 x)
{
	unsigned __int128 r = 0, bit = (unsigned __int128)1 << 126;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (__u64)r;
}

/* n / d by shifts and subtractions (the kernel has no 128-bit division). */
static inline unsigned __int128 vexfs_div128(unsigned __int128 n, __u64 d)
{
	unsigned __int128 q = 0, r = 0;
	int i;

	for (i = 127; i >= 0; i--) {
		r = r << 1 | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (unsigned __int128)1 << i;
		}
	}
	return q;
}

/*
 * The score of @acc for @metric, @nq the query's sum of squares.  Returns
 * 0 and sets *score, or -1 when the cosine is undefined (a zero vector).
 */
static inline int vexfs_score(__u32 metric, const struct vexfs_score_acc *acc,
			      __u64 nq, __s64 *score)
{
	unsigned __int128 c;
	__u64 s;

	switch (metric) {
	case VEXFS_METRIC_L2:
		*score = (__s64)acc->l2;
		return 0;
	case VEXFS_METRIC_DOT:
		*score = acc->dot;
		return 0;
	case VEXFS_METRIC_COSINE:
		s = vexfs_isqrt128((unsigned __int128)nq * acc->nv);
		if (!s)
			return -1;
		c = vexfs_div128((unsigned __int128)(acc->dot < 0 ? -acc->dot :
							  acc->dot) << 30, s);
		*score = acc->dot < 0 ? -(__s64)c : (__s64)c;
		return 0;
	}
	return -1;
}

/* Fractional bits of the scores of @metric over @type. */
static inline __u32 vexfs_score_shift(__u32 metric, __u32 type)
{
	if (metric == VEXFS_METRIC_COSINE)
		return 30;
	return type == VEXFS_VEC_FLOAT32 ? 32 : 0;
}

struct vexfs_candidate {
	__u64	ino;
	__s64	score;
	__s64	dot;
	__u64	nv;
};

/* Whether @a ranks before @b. */
static inline int vexfs_better(__u32 metric, __u32 type,
			       const struct vexfs_candidate *a,
			       const struct vexfs_candidate *b)
{
	if (metric == VEXFS_METRIC_COSINE && type == VEXFS_VEC_INT8) {
		/* dot_a |dot_a| / nv_a against dot_b |dot_b| / nv_b */
		__int128 l = (__int128)a->dot * (a->dot < 0 ? -a->dot : a->dot) *
			     (__int128)b->nv;
		__int128 r = (__int128)b->dot * (b->dot < 0 ? -b->dot : b->dot) *
			     (__int128)a->nv;

		if (l != r)
			return l > r;
	} else if (a->score != b->score) {
		return metric == VEXFS_METRIC_L2 ? a->score < b->score :
						   a->score > b->score;
	}
	return a->ino < b->ino;
}

/* Whether a vector of @dim elements of @type can be stored. */
static inline int vexfs_vector_valid(__u32 dim, __u32 type)
{
	return dim >= 1 && dim <= VEXFS_VEC_MAX_DIM && vexfs_vec_elem_size(type);
}

/* Whether a search request's fields, as copied in, are valid (EINVAL). */
static inline int vexfs_search_arg_valid(const struct vexfs_search_arg *a)
{
	return !a->flags && !a->reserved && a->metric >= VEXFS_METRIC_L2 &&
	       a->metric <= VEXFS_METRIC_COSINE &&
	       vexfs_vector_valid(a->dim, a->elem_type) &&
	       a->k && a->k <= VEXFS_SEARCH_MAX_K;
}

/*
 * Insert candidate @c into @best, the @*n best so far (at most @k, best
 * first), unless it ranks below all @k or its file is already there (a
 * file reached through several hard links counts once).
 */
static inline void vexfs_topk_insert(struct vexfs_candidate *best, __u32 *n,
				     __u32 k, __u32 metric, __u32 type,
				     const struct vexfs_candidate *c)
{
	__u32 i, pos;

	if (*n == k && !vexfs_better(metric, type, c, &best[k - 1]))
		return;
	for (i = 0; i < *n; i++)
		if (best[i].ino == c->ino)
			return;
	pos = *n == k ? k - 1 : *n;
	while (pos > 0 && vexfs_better(metric, type, c, &best[pos - 1])) {
		best[pos] = best[pos - 1];
		pos--;
	}
	best[pos] = *c;
	if (*n < k)
		(*n)++;
}

#endif /* _VEXFS_SCORE_H */
