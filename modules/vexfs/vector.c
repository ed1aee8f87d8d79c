// SPDX-License-Identifier: GPL-2.0
/*
 * vector.c - VexFS: per-file vector records and the search ioctl
 * (<uapi/linux/vexfs.h>).
 *
 * A record is a run of contiguous blocks: a struct vexfs_vector_head and
 * the elements.  Setting a vector writes a new run and then points the
 * inode at it, so the old record stays intact until the inode moves on.
 * Scores are integers (vexfs_score.h): no floating point in the kernel.
 * Records are metadata for the journal: a set or remove, the record and
 * the inode commit in one handle (VEXFS_VEC_CREDITS), and a freed record
 * is revoked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <uapi/linux/vexfs.h>

#include "vexfs.h"
#include "vexfs_score.h"

#define HEAD_SIZE	sizeof(struct vexfs_vector_head)

static u32 record_blocks(struct super_block *sb, u32 dim, u32 type)
{
	return vexfs_vector_blocks(dim, type, sb->s_blocksize);
}

static u32 vector_csum(const struct vexfs_vector_head *vh, const u8 *data,
		       u32 len)
{
	u32 crc = vexfs_csum(~0U, vh, offsetof(struct vexfs_vector_head,
					       v_checksum));

	return ~vexfs_csum(crc, data, len);
}

/*
 * Read and verify the record of @inode into @data (dim * element size
 * bytes).  Caller holds the inode lock.  Returns 0, -EIO or -EUCLEAN.
 */
static int vector_read(struct inode *inode, u8 *data)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u32 len = vi->i_vec_dim * vexfs_vec_elem_size(vi->i_vec_type);
	u32 n = record_blocks(sb, vi->i_vec_dim, vi->i_vec_type);
	struct vexfs_vector_head vh;
	const char *why = NULL;
	u32 i;

	for (i = 0; i < n; i++) {
		struct buffer_head *bh = sb_bread(sb, vi->i_vec_block + i);
		u64 off = (u64)i * sb->s_blocksize;
		u32 j;

		if (!bh) {
			vexfs_error(sb, "inode %llu: cannot read vector block %u",
				    vexfs_ino(inode), vi->i_vec_block + i);
			return -EIO;
		}
		for (j = 0; j < sb->s_blocksize && off + j < HEAD_SIZE + len; j++) {
			u64 pos = off + j;

			if (pos < HEAD_SIZE)
				((u8 *)&vh)[pos] = bh->b_data[j];
			else
				data[pos - HEAD_SIZE] = bh->b_data[j];
		}
		brelse(bh);
	}
	if (le32_to_cpu(vh.v_magic) != VEXFS_VECTOR_MAGIC)
		why = "bad magic";
	else if (le32_to_cpu(vh.v_ino) != inode->i_ino)
		why = "owned by another inode";
	else if (le16_to_cpu(vh.v_dim) != vi->i_vec_dim ||
		 vh.v_type != vi->i_vec_type || le32_to_cpu(vh.v_data_len) != len)
		why = "dimension, type or length differs from the inode";
	else if (le32_to_cpu(vh.v_generation) != inode->i_generation)
		why = "generation differs from the inode";
	else if (le32_to_cpu(vh.v_checksum) != vector_csum(&vh, data, len))
		why = "checksum mismatch";
	if (!why)
		return 0;
	vexfs_error(sb, "inode %llu: vector record at block %u: %s",
		    vexfs_ino(inode), vi->i_vec_block, why);
	return -EFSCORRUPTED;
}

/* Write a new record for @inode; returns its first block in @first. */
static int vector_write(struct inode *inode, u32 dim, u32 type,
			const u8 *data, u32 *first)
{
	struct super_block *sb = inode->i_sb;
	u32 len = dim * vexfs_vec_elem_size(type);
	u32 n = record_blocks(sb, dim, type);
	struct vexfs_vector_head vh = {
		.v_magic = cpu_to_le32(VEXFS_VECTOR_MAGIC),
		.v_ino = cpu_to_le32(inode->i_ino),
		.v_dim = cpu_to_le16(dim),
		.v_type = type,
		.v_data_len = cpu_to_le32(len),
		.v_generation = cpu_to_le32(inode->i_generation),
	};
	u32 i;
	int err;

	vh.v_checksum = cpu_to_le32(vector_csum(&vh, data, len));
	err = vexfs_new_blocks_contig(sb, n, first);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		struct buffer_head *bh = sb_getblk(sb, *first + i);
		u64 off = (u64)i * sb->s_blocksize;
		u32 j;

		err = -ENOMEM;
		if (bh) {
			lock_buffer(bh);
			err = vexfs_get_create_access(sb, bh);
			if (err)
				unlock_buffer(bh);
		}
		if (err) {
			brelse(bh);
			while (i < n)
				vexfs_free_block(sb, *first + i++);
			return err;
		}
		memset(bh->b_data, 0, bh->b_size);
		for (j = 0; j < sb->s_blocksize && off + j < HEAD_SIZE + len; j++) {
			u64 pos = off + j;

			bh->b_data[j] = pos < HEAD_SIZE ? ((u8 *)&vh)[pos] :
				       data[pos - HEAD_SIZE];
		}
		set_buffer_uptodate(bh);
		unlock_buffer(bh);
		vexfs_dirty_metadata(sb, bh);
		brelse(bh);
	}
	return 0;
}

/*
 * Point @inode at the record @first of @dim elements of @type (0: none)
 * and free the previous one.  Caller holds the inode lock.
 */
static void vector_replace(struct inode *inode, u32 first, u32 dim, u32 type)
{
	struct super_block *sb = inode->i_sb;
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u32 old_first, old_n = 0, n = 0, i;

	if (vi->i_vec_dim)
		old_n = record_blocks(sb, vi->i_vec_dim, vi->i_vec_type);
	if (dim)
		n = record_blocks(sb, dim, type);
	/* i_blocks also moves under i_map_sem when blocks are mapped */
	down_write(&vi->i_map_sem);
	old_first = vi->i_vec_block;
	vi->i_vec_block = first;
	vi->i_vec_dim = dim;
	vi->i_vec_type = type;
	inode->i_blocks += ((blkcnt_t)n - old_n) << (sb->s_blocksize_bits - 9);
	up_write(&vi->i_map_sem);
	vexfs_touch_ctime(inode);
	for (i = 0; i < old_n; i++) {
		vexfs_forget_meta(sb, old_first + i);
		vexfs_free_block(sb, old_first + i);
	}
}

/* At eviction of a deleted inode: free its record. */
void vexfs_vector_free(struct inode *inode)
{
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	u32 n, i;

	if (!vi->i_vec_dim)
		return;
	n = record_blocks(inode->i_sb, vi->i_vec_dim, vi->i_vec_type);
	vexfs_journal_ensure(inode, 3, n, false);
	for (i = 0; i < n; i++) {
		vexfs_forget_meta(inode->i_sb, vi->i_vec_block + i);
		vexfs_free_block(inode->i_sb, vi->i_vec_block + i);
	}
	vi->i_vec_block = 0;
	vi->i_vec_dim = 0;
	vi->i_vec_type = 0;
}

/* ---- ioctl argument handling --------------------------------------------- */

static int get_arg(void *karg, size_t ksize, const void __user *uarg,
		   u32 min_size, u32 *usize)
{
	if (get_user(*usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (*usize < min_size)
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

static int put_arg(void __user *uarg, const void *karg, size_t ksize, u32 usize)
{
	return copy_to_user(uarg, karg, min_t(size_t, ksize, usize)) ? -EFAULT : 0;
}

/* Copy @dim elements of @type from user memory; floats must be finite. */
static u8 *get_elements(u64 uptr, u32 dim, u32 type)
{
	u32 len = dim * vexfs_vec_elem_size(type), i;
	u8 *data;

	data = kvmalloc(len, GFP_KERNEL);
	if (!data)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(data, u64_to_user_ptr(uptr), len)) {
		kvfree(data);
		return ERR_PTR(-EFAULT);
	}
	if (type == VEXFS_VEC_FLOAT32) {
		for (i = 0; i < dim; i++) {
			if (!vexfs_f32_finite(le32_to_cpup((__le32 *)data + i))) {
				kvfree(data);
				return ERR_PTR(-EINVAL);
			}
		}
	}
	return data;
}

/* The largest record: what a set may have to revoke. */
static u32 max_record_blocks(struct super_block *sb)
{
	return record_blocks(sb, VEXFS_VEC_MAX_DIM, VEXFS_VEC_FLOAT32);
}

static long vexfs_ioc_vec_set(struct file *file, void __user *uarg)
{
	struct inode *inode = file_inode(file);
	struct super_block *sb = inode->i_sb;
	struct vexfs_vec_arg arg;
	handle_t *handle;
	u32 usize, first;
	u8 *data;
	int err;

	err = get_arg(&arg, sizeof(arg), uarg, VEXFS_VEC_ARG_SIZE_VER0, &usize);
	if (err)
		return err;
	if (!S_ISREG(inode->i_mode) || arg.flags ||
	    !vexfs_vector_valid(arg.dim, arg.elem_type))
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	data = get_elements(arg.data, arg.dim, arg.elem_type);
	if (IS_ERR(data))
		return PTR_ERR(data);
	err = mnt_want_write_file(file);
	if (err)
		goto out_free;
	inode_lock(inode);
	handle = vexfs_journal_start(sb, VEXFS_VEC_CREDITS(record_blocks(sb,
					arg.dim, arg.elem_type)),
				     max_record_blocks(sb));
	if (IS_ERR(handle)) {
		err = PTR_ERR(handle);
		goto out_unlock;
	}
	err = vector_write(inode, arg.dim, arg.elem_type, data, &first);
	if (!err)
		vector_replace(inode, first, arg.dim, arg.elem_type);
	vexfs_journal_stop(handle);
out_unlock:
	inode_unlock(inode);
	mnt_drop_write_file(file);
out_free:
	kvfree(data);
	return err;
}

static long vexfs_ioc_vec_get(struct file *file, void __user *uarg)
{
	struct inode *inode = file_inode(file);
	struct vexfs_inode_info *vi = VEXFS_I(inode);
	struct vexfs_vec_arg arg;
	u8 *data = NULL;
	u32 usize, len;
	int err;

	/* the vector is the file's data: read access, as read() needs */
	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	err = get_arg(&arg, sizeof(arg), uarg, VEXFS_VEC_ARG_SIZE_VER0, &usize);
	if (err)
		return err;
	if (!S_ISREG(inode->i_mode) || arg.flags)
		return -EINVAL;
	inode_lock_shared(inode);
	if (!vi->i_vec_dim) {
		err = -ENODATA;
		goto out_unlock;
	}
	if (arg.dim < vi->i_vec_dim) {
		err = -ENOSPC;
	} else {
		len = vi->i_vec_dim * vexfs_vec_elem_size(vi->i_vec_type);
		data = kvmalloc(len, GFP_KERNEL);
		err = data ? vector_read(inode, data) : -ENOMEM;
		if (!err && copy_to_user(u64_to_user_ptr(arg.data), data, len))
			err = -EFAULT;
	}
	arg.dim = vi->i_vec_dim;
	arg.elem_type = vi->i_vec_type;
	if (err == 0 || err == -ENOSPC) {
		int perr = put_arg(uarg, &arg, sizeof(arg), usize);

		if (perr)
			err = perr;
	}
out_unlock:
	inode_unlock_shared(inode);
	kvfree(data);
	return err;
}

static long vexfs_ioc_vec_remove(struct file *file, void __user *uarg)
{
	struct inode *inode = file_inode(file);
	handle_t *handle;
	int err;

	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	err = mnt_want_write_file(file);
	if (err)
		return err;
	inode_lock(inode);
	handle = vexfs_journal_start(inode->i_sb, VEXFS_VEC_CREDITS(0),
				     max_record_blocks(inode->i_sb));
	if (IS_ERR(handle)) {
		err = PTR_ERR(handle);
		goto out_unlock;
	}
	if (VEXFS_I(inode)->i_vec_dim)
		vector_replace(inode, 0, 0, 0);
	else
		err = -ENODATA;
	vexfs_journal_stop(handle);
out_unlock:
	inode_unlock(inode);
	mnt_drop_write_file(file);
	return err;
}

/* ---- search ------------------------------------------------------------------ *
 *
 * The search holds a directory's lock only while it reads that directory:
 * the subdirectories it finds wait on a stack, by inode number and
 * parent, and each is visited later.  By then it may be gone (rmdir), or
 * its number may name another inode: a subdirectory whose inode is free,
 * has no link, is no longer a directory or whose ".." is no longer the
 * parent is skipped, as a name removed before the search began would
 * have been.  That is no inconsistency: nothing is reported.
 */

struct search_dir {
	u32 ino;
	u32 parent;		/* 0 for the directory the search started in */
};

struct search {
	struct file *file;
	struct super_block *sb;
	u32 metric, type, dim, k, n;
	s32 *q;			/* the query as integers */
	u64 nq;			/* its sum of squares */
	u8 *raw;		/* a candidate's elements */
	struct vexfs_candidate *best;	/* n of them, best first */
	u64 compared;
	struct search_dir *stack;	/* directories still to visit */
	size_t depth, cap;
};

/* Compare file @ino if it is a readable regular file with a vector of
 * the query's type and dimension.
 */
static int search_file(struct search *s, u32 ino)
{
	struct vexfs_inode_info *vi;
	struct vexfs_score_acc acc;
	struct vexfs_candidate c;
	struct inode *inode;
	int err = 0;

	inode = vexfs_iget(s->sb, ino, VEXFS_IGET_NORMAL);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	vi = VEXFS_I(inode);
	if (!S_ISREG(inode->i_mode) ||
	    dsmil_inode_permission(s->file, inode, MAY_READ))
		goto out;
	inode_lock_shared(inode);
	if (vi->i_vec_dim == s->dim && vi->i_vec_type == s->type) {
		err = vector_read(inode, s->raw);
		if (!err) {
			vexfs_score_acc(s->q, s->raw, s->dim, s->type, &acc);
			s->compared++;
			c.ino = inode->i_ino;
			c.dot = acc.dot;
			c.nv = acc.nv;
			if (!vexfs_score(s->metric, &acc, s->nq, &c.score))
				vexfs_topk_insert(s->best, &s->n, s->k, s->metric, s->type, &c);
		}
	}
	inode_unlock_shared(inode);
out:
	iput(inode);
	return err;
}

static int push_dir(struct search *s, u32 ino, u32 parent)
{
	if (s->depth == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct search_dir *stack;

		stack = kvmalloc_array(cap, sizeof(*stack), GFP_KERNEL);

		if (!stack)
			return -ENOMEM;
		if (s->depth)
			memcpy(stack, s->stack, s->depth * sizeof(*stack));
		kvfree(s->stack);
		s->stack = stack;
		s->cap = cap;
	}
	s->stack[s->depth].ino = ino;
	s->stack[s->depth].parent = parent;
	s->depth++;
	return 0;
}

/*
 * Compare the files of directory @dir; queue its subdirectories.  With
 * @parent, @dir was found there earlier: if its ".." names another
 * directory now, it moved or its inode was reused, and it is skipped.
 */
static int search_dir(struct search *s, struct inode *dir, u32 parent)
{
	unsigned int per_block = s->sb->s_blocksize / VEXFS_DIRENT_SIZE;
	u64 n = i_size_read(dir) >> s->sb->s_blocksize_bits, lblock;
	int err = 0;

	for (lblock = 0; lblock < n && !err; lblock++) {
		struct buffer_head *bh;
		unsigned int slot;

		err = vexfs_dir_next_block();
		if (!err)
			err = vexfs_read_dir_block(dir, lblock, &bh);
		if (err)
			break;
		if (!lblock && parent &&
		    le32_to_cpu(((struct vexfs_dirent *)bh->b_data)[1].d_ino) != parent) {
			brelse(bh);
			break;
		}
		for (slot = lblock ? 0 : 2; slot < per_block && !err; slot++) {
			struct vexfs_dirent *de =
				(struct vexfs_dirent *)bh->b_data + slot;

			if (!de->d_ino)
				continue;
			err = vexfs_check_dirent(dir, de);
			if (err)
				break;
			if (de->d_type == VEXFS_FT_DIR)
				err = push_dir(s, le32_to_cpu(de->d_ino),
					       dir->i_ino);
			else if (de->d_type == VEXFS_FT_REG)
				err = search_file(s, le32_to_cpu(de->d_ino));
		}
		brelse(bh);
	}
	return err;
}

static int search_tree(struct search *s, struct inode *start)
{
	struct vexfs_sb_info *sbi = VEXFS_SB(s->sb);
	/* a damaged image may link directories in a cycle: bound the walk */
	u64 budget = sbi->g.inodes_count;
	int err;

	err = push_dir(s, start->i_ino, 0);
	while (!err && s->depth && budget--) {
		struct search_dir d = s->stack[--s->depth];
		struct inode *dir;

		dir = !d.parent ? igrab(start) :
		      vexfs_iget(s->sb, d.ino, VEXFS_IGET_SEARCH);
		if (dir == ERR_PTR(-ESTALE))
			continue;	/* removed since its entry was read */
		if (IS_ERR_OR_NULL(dir))
			return dir ? PTR_ERR(dir) : -ENOENT;
		if (S_ISDIR(dir->i_mode) &&
		    !dsmil_inode_permission(s->file, dir, MAY_READ | MAY_EXEC)) {
			inode_lock_shared(dir);
			/* removed, or being removed: nothing to search */
			if (dir->i_nlink && !IS_DEADDIR(dir))
				err = search_dir(s, dir, d.parent);
			inode_unlock_shared(dir);
		}
		iput(dir);
		cond_resched();
		if (!err && fatal_signal_pending(current))
			err = -EINTR;
	}
	return err;
}

static long vexfs_ioc_search(struct file *file, void __user *uarg)
{
	struct inode *dir = file_inode(file);
	struct vexfs_search_arg arg;
	struct search s = { .file = file, .sb = dir->i_sb };
	u8 *query;
	u32 usize, i;
	int err;

	err = get_arg(&arg, sizeof(arg), uarg, VEXFS_SEARCH_ARG_SIZE_VER0,
		      &usize);
	if (err)
		return err;
	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	if (!vexfs_search_arg_valid(&arg))
		return -EINVAL;
	s.metric = arg.metric;
	s.type = arg.elem_type;
	s.dim = arg.dim;
	s.k = arg.k;
	query = get_elements(arg.query, arg.dim, arg.elem_type);
	if (IS_ERR(query))
		return PTR_ERR(query);
	s.q = kvmalloc_array(s.dim, sizeof(*s.q), GFP_KERNEL);
	s.raw = kvmalloc(s.dim * vexfs_vec_elem_size(s.type), GFP_KERNEL);
	s.best = kvmalloc_array(s.k, sizeof(*s.best), GFP_KERNEL);
	if (!s.q || !s.raw || !s.best) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s.dim; i++) {
		s.q[i] = vexfs_vec_elem(query, i, s.type);
		s.nq += (u64)((s64)s.q[i] * s.q[i]);
	}
	if (s.metric == VEXFS_METRIC_COSINE && !s.nq) {
		err = -EINVAL;	/* no cosine against a zero vector */
		goto out;
	}
	err = search_tree(&s, dir);
	if (err)
		goto out;
	for (i = 0; i < s.n; i++) {
		struct vexfs_search_result r = {
			.ino = s.best[i].ino,
			.score = s.best[i].score,
		};

		if (copy_to_user(u64_to_user_ptr(arg.results) + i * sizeof(r),
				 &r, sizeof(r))) {
			err = -EFAULT;
			goto out;
		}
	}
	arg.k = s.n;
	arg.compared = s.compared;
	arg.score_shift = vexfs_score_shift(s.metric, s.type);
	err = put_arg(uarg, &arg, sizeof(arg), usize);
out:
	kvfree(s.stack);
	kvfree(s.best);
	kvfree(s.raw);
	kvfree(s.q);
	kvfree(query);
	return err;
}

long vexfs_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VEXFS_IOC_VEC_SET:
		return vexfs_ioc_vec_set(file, uarg);
	case VEXFS_IOC_VEC_GET:
		return vexfs_ioc_vec_get(file, uarg);
	case VEXFS_IOC_VEC_REMOVE:
		return vexfs_ioc_vec_remove(file, uarg);
	case VEXFS_IOC_SEARCH:
		return vexfs_ioc_search(file, uarg);
	}
	return -ENOTTY;
}
