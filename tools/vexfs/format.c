// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - decoding, encoding and validation of the VexFS structures of
 * <linux/vexfs_fs.h> in userspace.
 */
#include <string.h>

#include "vexfs.h"

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

int vexfs_super_decode(const void *raw, uint64_t dev_bytes,
		       struct vexfs_super *s, const char **why,
		       bool *not_vexfs)
{
	const struct vexfs_super_block *sb = raw;
	struct vexfs_geometry *g = &s->g;
	const char *problem;

	memset(s, 0, sizeof(*s));
	*not_vexfs = false;
	s->magic = le32toh(sb->s_magic);
	s->version = le32toh(sb->s_version);
	if (s->magic != VEXFS_SUPER_MAGIC) {
		*not_vexfs = true;
		*why = "bad magic number: not a VexFS filesystem";
		return -1;
	}
	s->checksum = le32toh(sb->s_checksum);
	if (s->checksum != vexfs_super_csum(sb)) {
		*why = "superblock checksum mismatch";
		return -1;
	}
	if (s->version != VEXFS_VERSION_1 && s->version != VEXFS_VERSION_2) {
		*why = "unsupported format version";
		return -1;
	}
	s->feature_compat = le32toh(sb->s_feature_compat);
	s->feature_ro_compat = le32toh(sb->s_feature_ro_compat);
	s->feature_incompat = le32toh(sb->s_feature_incompat);
	if (s->feature_incompat &
	    ~(s->version == VEXFS_VERSION_1 ? 0 : VEXFS_FEATURE_INCOMPAT_SUPP)) {
		*why = "unknown incompatible feature";
		return -1;
	}
	g->block_size = le32toh(sb->s_block_size);
	g->blocks_count = le64toh(sb->s_blocks_count);
	g->inodes_count = le32toh(sb->s_inodes_count);
	g->inode_size = le32toh(sb->s_inode_size);
	g->ibitmap_start = le64toh(sb->s_ibitmap_start);
	g->bbitmap_start = le64toh(sb->s_bbitmap_start);
	g->itable_start = le64toh(sb->s_itable_start);
	g->data_start = le64toh(sb->s_data_start);
	g->ibitmap_blocks = le32toh(sb->s_ibitmap_blocks);
	g->bbitmap_blocks = le32toh(sb->s_bbitmap_blocks);
	g->itable_blocks = le32toh(sb->s_itable_blocks);
	g->root_ino = le32toh(sb->s_root_ino);
	problem = vexfs_geometry_check(g, dev_bytes);
	if (problem) {
		*why = problem;
		return -1;
	}
	if (s->version >= VEXFS_VERSION_2) {
		s->journal_start = le32toh(sb->s_journal_start);
		s->journal_blocks = le32toh(sb->s_journal_blocks);
		s->lpf_ino = le32toh(sb->s_lpf_ino);
		s->last_orphan = le32toh(sb->s_last_orphan);
		problem = vexfs_journal_check(g, vexfs_has_journal(s),
					      s->journal_start, s->journal_blocks);
		if (problem) {
			*why = problem;
			return -1;
		}
		if ((s->feature_incompat & VEXFS_FEATURE_INCOMPAT_RECOVER) &&
		    !vexfs_has_journal(s)) {
			*why = "needs journal recovery but has no journal";
			return -1;
		}
		if (s->lpf_ino > g->inodes_count || s->lpf_ino == VEXFS_ROOT_INO) {
			*why = "lost+found inode number out of range";
			return -1;
		}
	}
	s->state = le32toh(sb->s_state);
	if (s->state & ~VEXFS_STATE_KNOWN) {
		*why = "unknown state flags";
		return -1;
	}
	s->errors = le16toh(sb->s_errors);
	if (s->errors < VEXFS_ERRORS_CONTINUE || s->errors > VEXFS_ERRORS_PANIC) {
		*why = "invalid errors behaviour";
		return -1;
	}
	s->mkfs_time = (int64_t)le64toh(sb->s_mkfs_time);
	s->mount_time = (int64_t)le64toh(sb->s_mount_time);
	s->write_time = (int64_t)le64toh(sb->s_write_time);
	s->mount_count = le32toh(sb->s_mount_count);
	memcpy(s->uuid, sb->s_uuid, sizeof(s->uuid));
	if (!memchr(sb->s_label, 0, VEXFS_LABEL_LEN)) {
		*why = "label is not NUL-terminated";
		return -1;
	}
	memcpy(s->label, sb->s_label, VEXFS_LABEL_LEN);
	s->label[VEXFS_LABEL_LEN] = 0;
	return 0;
}

void vexfs_super_encode(const struct vexfs_super *s, void *raw)
{
	struct vexfs_super_block *sb = raw;
	const struct vexfs_geometry *g = &s->g;

	memset(sb, 0, sizeof(*sb));
	sb->s_magic = htole32(VEXFS_SUPER_MAGIC);
	sb->s_version = htole32(s->version ? s->version : VEXFS_VERSION);
	sb->s_feature_compat = htole32(s->feature_compat);
	sb->s_feature_ro_compat = htole32(s->feature_ro_compat);
	sb->s_feature_incompat = htole32(s->feature_incompat);
	sb->s_block_size = htole32(g->block_size);
	sb->s_blocks_count = htole64(g->blocks_count);
	sb->s_inodes_count = htole32(g->inodes_count);
	sb->s_inode_size = htole32(g->inode_size);
	sb->s_ibitmap_start = htole64(g->ibitmap_start);
	sb->s_bbitmap_start = htole64(g->bbitmap_start);
	sb->s_itable_start = htole64(g->itable_start);
	sb->s_data_start = htole64(g->data_start);
	sb->s_ibitmap_blocks = htole32(g->ibitmap_blocks);
	sb->s_bbitmap_blocks = htole32(g->bbitmap_blocks);
	sb->s_itable_blocks = htole32(g->itable_blocks);
	sb->s_root_ino = htole32(g->root_ino);
	sb->s_state = htole32(s->state);
	sb->s_errors = htole16(s->errors);
	sb->s_mkfs_time = htole64((uint64_t)s->mkfs_time);
	sb->s_mount_time = htole64((uint64_t)s->mount_time);
	sb->s_write_time = htole64((uint64_t)s->write_time);
	sb->s_mount_count = htole32(s->mount_count);
	memcpy(sb->s_uuid, s->uuid, sizeof(sb->s_uuid));
	memcpy(sb->s_label, s->label, strnlen(s->label, VEXFS_LABEL_LEN - 1));
	if (s->version != VEXFS_VERSION_1) {
		sb->s_journal_start = htole32(s->journal_start);
		sb->s_journal_blocks = htole32(s->journal_blocks);
		sb->s_lpf_ino = htole32(s->lpf_ino);
		sb->s_last_orphan = htole32(s->last_orphan);
	}
	sb->s_checksum = htole32(vexfs_super_csum(sb));
}

void vexfs_inode_decode(const struct vexfs_inode *raw, struct vexfs_dinode *d)
{
	memset(d, 0, sizeof(*d));
	d->mode = le16toh(raw->i_mode);
	d->flags = le16toh(raw->i_flags);
	d->nlink = le32toh(raw->i_nlink);
	d->uid = le32toh(raw->i_uid);
	d->gid = le32toh(raw->i_gid);
	d->size = le64toh(raw->i_size);
	d->blocks = le64toh(raw->i_blocks);
	d->atime = (int64_t)le64toh(raw->i_atime);
	d->mtime = (int64_t)le64toh(raw->i_mtime);
	d->ctime = (int64_t)le64toh(raw->i_ctime);
	d->atime_nsec = le32toh(raw->i_atime_nsec);
	d->mtime_nsec = le32toh(raw->i_mtime_nsec);
	d->ctime_nsec = le32toh(raw->i_ctime_nsec);
	d->generation = le32toh(raw->i_generation);
	for (int i = 0; i < VEXFS_N_BLOCKS; i++)
		d->block[i] = le32toh(raw->i_block[i]);
	d->vec_block = le32toh(raw->i_vec_block);
	d->vec_dim = le16toh(raw->i_vec_dim);
	d->vec_type = raw->i_vec_type;
	d->rdev = le32toh(raw->i_rdev);
	d->next_orphan = le32toh(raw->i_next_orphan);
	d->checksum = le32toh(raw->i_checksum);
	d->reserved_nonzero = raw->i_reserved0 ||
		!all_zero(raw->i_reserved, sizeof(raw->i_reserved));
}

void vexfs_inode_encode(const struct vexfs_dinode *d, uint32_t ino,
			struct vexfs_inode *raw)
{
	memset(raw, 0, sizeof(*raw));
	raw->i_mode = htole16(d->mode);
	raw->i_flags = htole16(d->flags);
	raw->i_nlink = htole32(d->nlink);
	raw->i_uid = htole32(d->uid);
	raw->i_gid = htole32(d->gid);
	raw->i_size = htole64(d->size);
	raw->i_blocks = htole64(d->blocks);
	raw->i_atime = htole64((uint64_t)d->atime);
	raw->i_mtime = htole64((uint64_t)d->mtime);
	raw->i_ctime = htole64((uint64_t)d->ctime);
	raw->i_atime_nsec = htole32(d->atime_nsec);
	raw->i_mtime_nsec = htole32(d->mtime_nsec);
	raw->i_ctime_nsec = htole32(d->ctime_nsec);
	raw->i_generation = htole32(d->generation);
	for (int i = 0; i < VEXFS_N_BLOCKS; i++)
		raw->i_block[i] = htole32(d->block[i]);
	raw->i_vec_block = htole32(d->vec_block);
	raw->i_vec_dim = htole16(d->vec_dim);
	raw->i_vec_type = d->vec_type;
	raw->i_rdev = htole32(d->rdev);
	raw->i_next_orphan = htole32(d->next_orphan);
	raw->i_checksum = htole32(vexfs_inode_csum(raw, ino));
}

bool vexfs_inode_csum_ok(const struct vexfs_inode *raw, uint32_t ino)
{
	return le32toh(raw->i_checksum) == vexfs_inode_csum(raw, ino);
}

const char *vexfs_dirent_check_name(const struct vexfs_dirent *de)
{
	if (de->d_name_len == 0 || de->d_name_len > VEXFS_NAME_LEN)
		return "name length out of range";
	if (memchr(de->d_name, '/', de->d_name_len))
		return "name contains '/'";
	if (memchr(de->d_name, 0, de->d_name_len))
		return "name contains a NUL byte";
	if (!all_zero(de->d_name + de->d_name_len,
		      VEXFS_NAME_LEN - de->d_name_len))
		return "bytes after the name are not zero";
	return NULL;
}
