// SPDX-License-Identifier: GPL-2.0
/*
 * The write window is checked where the write acts, not only where it was
 * asked for, and RELOCK waits for the write in the transport.
 *
 * Group 0 is unlocked.  Caller A runs a batch [write 0x8000, write 0x8001]
 * whose first op sits in the emu transport for 150 ms; caller B's write of
 * 0x8002, which passed the policy when the window was open, waits for the
 * service lock behind it.  RELOCK of group 0 is issued while A's first
 * write is in the transport:
 *
 *  - RELOCK returns only after that write has left the transport (the
 *    worker sets stats/last_latency_ns when an op leaves it);
 *  - nothing reaches the transport after RELOCK returned (the emu
 *    transport's own counter, emu_calls, does not move) and the two
 *    queued writes fail with -EACCES: 0x8001 and 0x8002 keep their values;
 *  - the audit ring agrees: after the relock record, the writes of 0x8001
 *    and 0x8002 are recorded with result=-13 and no other write is
 *    recorded with result=0 but the one that was in the transport.
 *
 * A loaded host may let A's first op finish before RELOCK is issued: that
 * try proves nothing and is made again.
 */
#include "smi-case.h"

#include <pthread.h>
#include <sys/syscall.h>

#define AUDIT	SMI_DBG "audit"
#define TRIES	5

static int fd;
static struct dsmil_token_op a_ops[2];
static int a_ret, b_ret, b_tid;

static void *a_thread(void *arg)
{
	(void)arg;
	a_ops[0] = op_write(0x8000, 0xa1);
	a_ops[1] = op_write(0x8001, 0xa2);
	a_ret = tok_batch(fd, a_ops, 2, NULL);
	return NULL;
}

static void *b_thread(void *arg)
{
	(void)arg;
	__atomic_store_n(&b_tid, (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	b_ret = tok_write(fd, 0x8002, 0xb1);
	return NULL;
}

/* The state letter of thread @tid of this process ('D': asleep, killable). */
static char thread_state(int tid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/*
 * Sequence number of the last "op=relock group=0" record, and whether a
 * write after it other than 0x8000's reached the transport (result=0);
 * the records of 0x8001 and 0x8002 after it are counted in *@refused.
 */
static long long audit_after_relock(int *accepted, int *refused)
{
	char line[256];
	long long relock = -1;
	FILE *f = fopen(AUDIT, "r");

	if (!f)
		fail("%s: %s", AUDIT, strerror(errno));
	*accepted = 0;
	*refused = 0;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, " op=relock group=0")) {
			relock = strtoll(line, NULL, 10);
			*accepted = 0;
			*refused = 0;
			continue;
		}
		if (relock < 0 || !strstr(line, " op=write "))
			continue;
		if (strstr(line, " token=0x8000 "))
			continue;
		if (strstr(line, " result=0 "))
			++*accepted;
		else if (strstr(line, " result=-13 "))
			++*refused;
	}
	fclose(f);
	return relock;
}

/* One try: 1 when it proved something, 0 when the host was too slow. */
static int try_once(void)
{
	uint64_t calls, lat, after_calls, after_lat;
	pthread_t ath, bth;
	int i, accepted, refused;
	uint32_t v;

	set_param("emu_latency_us", "0");
	expect_ret(tok_unlock(fd, 0, 60, NULL), 0, "unlock 0");
	for (i = 0; i < 3; i++)
		expect_ret(tok_write(fd, 0x8000 + i, 0), 0, "reset the tokens");
	set_param("timeout_ms", "200");
	set_param("emu_latency_us", "150000");

	calls = emu_calls();
	b_tid = 0;
	if (pthread_create(&ath, NULL, a_thread, NULL))
		fail("pthread_create");
	for (i = 0; emu_calls() == calls; i++) {
		if (i > 5000)
			fail("A's write never entered the transport");
		usleep(1000);
	}
	lat = smi_stat("last_latency_ns");
	if (pthread_create(&bth, NULL, b_thread, NULL))
		fail("pthread_create");
	/* B passes the policy, then sleeps on the service lock. */
	for (i = 0; !__atomic_load_n(&b_tid, __ATOMIC_SEQ_CST) ||
		    thread_state(b_tid) != 'D'; i++) {
		if (i > 5000)
			fail("B never waited for the service lock");
		usleep(200);
	}
	if (smi_stat("last_latency_ns") != lat || emu_calls() != calls + 1) {
		note("A's first write left the transport before RELOCK: again");
		pthread_join(ath, NULL);
		pthread_join(bth, NULL);
		return 0;
	}
	expect_ret(tok_relock(fd, 0), 0, "relock 0 while a write is in the transport");
	after_calls = emu_calls();
	after_lat = smi_stat("last_latency_ns");
	pthread_join(ath, NULL);
	pthread_join(bth, NULL);

	expect_eq(after_calls, calls + 1, "emu_calls when RELOCK returned");
	if (after_lat == lat)
		fail("RELOCK returned while A's write was still in the transport");
	expect_eq(emu_calls(), after_calls,
		  "emu_calls: ops that reached the transport after RELOCK returned");
	expect_ret(a_ret, 0, "A's batch ioctl (the op results are in the ops)");
	expect_results(a_ops, 2, "0,-13", "A's batch");
	expect_ret(b_ret, -EACCES, "B's write, queued before the relock");

	set_param("emu_latency_us", "0");
	expect_ret(tok_read(fd, 0x8000, &v), 0, "read 0x8000");
	expect_eq(v, 0xa1, "0x8000, written before the relock");
	expect_ret(tok_read(fd, 0x8001, &v), 0, "read 0x8001");
	expect_eq(v, 0, "0x8001, queued in A's batch");
	expect_ret(tok_read(fd, 0x8002, &v), 0, "read 0x8002");
	expect_eq(v, 0, "0x8002, queued by B");

	if (audit_after_relock(&accepted, &refused) < 0)
		fail("no relock record in the audit ring");
	expect_eq(accepted, 0, "writes audited with result=0 after the relock");
	expect_eq(refused, 2, "writes audited with result=-13 after the relock");
	return 1;
}

int main(void)
{
	int t;

	smi_load("max_calls_per_sec=0");
	fd = ctl_open();
	for (t = 0; t < TRIES; t++)
		if (try_once())
			break;
	if (t == TRIES)
		fail("%d tries, the host never let RELOCK meet a write in the transport",
		     TRIES);
	note("relock met a write in the transport at try %d", t + 1);
	close(fd);
	return 0;
}
