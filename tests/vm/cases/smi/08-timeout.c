// SPDX-License-Identifier: GPL-2.0
/*
 * A transport op that outlasts timeout_ms returns -ETIMEDOUT to the ioctl
 * caller within timeout_ms + 20 % (measured by the caller around the
 * ioctl), counted, logged once and announced on the event stream
 * (DSMIL_EV_SMI_TIMEOUT with token, timeout and op).  Until the transport
 * finishes that op, calls fail fast with -EBUSY; its late result is
 * discarded, counted, logged and audited; then calls work again.
 * timeout_ms changes at run time.
 */
#include "smi-case.h"

static int fd, evfd;

/* @ms after the start at the earliest, @ms + 20 % at the latest. */
static void expect_in_time(uint64_t us, unsigned int ms, const char *what)
{
	note("%s with timeout_ms=%u: -ETIMEDOUT after %llu us", what, ms,
	     (unsigned long long)us);
	if (us < ms * 1000ULL)
		fail("%s: returned after %llu us, before the timeout", what,
		     (unsigned long long)us);
	if (us > ms * 1200ULL)
		fail("%s: returned after %llu us, more than timeout + 20 %%",
		     what, (unsigned long long)us);
}

/* Wait (at most 5 s) for the wedged op to finish: a late completion. */
static void wait_late(uint64_t want)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (smi_stat("late_completions") >= want)
			return;
		usleep(50000);
	}
	fail("no late completion %llu after 5 s", (unsigned long long)want);
}

/* The next event is a timeout of @token/@op after @ms. */
static void expect_timeout_event(uint16_t token, unsigned int ms, uint32_t op,
				 const char *what)
{
	struct dsmil_event_record ev;

	expect_ret(event_next(evfd, &ev), 0, what);
	expect_eq(ev.type, DSMIL_EV_SMI_TIMEOUT, what);
	expect_eq(ev.token, token, what);
	expect_eq(ev.value, ms, what);
	expect_eq(ev.aux, op, what);
}

int main(void)
{
	struct dsmil_event_record ev;
	struct dsmil_stats_args st;
	uint64_t t, us1, us2;
	int ret1, ret2;
	uint32_t v;

	smi_load("");
	fd = ctl_open();
	evfd = events_open();
	expect_ret(tok_unlock(fd, 0, 0, NULL), 0, "unlock 0");
	set_param("emu_latency_us", "1000000");
	dmesg_mark();

	/*
	 * The transport is still in the op when the first call gives up: the
	 * next call, right after it, does not queue behind it.
	 */
	t = now_us();
	ret1 = tok_read(fd, 0x8000, &v);
	us1 = now_us() - t;
	t = now_us();
	ret2 = tok_read(fd, 0x8001, &v);
	us2 = now_us() - t;
	expect_ret(ret1, -ETIMEDOUT, "read 0x8000 with a 1 s transport");
	expect_in_time(us1, 100, "read 0x8000");
	expect_ret(ret2, -EBUSY, "read 0x8001 while wedged");
	if (us2 >= 10000)
		fail("-EBUSY took %llu us", (unsigned long long)us2);
	expect_timeout_event(0x8000, 100, DSMIL_OP_READ, "timeout event");
	expect_ret(event_next(evfd, &ev), -EAGAIN, "one event per timeout");
	expect_eq(smi_stat("timeouts"), 1, "stats/timeouts");
	expect_eq(smi_stats(fd).smi_timeouts, 1, "DSMIL_IOC_STATS smi_timeouts");
	expect_dmesg("^\\[ *[0-9.]+\\] dsmil_smi: token 0x8000 read: timed out after 100 ms$", 1);

	wait_late(1);
	expect_dmesg("dsmil_smi: token 0x8000 read: the transport finished [0-9]+ ms after the call was queued \\(timeout 100 ms\\); result 0 discarded$", 1);
	if (sh("grep -q 'op=read token=0x8000 .* late$' " SMI_DBG "audit"))
		fail("late completion not audited");
	st = smi_stats(fd);
	expect_eq(st.smi_late_completions, 1, "smi_late_completions");
	if (st.smi_max_latency_ns < 1000000000ULL)
		fail("smi_max_latency_ns %llu below the emulated 1 s",
		     (unsigned long long)st.smi_max_latency_ns);
	expect_eq(smi_stat("max_latency_ns"), st.smi_max_latency_ns,
		  "stats/max_latency_ns against the ioctl");

	/* Writes time out the same way; the late write still lands. */
	set_param("timeout_ms", "50");
	t = now_us();
	expect_ret(tok_write(fd, 0x8001, 0x77), -ETIMEDOUT, "write 0x8001");
	expect_in_time(now_us() - t, 50, "write 0x8001");
	expect_timeout_event(0x8001, 50, DSMIL_OP_WRITE, "write timeout event");
	wait_late(2);
	set_param("emu_latency_us", "0");
	expect_ret(tok_read(fd, 0x8001, &v), 0, "read 0x8001");
	expect_eq(v, 0x77, "0x8001 after the late write");

	/* The longest timeout, and a latency just under it: no timeout. */
	set_param("timeout_ms", "200");
	set_param("emu_latency_us", "400000");
	t = now_us();
	expect_ret(tok_verify(fd), -ETIMEDOUT, "verify");
	expect_in_time(now_us() - t, 200, "verify");
	expect_ret(event_next(evfd, &ev), 0, "verify timeout event");
	expect_eq(ev.type, DSMIL_EV_SMI_TIMEOUT, "verify timeout event");
	expect_eq(ev.value, 200, "verify timeout event: timeout_ms");
	wait_late(3);
	set_param("emu_latency_us", "150000");
	expect_ret(tok_read(fd, 0x8001, &v), 0,
		   "read slower than usual but in time");
	expect_eq(v, 0x77, "0x8001");
	expect_ret(event_next(evfd, &ev), -EAGAIN, "no event without a timeout");
	expect_eq(smi_stat("timeouts"), 3, "stats/timeouts");
	expect_eq(smi_stat("late_completions"), 3, "stats/late_completions");
	st = smi_stats(fd);
	expect_eq(st.smi_timeouts, 3, "smi_timeouts");
	expect_eq(st.smi_late_completions, 3, "smi_late_completions");
	return 0;
}
