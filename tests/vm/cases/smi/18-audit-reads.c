// SPDX-License-Identifier: GPL-2.0
/*
 * Accepted reads cannot flush the audit ring either: a token read is the
 * one op any opener of ctl may make, and the rate limit lets 1,000 a
 * second through by default, so an unprivileged flood of reads that do
 * reach the transport (a token that exists) must not evict root's earlier
 * records - an unlock, a write, a refused write, a relock.  Reads are kept
 * in a ring of their own (the last 256), as refused reads are (17).
 */
#include "audit-flood.h"

int main(void)
{
	int fd;

	/* no rate limit: the flood takes no time (the default lets it
	 * through in two seconds) */
	smi_load("max_calls_per_sec=0");
	fd = ctl_open();
	root_records(fd);
	flood_as_nobody(0x8001, 0, 0xabc);
	check_after_flood(" op=read token=0x8001 value=0x00000abc ", " result=0 ");
	close(fd);
	return 0;
}
