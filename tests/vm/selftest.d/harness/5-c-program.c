// SPDX-License-Identifier: GPL-2.0
/* A C case: the harness compiles it on the host and runs it in the guest. */
#include <stdio.h>
#include <sys/utsname.h>

int main(void)
{
	struct utsname u;

	if (uname(&u))
		return 1;
	printf("# running on %s\n", u.release);
	return 0;
}
