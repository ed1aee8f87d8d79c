// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.5 filemap_splice_read() is the splice_read() of page-cache files
 * (generic_file_splice_read() was removed).
 */
#include <linux/fs.h>

const struct file_operations dsmil_probe_fops_splice = {
	.splice_read = filemap_splice_read,
};
