// SPDX-License-Identifier: GPL-2.0
/*
 * image.c - block I/O on the device or image file holding a filesystem.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#include "vexfs.h"

int vexfs_image_open(struct vexfs_image *img, const char *path, bool writable,
		     bool exclusive)
{
	struct stat st;
	int flags = writable ? O_RDWR : O_RDONLY;
	int fd, err;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		goto err_errno;
	if (S_ISBLK(st.st_mode)) {
		if (exclusive) {
			/* O_EXCL on a block device: refused while mounted */
			close(fd);
			fd = open(path, flags | O_CLOEXEC | O_EXCL);
			if (fd < 0)
				return -errno;
		}
		if (ioctl(fd, BLKGETSIZE64, &img->dev_bytes) < 0)
			goto err_errno;
		img->is_blockdev = true;
	} else if (S_ISREG(st.st_mode)) {
		img->dev_bytes = (uint64_t)st.st_size;
	} else {
		close(fd);
		return -ENOTBLK;
	}
	img->fd = fd;
	img->writable = writable;
	img->path = path;
	return 0;

err_errno:
	err = -errno;
	close(fd);
	return err;
}

void vexfs_image_close(struct vexfs_image *img)
{
	vexfs_image_overlay_drop(img);
	vexfs_image_cache_drop(img);
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}

/*
 * The overlay: writes kept in memory, in chunks of OV_CHUNK bytes (the
 * smallest unit written: a 1 KiB block, the superblock), found by an
 * open-addressing hash of the chunk's number.  Reads see the device with
 * the overlay's chunks over it.
 */
#define OV_CHUNK 512

struct vexfs_overlay {
	uint64_t *keys;		/* chunk number + 1; 0: an empty slot */
	uint8_t **data;
	size_t cap, n;		/* cap: a power of two */
};

static size_t ov_slot(const struct vexfs_overlay *ov, uint64_t key)
{
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & (ov->cap - 1);

	while (ov->keys[i] && ov->keys[i] != key)
		i = (i + 1) & (ov->cap - 1);
	return i;
}

static uint8_t *ov_find(const struct vexfs_overlay *ov, uint64_t chunk)
{
	size_t i = ov_slot(ov, chunk + 1);

	return ov->keys[i] ? ov->data[i] : NULL;
}

static int ov_grow(struct vexfs_overlay *ov)
{
	struct vexfs_overlay bigger = { .cap = ov->cap ? ov->cap * 2 : 1024 };

	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.data = calloc(bigger.cap, sizeof(*bigger.data));
	if (!bigger.keys || !bigger.data) {
		free(bigger.keys);
		free(bigger.data);
		return -ENOMEM;
	}
	for (size_t i = 0; i < ov->cap; i++) {
		if (ov->keys[i]) {
			size_t j = ov_slot(&bigger, ov->keys[i]);

			bigger.keys[j] = ov->keys[i];
			bigger.data[j] = ov->data[i];
		}
	}
	free(ov->keys);
	free(ov->data);
	bigger.n = ov->n;
	*ov = bigger;
	return 0;
}

int vexfs_image_overlay(struct vexfs_image *img)
{
	if (img->ov)
		return 0;
	img->ov = calloc(1, sizeof(*img->ov));
	if (!img->ov || ov_grow(img->ov)) {
		free(img->ov);
		img->ov = NULL;
		return -ENOMEM;
	}
	return 0;
}

void vexfs_image_overlay_drop(struct vexfs_image *img)
{
	struct vexfs_overlay *ov = img->ov;

	if (!ov)
		return;
	for (size_t i = 0; i < ov->cap; i++)
		free(ov->data[i]);
	free(ov->keys);
	free(ov->data);
	free(ov);
	img->ov = NULL;
}

static int read_device(struct vexfs_image *img, uint64_t off, size_t len,
		       void *buf);

/* The overlay's chunk @chunk, made from the device's bytes if new. */
static uint8_t *ov_chunk(struct vexfs_image *img, uint64_t chunk)
{
	struct vexfs_overlay *ov = img->ov;
	uint8_t *d = ov_find(ov, chunk);
	size_t i;

	if (d)
		return d;
	if ((ov->n + 1) * 2 > ov->cap && ov_grow(ov))
		return NULL;
	d = calloc(1, OV_CHUNK);
	if (!d)
		return NULL;
	/* (the device's last chunk may be short: ov_write stays inside) */
	if (read_device(img, chunk * OV_CHUNK,
			img->dev_bytes - chunk * OV_CHUNK < OV_CHUNK ?
			img->dev_bytes - chunk * OV_CHUNK : OV_CHUNK, d)) {
		free(d);
		return NULL;
	}
	i = ov_slot(ov, chunk + 1);
	ov->keys[i] = chunk + 1;
	ov->data[i] = d;
	ov->n++;
	return d;
}

/* Write @len bytes at @off into the overlay: -ENOSPC past the device. */
static int ov_write(struct vexfs_image *img, uint64_t off, size_t len,
		    const uint8_t *p)
{
	if (off > img->dev_bytes || len > img->dev_bytes - off)
		return -ENOSPC;
	while (len) {
		uint64_t chunk = off / OV_CHUNK;
		size_t at = (size_t)(off % OV_CHUNK);
		size_t n = OV_CHUNK - at < len ? OV_CHUNK - at : len;
		uint8_t *d = ov_chunk(img, chunk);

		if (!d)
			return -ENOMEM;
		memcpy(d + at, p, n);
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Lay the overlay's chunks over @len bytes read at @off. */
static void ov_read(const struct vexfs_overlay *ov, uint64_t off, size_t len,
		    uint8_t *p)
{
	while (len) {
		uint64_t chunk = off / OV_CHUNK;
		size_t at = (size_t)(off % OV_CHUNK);
		size_t n = OV_CHUNK - at < len ? OV_CHUNK - at : len;
		const uint8_t *d = ov_find(ov, chunk);

		if (d)
			memcpy(p, d + at, n);
		p += n;
		off += n;
		len -= n;
	}
}

int vexfs_read_bytes(struct vexfs_image *img, uint64_t off, size_t len,
		     void *buf)
{
	int err = read_device(img, off, len, buf);

	if (!err && img->ov && img->ov->n)
		ov_read(img->ov, off, len, buf);
	return err;
}

static int read_device(struct vexfs_image *img, uint64_t off, size_t len,
		       void *buf)
{
	if (img->bc && len && off / img->block_size ==
	    (off + len - 1) / img->block_size &&
	    vexfs_bcache_read(img, off, len, buf))
		return 0;
	return vexfs_image_pread(img, off, len, buf);
}

int vexfs_image_pread(struct vexfs_image *img, uint64_t off, size_t len,
		      void *buf)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(img->fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;	/* beyond the end of the device */
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int write_device(struct vexfs_image *img, uint64_t off, size_t len,
			const uint8_t *p)
{
	while (len) {
		ssize_t n = pwrite(img->fd, p, len, (off_t)off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENOSPC;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int vexfs_write_bytes(struct vexfs_image *img, uint64_t off, size_t len,
		      const void *buf)
{
	int err;

	if (img->ov)
		return ov_write(img, off, len, buf);
	if (!img->writable)
		return -EROFS;
	err = write_device(img, off, len, buf);
	if (img->bc)
		vexfs_bcache_wrote(img, off, len, err ? NULL : buf);
	return err;
}

int vexfs_read_blocks(struct vexfs_image *img, uint64_t block, uint32_t count,
		      void *buf)
{
	return vexfs_read_bytes(img, block * img->block_size,
				(size_t)count * img->block_size, buf);
}

int vexfs_write_blocks(struct vexfs_image *img, uint64_t block,
		       uint32_t count, const void *buf)
{
	return vexfs_write_bytes(img, block * img->block_size,
				 (size_t)count * img->block_size, buf);
}

int vexfs_image_sync(struct vexfs_image *img)
{
	if (img->ov)
		return 0;
	if (fsync(img->fd) < 0)
		return -errno;
	return 0;
}
