// SPDX-License-Identifier: GPL-2.0
/*
 * RLIMIT_MEMLOCK is enforced for a locker without CAP_IPC_LOCK (-ENOMEM),
 * while root (CAP_IPC_LOCK) may lock past it.  The frontend lets only
 * CAP_SYS_RAWIO lock, so the limited locker is a child that becomes nobody
 * keeping CAP_SYS_RAWIO alone.  Without CAP_SYS_RAWIO nobody cannot lock,
 * move or claim at all (-EPERM) and nothing gets pinned.
 *
 * The limit is the user's, not each process's (as io_uring and RDMA
 * charge user->locked_vm): two processes of nobody together cannot lock
 * more than RLIMIT_MEMLOCK.
 */
#include "dmalock-lib.h"
#include "../unpriv.h"

#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

/* Become nobody; keep CAP_SYS_RAWIO (and nothing else) if @rawio. */
static void become_nobody(int rawio)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (rawio && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		fail("PR_SET_KEEPCAPS: %s", strerror(errno));
	if (setgroups(0, NULL) || setgid(UNPRIV_ID) || setuid(UNPRIV_ID))
		fail("cannot become nobody: %s", strerror(errno));
	memset(data, 0, sizeof(data));
	if (rawio) {
		data[CAP_SYS_RAWIO / 32].permitted = 1U << (CAP_SYS_RAWIO % 32);
		data[CAP_SYS_RAWIO / 32].effective = 1U << (CAP_SYS_RAWIO % 32);
	}
	if (syscall(SYS_capset, &hdr, data))
		fail("capset: %s", strerror(errno));
	/* what nobody reads: its VmLck (vmlck_kb()) */
	if (!unpriv_reach("/proc/self"))
		exit(1);
}

/* Run @fn in a child and expect it to exit 0. */
static void in_child(void (*fn)(unsigned char *), unsigned char *p,
		     const char *what)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		fn(p);
		exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("%s failed", what);
}

static void limited_locker(unsigned char *p)
{
	uint32_t h, h2;
	int fd;

	/* An owner of the child's own mm, opened while still root. */
	fd = ctl_open();
	become_nobody(1);
	expect_eq(dl_lock(fd, p, 1 * MiB, LOCK_BIDI, &h), -ENOMEM,
		  "nobody with CAP_SYS_RAWIO locks 1 MiB with a 64 KiB limit");
	expect_eq(dl_lock(fd, p, 32 * 1024, LOCK_BIDI, &h), 0,
		  "nobody locks 32 KiB");
	expect_eq(dl_lock(fd, p + 32 * 1024, 32 * 1024, LOCK_BIDI, &h2),
		  0, "nobody locks 32 KiB more (64 KiB in all)");
	expect_eq(dl_lock(fd, p + 64 * 1024, 4096, LOCK_BIDI, NULL),
		  -ENOMEM, "one page past the limit");
	expect_eq(vmlck_kb(), 64, "VmLck (kB)");
	expect_eq(dl_xfer(fd, h, 0, 0, 16, XFER_TO_DEV), 0,
		  "nobody with CAP_SYS_RAWIO moves its buffer");
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	expect_eq(dl_unlock(fd, h2), 0, "unlock");
	expect_eq(vmlck_kb(), 0, "VmLck after unlock (kB)");
}

static void unprivileged(unsigned char *p)
{
	int fd = ctl_open();

	become_nobody(0);
	expect_eq(dl_lock(fd, p, PAGE, LOCK_BIDI, NULL), -EPERM,
		  "nobody without CAP_SYS_RAWIO locks a page");
	expect_eq(dl_claim(fd, CLAIM_EXCL, CLAIM_NONBLOCK, 0), -EPERM,
		  "nobody without CAP_SYS_RAWIO claims the engine");
	expect_eq(dl_xfer(fd, 1, 0, 0, 16, XFER_TO_DEV), -EPERM,
		  "nobody without CAP_SYS_RAWIO moves a buffer");
	expect_eq(dl_unlock(fd, 1), -ENOENT, "unlock of a handle it never had");
	expect_eq(vmlck_kb(), 0, "VmLck (kB)");
}

static void second_locker(unsigned char *p)
{
	uint32_t h;
	int fd = ctl_open();

	become_nobody(1);
	expect_eq(dl_lock(fd, p + 64 * 1024, 32 * 1024, LOCK_BIDI, NULL),
		  -ENOMEM,
		  "a second process of nobody locks 32 KiB (80 KiB for the user)");
	expect_eq(vmlck_kb(), 0, "VmLck after the refusal (kB)");
	expect_eq(dl_lock(fd, p + 64 * 1024, 16 * 1024, LOCK_BIDI, &h), 0,
		  "a second process of nobody locks 16 KiB (64 KiB for the user)");
	expect_eq(dl_unlock(fd, h), 0, "unlock");
}

/* Two processes of one user share its RLIMIT_MEMLOCK. */
static void shared_limit(unsigned char *p)
{
	int held[2], done[2], status;
	pid_t first;
	char c = 0;

	if (pipe(held) || pipe(done))
		fail("pipe: %s", strerror(errno));
	first = fork();
	if (first < 0)
		fail("fork");
	if (first == 0) {
		uint32_t h;
		int fd = ctl_open();

		close(held[0]);
		close(done[1]);
		become_nobody(1);
		expect_eq(dl_lock(fd, p, 48 * 1024, LOCK_BIDI, &h), 0,
			  "the first process of nobody locks 48 KiB");
		if (write(held[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
			fail("pipe to the parent");
		expect_eq(dl_unlock(fd, h), 0, "unlock");
		exit(0);
	}
	close(held[1]);
	close(done[0]);
	if (read(held[0], &c, 1) != 1) {
		waitpid(first, NULL, 0);
		fail("the first locker did not lock");
	}
	in_child(second_locker, p, "the second process of the same user");
	if (write(done[1], &c, 1) != 1)
		fail("pipe to the first locker");
	if (waitpid(first, &status, 0) != first || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the first process of the same user failed");
	close(held[0]);
	close(done[1]);
}

int main(void)
{
	struct rlimit rl = { .rlim_cur = 64 * 1024, .rlim_max = 64 * 1024 };
	unsigned char *p;
	uint32_t h;
	int fd;

	load("emu");
	p = anon(1 * MiB);
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		fail("setrlimit: %s", strerror(errno));

	fd = ctl_open();
	expect_eq(dl_lock(fd, p, 1 * MiB, LOCK_BIDI, &h), 0,
		  "root locks 1 MiB past a 64 KiB limit");
	expect_eq(vmlck_kb(), 1024, "VmLck of root (kB)");
	expect_eq(dl_unlock(fd, h), 0, "unlock");
	close(fd);

	/* In children: the parent unloads the modules as root. */
	in_child(limited_locker, p, "the part with CAP_SYS_RAWIO only");
	in_child(unprivileged, p, "the part without capabilities");
	shared_limit(p);
	expect_nothing_held("after the children");
	return 0;
}
