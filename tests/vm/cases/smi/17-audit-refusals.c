// SPDX-License-Identifier: GPL-2.0
/*
 * Refused ops cannot flush the audit ring: refusals are kept in a ring of
 * their own (the last 256), so a flood of them by an unprivileged user
 * (token reads of a token nobody has: -ENOENT, open to anyone who can open
 * ctl) leaves root's earlier records - an unlock, a write, a refused
 * write, a relock - readable, in order, with the last 256 refusals.
 */
#include "audit-flood.h"

int main(void)
{
	int fd;

	smi_load("");
	fd = ctl_open();
	root_records(fd);
	flood_as_nobody(0x9000, -ENOENT, 0);
	check_after_flood(" op=read token=0x9000 ", " result=-2 ");
	close(fd);
	return 0;
}
