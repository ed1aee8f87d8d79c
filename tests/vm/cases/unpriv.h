/* SPDX-License-Identifier: GPL-2.0 */
/*
 * unpriv.h - the unprivileged steps of the VM cases written in C (not a
 * case: the harness compiles *.c only).  A case drops its privileges in a
 * forked child: unpriv_become() makes it nobody:nogroup without
 * supplementary groups.  Every path that child walks must be reachable by
 * all users wherever the checkout lives (in a home directory of mode 0700,
 * say): its mount points and files are in $DSMIL_PUB, never in the
 * checkout or in $DSMIL_TMP (tests/vm/guest/run-cases).  unpriv_reach()
 * checks that precondition in the child before anything else, so that a
 * refusal the case expects (EACCES from a file's mode, say) can never pass
 * because the path walk was refused.
 */
#ifndef DSMIL_UNPRIV_H
#define DSMIL_UNPRIV_H

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define UNPRIV_ID	65534	/* nobody, nogroup */

/* Become nobody:nogroup without supplementary groups: 0 or an errno. */
static inline int unpriv_become(void)
{
	if (setgroups(0, NULL) || setgid(UNPRIV_ID) || setuid(UNPRIV_ID))
		return errno;
	return 0;
}

/*
 * Whether the calling process may search @dir and every directory above
 * it; if not, one line on stderr says so and why.
 */
static inline int unpriv_reach(const char *dir)
{
	if (!access(dir, X_OK))
		return 1;
	fprintf(stderr, "FAIL: uid %d cannot reach %s: %s: what an unprivileged "
		"step uses must be in a directory every user can search ($DSMIL_PUB)\n",
		(int)getuid(), dir, strerror(errno));
	return 0;
}

#endif /* DSMIL_UNPRIV_H */
