// SPDX-License-Identifier: GPL-2.0
/*
 * image.c - block I/O on the device or image file holding a filesystem.
 */
#include <errno.h>
#include <fcntl.h>
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
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}

int vexfs_read_bytes(struct vexfs_image *img, uint64_t off, size_t len,
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

int vexfs_write_bytes(struct vexfs_image *img, uint64_t off, size_t len,
		      const void *buf)
{
	const uint8_t *p = buf;

	if (!img->writable)
		return -EROFS;
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
	if (fsync(img->fd) < 0)
		return -errno;
	return 0;
}
