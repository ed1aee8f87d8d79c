// SPDX-License-Identifier: GPL-2.0
/*
 * 8 threads x 10,000 mixed calls through the ioctls at once (reads and
 * writes of their own tokens, writes to a locked group, quarantined
 * tokens, unknown tokens, batches of 4): every result matches a per-thread
 * model, every token ends with the value the model says, and the counters
 * of DSMIL_IOC_STATS went up by exactly what the models expect.
 *
 * Each thread owns the tokens k with k % 8 == its number and models their
 * values; quarantined tokens are shared and never change.  One allowance:
 * on an overloaded host (TCG on a busy machine) a call may be starved past
 * timeout_ms.  Such an op returns -ETIMEDOUT (the ops queued behind it
 * -EBUSY, or -ECANCELED in its batch): the service behaved as specified,
 * the op counts as "starved", and a timed-out write leaves its token with
 * one of two values (the old or the new) until the next read.  More than
 * 1 % starved ops fail the case.  DSMIL_SMI_SEED picks the random sequence;
 * dsmil_smi_stress_ops=N on the kernel command line makes N calls per
 * thread (the debug kernel leg of "make check" makes fewer).
 */
#include "smi-case.h"

#include <pthread.h>
#include <stdbool.h>

#define NTHREADS	8
#define NOPS		10000	/* per thread, by default */
#define TOKEN_BASE	0x8000
#define TOKEN_LAST	0x81ff		/* the last of the token range */
#define MAX_TOKENS	(TOKEN_LAST - TOKEN_BASE + 1)

enum state { KNOWN, MODEL_OR_ALT, UNKNOWN };

struct expect {
	uint64_t calls, reads, writes, errors, denied, transport, timeouts;
	uint64_t starved;
};

struct thread {
	unsigned int id;
	uint32_t rng;
	int fd;
	pthread_t th;
	struct expect exp;
	unsigned int mismatches;
	/* tokens this thread owns, and the values the model says they hold */
	unsigned int nown;
	uint16_t own[MAX_TOKENS];
	uint32_t model[MAX_TOKENS];
	uint32_t alt[MAX_TOKENS];
	uint8_t state[MAX_TOKENS];
	bool writable[MAX_TOKENS];
};

static struct thread threads[NTHREADS];
static unsigned long nops = NOPS;
static pthread_barrier_t start;

/* The shared, read-only part: quarantined tokens and their values. */
static uint16_t quar[MAX_TOKENS];
static uint32_t quar_val[MAX_TOKENS];
static unsigned int nquar;

static uint32_t rnd(struct thread *t)
{
	uint32_t x = t->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	t->rng = x;
	return x;
}

static bool starved_result(int got)
{
	return got == -ETIMEDOUT || got == -EBUSY || got == -ECANCELED;
}

static void bad(struct thread *t, const char *what, uint16_t token, int got,
		int want, uint32_t gotv, uint32_t wantv)
{
	if (t->mismatches++ < 5)
		printf("FAIL: thread %u: %s %#06x: got %d/%#x, expected %d/%#x\n",
		       t->id, what, token, got, gotv, want, wantv);
}

/*
 * Check and count one op.  @want is what the policy says (0 or its errno);
 * @starve_ok whether a starved result is acceptable here.  Returns true
 * when the op succeeded.
 */
static bool op_done(struct thread *t, const char *what, uint16_t token,
		    bool write, int got, int want, bool starve_ok)
{
	t->exp.calls++;
	if (write)
		t->exp.writes++;
	else
		t->exp.reads++;
	if (got && got == want) {
		t->exp.errors++;
		if (want == -ENOENT || want == -EPERM || want == -EACCES)
			t->exp.denied++;
		return false;
	}
	if (!got && !want) {
		t->exp.transport++;
		return true;
	}
	if (!want && starve_ok && starved_result(got)) {
		t->exp.errors++;
		t->exp.starved++;
		if (got == -ETIMEDOUT)
			t->exp.timeouts++;
		return false;
	}
	bad(t, what, token, got, want, 0, 0);
	return false;
}

/* A read of owned token @k returned @v: check it against the model. */
static void read_value(struct thread *t, unsigned int k, uint32_t v,
		       const char *what)
{
	bool ok;

	switch (t->state[k]) {
	case KNOWN:
		ok = v == t->model[k];
		break;
	case MODEL_OR_ALT:
		ok = v == t->model[k] || v == t->alt[k];
		break;
	default:
		ok = true;
		break;
	}
	if (!ok)
		bad(t, what, t->own[k], 0, 0, v, t->model[k]);
	t->model[k] = v;
	t->state[k] = KNOWN;
}

/* A write of @v to owned token @k returned @got. */
static void write_result(struct thread *t, unsigned int k, uint32_t v, int got)
{
	if (!got) {
		t->model[k] = v;
		t->state[k] = KNOWN;
	} else if (got == -ETIMEDOUT) {
		/* It may still land: the transport finishes it. */
		if (t->state[k] == KNOWN) {
			t->alt[k] = v;
			t->state[k] = MODEL_OR_ALT;
		} else {
			t->state[k] = UNKNOWN;
		}
	}
}

/* One op on an owned token, as a single call. */
static void own_op(struct thread *t, unsigned int k, bool write)
{
	uint16_t token = t->own[k];
	uint32_t v = 0;
	int ret;

	if (write) {
		v = rnd(t);
		ret = tok_write(t->fd, token, v);
		op_done(t, "write", token, true, ret,
			t->writable[k] ? 0 : -EACCES, true);
		write_result(t, k, v, ret);
	} else {
		ret = tok_read(t->fd, token, &v);
		if (op_done(t, "read", token, false, ret, 0, true))
			read_value(t, k, v, "read");
	}
}

/* Four ops on owned tokens in one batch; the model follows them in order. */
static void batch(struct thread *t)
{
	struct dsmil_token_op ops[4];
	unsigned int k[4], i;
	bool starved = false;
	int ret;

	for (i = 0; i < 4; i++) {
		k[i] = rnd(t) % t->nown;
		ops[i] = (struct dsmil_token_op){
			.token = t->own[k[i]], .op = rnd(t) & 1,
			.value = rnd(t),
		};
	}
	ret = tok_batch(t->fd, ops, 4, NULL);
	if (ret) {
		bad(t, "batch ioctl", ops[0].token, ret, 0, 0, 0);
		return;
	}
	for (i = 0; i < 4; i++) {
		bool write = ops[i].op == DSMIL_OP_WRITE;
		int want = write && !t->writable[k[i]] ? -EACCES : 0;
		int got = ops[i].result;

		/* -ECANCELED only after a starved op of the same batch. */
		if (op_done(t, write ? "batch write" : "batch read",
			    ops[i].token, write, got, want,
			    got != -ECANCELED || starved) && !write)
			read_value(t, k[i], ops[i].value, "batch read");
		if (!want && starved_result(got))
			starved = true;
		if (write && !want)
			write_result(t, k[i], ops[i].value, got);
	}
}

static void *thread_fn(void *arg)
{
	struct thread *t = arg;
	unsigned int i, r, k, tries;
	uint32_t v = 0;
	int ret;

	pthread_barrier_wait(&start);
	for (i = 0; i < nops; i++) {
		r = rnd(t) % 100;
		if (r < 40) {
			own_op(t, rnd(t) % t->nown, false);
		} else if (r < 70) {
			own_op(t, rnd(t) % t->nown, true);
		} else if (r < 78 && nquar) {
			k = rnd(t) % nquar;
			ret = tok_write(t->fd, quar[k], 0xdead);
			op_done(t, "quarantined write", quar[k], true, ret,
				-EPERM, false);
		} else if (r < 84 && nquar) {
			k = rnd(t) % nquar;
			v = 0;
			ret = tok_read(t->fd, quar[k], &v);
			if (op_done(t, "quarantined read", quar[k], false, ret,
				    0, true) && v != quar_val[k])
				bad(t, "quarantined read", quar[k], 0, 0, v,
				    quar_val[k]);
		} else if (r < 90) {
			/* The end of the token range, or below its base. */
			uint16_t token = (r & 1) ? TOKEN_LAST : 0x1234;

			ret = tok_read(t->fd, token, &v);
			op_done(t, "unknown read", token, false, ret, -ENOENT,
				false);
		} else {
			batch(t);
		}
	}
	/* The store holds what the model says (retrying starved reads). */
	for (k = 0; k < t->nown; k++) {
		for (tries = 0; tries < 5; tries++) {
			ret = tok_read(t->fd, t->own[k], &v);
			if (op_done(t, "final read", t->own[k], false, ret, 0,
				    true)) {
				read_value(t, k, v, "final read");
				break;
			}
			usleep(50000);
		}
		if (tries == 5)
			bad(t, "final read (5 tries)", t->own[k], ret, 0, 0, 0);
	}
	return NULL;
}

/* Setup read, retried if the machine starves it. */
static uint32_t setup_read(int fd, uint16_t token)
{
	uint32_t v = 0;
	int tries, ret = 0;

	for (tries = 0; tries < 5; tries++) {
		ret = tok_read(fd, token, &v);
		if (ret != -ETIMEDOUT && ret != -EBUSY)
			break;
		usleep(50000);
	}
	expect_ret(ret, 0, "setup read");
	return v;
}

#define CMP(field, expected) do {					\
	uint64_t __d = after.smi_##field - before.smi_##field;		\
	if (__d != (expected)) {					\
		printf("FAIL: smi_%s went up by %llu, expected %llu\n",	\
		       #field, (unsigned long long)__d,			\
		       (unsigned long long)(expected));			\
		nbad++;							\
	}								\
} while (0)

int main(void)
{
	struct dsmil_stats_args before, after;
	struct dsmil_token_info_args info;
	struct expect sum = { 0 };
	unsigned int i, nbad = 0, seed = 1;
	uint64_t t0, transport;
	const char *s;
	uint32_t tok;
	int fd, g;

	nops = cmdline_ulong("dsmil_smi_stress_ops", NOPS);
	if (!nops)
		fail("dsmil_smi_stress_ops=0");
	s = getenv("DSMIL_SMI_SEED");
	if (s && *s)
		seed = strtoul(s, NULL, 0);
	smi_load("max_calls_per_sec=0 timeout_ms=200");
	fd = ctl_open();
	/* Group 6 stays locked: writes to it are expected to fail with -EACCES. */
	for (g = 0; g < 6; g++)
		expect_ret(tok_unlock(fd, g, 600, NULL), 0, "unlock");

	/* Ownership: token k belongs to thread k % NTHREADS. */
	for (tok = TOKEN_BASE; tok <= TOKEN_LAST; tok++) {
		struct thread *t;

		if (tok_info(fd, tok, &info))
			continue;
		if (info.token_flags & DSMIL_TOKEN_QUARANTINED) {
			quar[nquar] = tok;
			quar_val[nquar++] = setup_read(fd, tok);
			continue;
		}
		t = &threads[(tok - TOKEN_BASE) % NTHREADS];
		t->own[t->nown] = tok;
		t->writable[t->nown] = info.token_flags & DSMIL_TOKEN_UNLOCKED;
		t->model[t->nown] = setup_read(fd, tok);
		t->nown++;
	}
	for (i = 0; i < NTHREADS; i++)
		if (!threads[i].nown)
			fail("thread %u owns no token", i);
	note("%u quarantined tokens, %u owned by thread 0", nquar,
	     threads[0].nown);

	if (pthread_barrier_init(&start, NULL, NTHREADS + 1))
		fail("pthread_barrier_init");
	before = smi_stats(fd);
	for (i = 0; i < NTHREADS; i++) {
		threads[i].id = i;
		threads[i].rng = seed * 2654435761u + i + 1;
		threads[i].fd = ctl_open();
		if (pthread_create(&threads[i].th, NULL, thread_fn, &threads[i]))
			fail("pthread_create");
	}
	t0 = now_us();
	pthread_barrier_wait(&start);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(threads[i].th, NULL);
	t0 = now_us() - t0;
	after = smi_stats(fd);

	for (i = 0; i < NTHREADS; i++) {
		struct expect *e = &threads[i].exp;

		nbad += threads[i].mismatches;
		sum.calls += e->calls;
		sum.reads += e->reads;
		sum.writes += e->writes;
		sum.errors += e->errors;
		sum.denied += e->denied;
		sum.transport += e->transport;
		sum.timeouts += e->timeouts;
		sum.starved += e->starved;
	}
	CMP(calls, sum.calls);
	CMP(reads, sum.reads);
	CMP(writes, sum.writes);
	CMP(errors, sum.errors);
	CMP(denied, sum.denied);
	CMP(timeouts, sum.timeouts);
	CMP(thermal_refusals, 0);
	CMP(rate_limited, 0);
	/* A timed-out op may or may not have entered the transport. */
	transport = after.smi_transport_calls - before.smi_transport_calls;
	if (transport < sum.transport ||
	    transport > sum.transport + sum.timeouts) {
		printf("FAIL: smi_transport_calls went up by %llu, expected %llu-%llu\n",
		       (unsigned long long)transport,
		       (unsigned long long)sum.transport,
		       (unsigned long long)(sum.transport + sum.timeouts));
		nbad++;
	}
	note("%u x %lu: %llu ops, %llu reached the transport, %llu denied, %llu starved, %llu ms",
	     NTHREADS, nops, (unsigned long long)sum.calls,
	     (unsigned long long)sum.transport,
	     (unsigned long long)sum.denied, (unsigned long long)sum.starved,
	     (unsigned long long)(t0 / 1000));
	if (nbad)
		fail("%u mismatches against the model", nbad);
	if (sum.calls < NTHREADS * nops)
		fail("only %llu ops", (unsigned long long)sum.calls);
	if (sum.starved * 100 > sum.calls)
		fail("%llu of %llu ops starved", (unsigned long long)sum.starved,
		     (unsigned long long)sum.calls);
	return 0;
}
