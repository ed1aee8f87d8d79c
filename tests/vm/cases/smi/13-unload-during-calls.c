// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading during calls is refused or waits safely: while a process
 * makes token calls through /dev/dsmil/ctl, rmmod of the frontend, of
 * dsmil_smi, of dsmil_dmalock and of dsmil_core fails with "in use", and
 * the calls go on unharmed.  After a timeout, with the transport still inside the
 * abandoned op, unloading the service waits for that op to end.  Load,
 * call and unload in a loop.
 */
#include "smi-case.h"

#include <sys/wait.h>

/* rmmod @mod must fail with "in use" and leave it loaded. */
static void rmmod_refused(const char *mod)
{
	char cmd[128], out[512] = "", path[128];
	FILE *f;
	size_t n;
	int status;

	snprintf(cmd, sizeof(cmd), "rmmod %s 2>&1", mod);
	f = popen(cmd, "r");
	if (!f)
		fail("popen %s", cmd);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	status = pclose(f);
	if (!status)
		fail("rmmod %s succeeded during calls", mod);
	if (!strstr(out, "in use"))
		fail("rmmod %s during calls: '%s'", mod, out);
	snprintf(path, sizeof(path), "/sys/module/%s", mod);
	if (access(path, F_OK))
		fail("%s is gone", mod);
}

int main(void)
{
	int fd, status, i, n, stop[2], report[2];
	uint64_t calls, t, t0, t1;
	uint32_t v;
	pid_t pid;

	smi_load("emu_latency_us=20000 timeout_ms=200 max_calls_per_sec=0");
	fd = ctl_open();
	expect_ret(tok_unlock(fd, 0, 0, NULL), 0, "unlock 0");
	expect_ret(tok_write(fd, 0x8000, 0x5a), 0, "write 0x8000");
	calls = smi_stat("calls");

	/*
	 * A child makes calls of 20 ms back to back until told to stop (or
	 * for 60 s at most), then reports how many it made.
	 */
	if (pipe(stop) || pipe(report))
		fail("pipe");
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		/* No fail() here: its exit would run the parent's cleanup. */
		int cfd = open(CTL, O_RDWR), n = 0;
		char c;

		if (cfd < 0)
			_exit(2);
		fcntl(stop[0], F_SETFL, O_NONBLOCK);
		while (read(stop[0], &c, 1) != 1 && n < 3000) {
			int ret = tok_read(cfd, 0x8000, &v);

			n++;
			if (ret || v != 0x5a) {
				fprintf(stderr, "call %d: %s, value %#x\n", n,
					strerror(-ret), v);
				_exit(1);
			}
		}
		if (write(report[1], &n, sizeof(n)) != sizeof(n))
			_exit(3);
		_exit(0);
	}
	close(fd);
	usleep(500000);
	if (waitpid(pid, &status, WNOHANG))
		fail("the calls ended too early (status %#x)", status);
	rmmod_refused("dsmil");
	rmmod_refused("dsmil_smi");
	rmmod_refused("dsmil_dmalock");
	rmmod_refused("dsmil_core");
	if (waitpid(pid, &status, WNOHANG))
		fail("the calls ended during the unload attempts (status %#x)",
		     status);
	if (write(stop[1], "x", 1) != 1)
		fail("cannot stop the calls");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		fail("the calls failed during the unload attempts (status %#x)",
		     status);
	if (read(report[0], &n, sizeof(n)) != sizeof(n))
		fail("no report of the calls");
	note("%d calls of 20 ms during the unload attempts", n);
	if (n >= 3000)
		fail("the calls outlasted 60 s of unload attempts");
	expect_eq(smi_stat("calls") - calls, n, "calls");
	expect_eq(smi_stat("errors"), 0, "errors");

	/*
	 * A timed-out op still in the transport when the service unloads:
	 * the op, queued after @t, ends 1 s later at the earliest, and the
	 * unload returns after it, which has reported its late completion.
	 */
	fd = ctl_open();
	set_param("emu_latency_us", "1000000");
	dmesg_mark();
	t = now_us();
	expect_ret(tok_read(fd, 0x8000, &v), -ETIMEDOUT, "read with a 1 s transport");
	close(fd);
	if (sh("rmmod dsmil"))
		fail("rmmod dsmil");
	if (access("/sys/module/dsmil_smi", F_OK))
		fail("dsmil_smi went with the frontend");
	t0 = now_us();
	note("unloading dsmil_smi %llu ms into the abandoned op",
	     (unsigned long long)((t0 - t) / 1000));
	if (sh("rmmod dsmil_smi"))
		fail("rmmod dsmil_smi");
	t1 = now_us();
	note("rmmod dsmil_smi took %llu ms", (unsigned long long)((t1 - t0) / 1000));
	if (t1 - t < 1000000)
		fail("rmmod returned %llu ms after the op was queued, before it ended",
		     (unsigned long long)((t1 - t) / 1000));
	if (sh("\"$DSMIL_SRC/tests/vm/guest/klog\" --since %d | grep -E 'dsmil_smi: (token 0x8000 read: the transport finished|unloaded$)' | "
	       "sed 's/^\\[[^]]*\\] //' | cut -c1-40 | paste -sd'|' | "
	       "grep -qx 'dsmil_smi: token 0x8000 read: the transp|dsmil_smi: unloaded'",
	       dmesg_mark_line))
		fail("no late completion logged before dsmil_smi unloaded");
	if (sh("rmmod dsmil_dmalock dsmil_core"))
		fail("rmmod dsmil_dmalock dsmil_core");

	/* Load and unload in a loop, with calls in between. */
	for (i = 0; i < 5; i++) {
		smi_load("");
		fd = ctl_open();
		expect_ret(tok_read(fd, 0x8000, &v), 0, "read after a reload");
		expect_eq(v, 0, "0x8000 after a reload (a fresh store)");
		expect_ret(tok_unlock(fd, 1, 1, NULL), 0, "unlock 1 for 1 s");
		close(fd);
		if (sh("rmmod " STACK))
			fail("rmmod of the stack, round %d", i);
	}
	return 0;
}
