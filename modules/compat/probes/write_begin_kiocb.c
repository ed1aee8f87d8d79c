// SPDX-License-Identifier: GPL-2.0
/*
 * Since 6.17 address_space_operations.write_begin()/write_end() and
 * generic_write_end() take the const struct kiocb * of the write instead
 * of the struct file *.
 */
#include <linux/buffer_head.h>
#include <linux/fs.h>

static int dsmil_probe_write_end(const struct kiocb *iocb,
				 struct address_space *mapping, loff_t pos,
				 unsigned int len, unsigned int copied,
				 struct folio *folio, void *fsdata)
{
	return generic_write_end(iocb, mapping, pos, len, copied, folio,
				 fsdata);
}

const struct address_space_operations dsmil_probe_aops_write_end = {
	.write_end = dsmil_probe_write_end,
};
