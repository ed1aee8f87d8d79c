// SPDX-License-Identifier: GPL-2.0
/*
 * During a thermal emergency of dsmil_core every token call through the
 * ioctls is refused with -EHOSTDOWN at once - while another caller's op
 * holds the service lock and the transport, the refusals come back before
 * it does: they wait for neither - and nothing reaches the transport (its
 * own call counter does not move); the refusals are counted.  Policy
 * errors still come first.  Cooling below the limit - 5000 m°C restores
 * service.  A sensor that cannot be read (debugfs emu_temp_error) refuses
 * every call the same way, thermal state "unknown", until it reads again.
 * An emergency raised while a batch runs stops it before its next op
 * enters the transport.
 *
 * No wall-clock bound is judged: a loaded host may stall any call.  When
 * it stalls this one until the other op is back, the try proves nothing
 * and is made again.
 */
#include "smi-case.h"

#include <pthread.h>

#define NOPS	40

static int fd;

/* The other caller: one read that sits in the transport for 150 ms. */
static int hold_ret, hold_done;

static void *hold_thread(void *arg)
{
	uint32_t v;

	(void)arg;
	hold_ret = tok_read(fd, 0x8000, &v);
	__atomic_store_n(&hold_done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Raise the emergency while the other caller's op is in the transport and
 * check every kind of call is refused, without reaching the transport.
 * The other caller holds the service lock until its op has left the
 * transport, and the worker sets stats/last_latency_ns when it does: when
 * that is unchanged after the refusals, they waited for neither.  Returns
 * false when the other op finished first (nothing proven).
 */
static int refused_while_held(void)
{
	struct dsmil_thermal_args th = { .size = sizeof(th) };
	uint64_t calls, transport, refusals, late, lat;
	struct dsmil_token_op ops[3];
	uint32_t v, done = 0;
	int i, held, rret, wret, vret, bret2;
	pthread_t hth;

	set_param("timeout_ms", "200");
	set_param("emu_latency_us", "150000");
	calls = emu_calls();
	late = smi_stat("late_completions");
	lat = smi_stat("last_latency_ns");
	hold_done = 0;
	if (pthread_create(&hth, NULL, hold_thread, NULL))
		fail("pthread_create");
	for (i = 0; emu_calls() == calls; i++) {
		if (__atomic_load_n(&hold_done, __ATOMIC_SEQ_CST) || i > 5000)
			fail("the other caller's read never entered the transport (%d)",
			     hold_ret);
		usleep(1000);
	}
	calls = emu_calls();
	transport = smi_stat("transport_calls");
	refusals = smi_stat("thermal_refusals");

	set_temp(90000);
	rret = tok_read(fd, 0x8001, &v);
	wret = tok_write(fd, 0x8000, 0x22);
	vret = tok_verify(fd);
	ops[0] = op_read(0x8000);
	ops[1] = op_write(0x8001, 5);
	ops[2] = op_read(0x9000);
	bret2 = tok_batch(fd, ops, 3, &done);
	held = smi_stat("last_latency_ns") == lat;
	expect_ret(ioc(fd, DSMIL_IOC_THERMAL, &th), 0, "DSMIL_IOC_THERMAL");
	set_temp(79000);
	pthread_join(hth, NULL);

	expect_ret(rret, -EHOSTDOWN, "read right after raising the temperature");
	expect_ret(wret, -EHOSTDOWN, "write");
	expect_ret(vret, -EHOSTDOWN, "verify");
	expect_ret(bret2, 0, "batch");
	expect_results(ops, 3, "-112,-125,-2", "batch during the emergency");
	expect_eq(done, 2, "ops attempted");
	expect_eq(ops[0].value, 0, "value of the refused read");
	expect_eq(th.state, DSMIL_THERMAL_STATE_EMERGENCY, "thermal state");
	expect_eq(emu_calls(), calls, "emu transport calls during the emergency");
	expect_eq(smi_stat("transport_calls"), transport,
		  "transport_calls during the emergency");
	expect_eq(smi_stat("thermal_refusals") - refusals, 4, "thermal_refusals");
	expect_eq(smi_stats(fd).smi_thermal_refusals, refusals + 4,
		  "DSMIL_IOC_STATS smi_thermal_refusals");

	/* The other op: done in time, or late on an overloaded host. */
	if (hold_ret == -ETIMEDOUT) {
		for (i = 0; smi_stat("late_completions") == late; i++) {
			if (i > 500)
				fail("the other caller's read never completed");
			usleep(10000);
		}
	} else {
		expect_ret(hold_ret, 0, "the other caller's read");
	}
	set_param("emu_latency_us", "20000");
	set_param("timeout_ms", "100");
	if (!held)
		note("the other caller's read finished before the refusals: again");
	return held;
}

static struct dsmil_token_op bops[NOPS];
static int bret;

static void *batch_thread(void *arg)
{
	(void)arg;
	bret = tok_batch(fd, bops, NOPS, NULL);
	return NULL;
}

/*
 * An emergency raised about a second into a batch of 40 reads of 100 ms:
 * k ops done, then -EHOSTDOWN, then -ECANCELED for the rest.  Returns
 * false when an overloaded host stretched an op past the 200 ms timeout.
 */
static int batch_interrupted(void)
{
	uint64_t calls = emu_calls();
	pthread_t th;
	char want[512], got[512];
	size_t off = 0;
	int i, k;

	for (i = 0; i < NOPS; i++)
		bops[i] = op_read(0x8000 + i);
	if (pthread_create(&th, NULL, batch_thread, NULL))
		fail("pthread_create");
	sleep(1);
	set_temp(90000);
	pthread_join(th, NULL);
	set_temp(79000);
	expect_ret(bret, 0, "the batch ran");
	note("batch with an emergency in the middle: %s",
	     batch_results(bops, NOPS, got, sizeof(got)));
	for (i = 0; i < NOPS; i++)
		if (bops[i].result == -ETIMEDOUT)
			return 0;
	for (k = 0; k < NOPS && !bops[k].result; k++)
		;
	if (k < 1 || k >= NOPS)
		fail("%d ops before the emergency", k);
	for (i = 0; i < NOPS; i++)
		off += snprintf(want + off, sizeof(want) - off, "%s%d",
				i ? "," : "",
				i < k ? 0 : i == k ? -EHOSTDOWN : -ECANCELED);
	expect_results(bops, NOPS, want, "batch with an emergency");
	expect_eq(emu_calls(), calls + k, "emu transport calls");
	return 1;
}

int main(void)
{
	uint64_t calls;
	uint32_t v;
	int try;

	smi_load("emu_latency_us=20000");
	fd = ctl_open();
	expect_ret(tok_unlock(fd, 0, 0, NULL), 0, "unlock 0");
	expect_ret(tok_write(fd, 0x8000, 0x11), 0, "write 0x8000");
	expect_ret(tok_read(fd, 0x8000, &v), 0, "read 0x8000");
	expect_eq(v, 0x11, "0x8000");

	for (try = 0; try < 5 && !refused_while_held(); try++)
		;
	if (try == 5)
		fail("5 tries: the refusals came after the other caller's op had left the transport (did they wait for the service lock, or is the host too slow?)");

	/* Policy errors still come first. */
	calls = emu_calls();
	set_temp(90000);
	expect_ret(tok_write(fd, 0x800c, 1), -EACCES, "write to a locked group");
	expect_ret(tok_write(fd, 0x8009, 1), -EPERM, "write to a quarantined token");

	/* 80000 is not below the hysteresis: still refused. */
	set_temp(80000);
	expect_ret(tok_read(fd, 0x8000, &v), -EHOSTDOWN, "read at 80000 m°C");
	set_temp(79999);
	expect_ret(tok_read(fd, 0x8000, &v), 0, "read after cooling");
	expect_eq(v, 0x11, "0x8000 after cooling");
	expect_ret(tok_write(fd, 0x8000, 0x22), 0, "write after cooling");
	expect_ret(tok_read(fd, 0x8000, &v), 0, "read after cooling");
	expect_eq(v, 0x22, "0x8000 after the write");
	expect_ret(tok_verify(fd), 0, "verify after cooling");
	expect_eq(emu_calls(), calls + 4, "emu transport calls after cooling");

	/* The sensor fails (EIO): fail closed, no transport call. */
	calls = emu_calls();
	set_sensor_error(5);
	expect_ret(tok_read(fd, 0x8000, &v), -EHOSTDOWN, "read, sensor unreadable");
	expect_ret(tok_write(fd, 0x8000, 0x33), -EHOSTDOWN, "write, sensor unreadable");
	expect_ret(tok_verify(fd), -EHOSTDOWN, "verify, sensor unreadable");
	{
		struct dsmil_thermal_args th = { .size = sizeof(th) };

		expect_ret(ioc(fd, DSMIL_IOC_THERMAL, &th), 0, "DSMIL_IOC_THERMAL");
		expect_eq(th.state, DSMIL_THERMAL_STATE_UNKNOWN,
			  "thermal state, sensor unreadable");
	}
	expect_eq(emu_calls(), calls, "emu transport calls, sensor unreadable");
	set_sensor_error(0);
	expect_ret(tok_read(fd, 0x8000, &v), 0, "read, sensor readable again");
	expect_eq(v, 0x22, "0x8000, sensor readable again");

	/* An emergency raised while a batch runs stops it. */
	set_param("timeout_ms", "200");
	set_param("emu_latency_us", "100000");
	for (try = 0; try < 3; try++)
		if (batch_interrupted())
			return 0;
	fail("the host is too slow: every try timed out");
}
