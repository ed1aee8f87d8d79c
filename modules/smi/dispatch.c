// SPDX-License-Identifier: GPL-2.0
/*
 * dispatch.c - the token calls: from the caller, through the policy, to
 * the transport and back, in bounded time.
 *
 * A call (a batch of one or more ops) goes through these steps:
 *
 *  1. the policy decides each op on its own (policy.c), in the caller's
 *     context; a refused op never goes further;
 *  2. the thermal guard of dsmil_core is asked, so that an emergency is
 *     refused without waiting for anything;
 *  3. the service lock (a killable mutex) serializes callers;
 *  4. the ops are handed, as one request, to the service's worker, which,
 *     immediately before each op enters the transport and under the
 *     transport lock, decides the op again on the state of that moment:
 *     the token still exists, and for a write its group's window is open,
 *     it is not quarantined and the kernel is not locked down (with the
 *     caller's credentials, override_creds()); then the thermal guard and
 *     the rate limit;
 *  5. the caller waits for the request, killably, until the deadline of
 *     the op in progress (timeout_ms after it started; for the first op,
 *     after the request was queued), kept by an hrtimer.
 *
 * A firmware call cannot be interrupted.  A caller whose deadline passes
 * (or who is killed) stops waiting: it marks the request abandoned and
 * returns, and the worker, which holds its own reference on the request,
 * finishes the op in progress, drops the rest, and reports the late
 * completion.  Until then the transport is "wedged": new calls fail with
 * -EBUSY instead of queueing behind an op nobody can bound.
 *
 * The transport lock (smi_xport_lock) is held by the worker from that
 * last check until the op has left the transport; dsmil_smi_relock()
 * closes the window and then takes it once, so that when it returns no
 * write of the group is in the transport or can still enter it.
 *
 * The lock and the wedge rule together keep a single request in the
 * worker at any time, so the transport runs one op at a time whatever the
 * callers do.  The workqueue therefore need not be ordered: it is a bound,
 * high-priority one, so the worker runs on the caller's CPU as soon as the
 * caller sleeps, and a call costs two context switches and no cross-CPU
 * wakeup (which is slow in virtual machines).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cred.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "internal.h"

/* An op's result while nobody has decided it yet (errnos are negative). */
#define SMI_PENDING	1

struct smi_req_op {
	u16 token;
	u16 opcode;		/* enum dsmil_smi_opcode or SMI_OP_VERIFY */
	u32 value;
	int result;
	unsigned int group;
	u64 latency_ns;
};

/**
 * struct smi_req - one call handed to the worker
 * @ref: the caller's and the worker's references
 * @work: the worker's item
 * @cred: the caller's credentials, for the checks the worker makes
 * @waiter: the caller's task, woken by the worker when it is done (never
 *	after @abandoned is set)
 * @lock: protects @abandoned, @finished, @started, @cur, @deadline_ns and
 *	the wakeup of @waiter
 * @abandoned: the caller stopped waiting (timeout or fatal signal)
 * @finished: the worker is done with @op
 * @started: the worker began the first pending op
 * @cur: index of the op in progress (or the next one to start)
 * @deadline_ns: when the caller gives up on @cur (ktime_get_ns())
 * @timeout_ms: timeout_ms when the request was queued
 * @queued_ns: when the request was queued
 * @n: number of ops
 * @op: the ops; after abandonment the caller no longer reads those at and
 *	after @cur
 */
struct smi_req {
	struct kref ref;
	struct work_struct work;
	const struct cred *cred;
	struct task_struct *waiter;
	spinlock_t lock;	/* see above */
	bool abandoned;
	bool finished;
	bool started;
	unsigned int cur;
	u64 deadline_ns;
	unsigned int timeout_ms;
	u64 queued_ns;
	unsigned int n;
	struct smi_req_op op[];
};

static DEFINE_MUTEX(smi_lock);		/* one request in flight */
/* Held from an op's last policy check until it has left the transport. */
static DEFINE_MUTEX(smi_xport_lock);
static struct workqueue_struct *smi_wq;
static atomic_t smi_wedged;		/* an abandoned request still runs */
static bool smi_stopping;
static u64 smi_rate_tat;		/* rate limit state; worker only */
static BLOCKING_NOTIFIER_HEAD(smi_chain);

static const char *smi_op_name(u16 opcode)
{
	switch (opcode) {
	case DSMIL_SMI_OP_READ:
		return "read";
	case DSMIL_SMI_OP_WRITE:
		return "write";
	default:
		return "verify";
	}
}

static void smi_req_release(struct kref *ref)
{
	struct smi_req *req = container_of(ref, struct smi_req, ref);

	put_cred(req->cred);
	kfree(req);
}

/**
 * smi_transport_quiesce() - wait until no op is in the transport
 *
 * An op that passed its last policy check before this is called has left
 * the transport when it returns; one checked afterwards sees the policy
 * state of the moment of its check.  The wait is at most one transport op
 * (emu_latency_us, or one firmware call).
 *
 * Context: process context, no dsmil_smi lock held.
 */
void smi_transport_quiesce(void)
{
	mutex_lock(&smi_xport_lock);
	mutex_unlock(&smi_xport_lock);
}

/**
 * smi_notify() - tell the SMI notifiers about an event
 * @event: what happened
 * @data: the details
 *
 * Context: process context, no service lock held.
 */
void smi_notify(enum dsmil_smi_event event, struct dsmil_smi_event_data *data)
{
	blocking_notifier_call_chain(&smi_chain, event, data);
}

/*
 * The rate limit (smi_rate_gcra()): one op every 1 s / max_calls_per_sec
 * on average, with bursts of up to a second's worth.  Only the worker runs
 * it, so it needs no lock of its own.
 */
static int smi_rate_take(void)
{
	return smi_rate_gcra(&smi_rate_tat, ktime_get_ns(),
			     smi_param_max_calls_per_sec());
}

/* An emergency, or a sensor that cannot be read, refuses the call. */
static int smi_thermal_check(void)
{
	return dsmil_thermal_check();
}

static int smi_transport_op(struct smi_req_op *op)
{
	switch (op->opcode) {
	case DSMIL_SMI_OP_READ:
		return smi_transport->read(op->token, &op->value);
	case DSMIL_SMI_OP_WRITE:
		return smi_transport->write(op->token, op->value);
	default:
		return smi_transport->verify();
	}
}

/* The worker reports an op its caller gave up on. */
static void smi_late_completion(struct smi_req *req, struct smi_req_op *op)
{
	u64 elapsed = ktime_get_ns() - req->queued_ns;
	struct dsmil_smi_event_data ev = {
		.token = op->token, .opcode = op->opcode, .group = op->group,
		.timeout_ms = req->timeout_ms, .elapsed_ns = elapsed,
	};
	struct smi_audit_rec rec = {
		.token = op->token, .kind = op->opcode, .value = op->value,
		.result = op->result, .group = op->group,
		.latency_ns = op->latency_ns, .late = true,
	};

	smi_stat_inc(SMI_STAT_LATE);
	pr_warn_ratelimited("token %#06x %s: the transport finished %llu ms after the call was queued (timeout %u ms); result %d discarded\n",
			    op->token, smi_op_name(op->opcode),
			    div_u64(elapsed, NSEC_PER_MSEC), req->timeout_ms,
			    op->result);
	smi_audit(&rec);
	smi_notify(DSMIL_SMI_EVENT_LATE_COMPLETION, &ev);
}

static void smi_worker(struct work_struct *work)
{
	struct smi_req *req = container_of(work, struct smi_req, work);
	const struct cred *old_cred;
	u64 t0 = req->queued_ns, t;
	int entered = -1, refused, ret;
	unsigned int i, cur;
	bool abandoned;

	for (i = 0; i < req->n; i++) {
		struct smi_req_op *op = &req->op[i];

		if (op->result != SMI_PENDING)
			continue;
		spin_lock(&req->lock);
		abandoned = req->abandoned;
		if (!abandoned) {
			req->cur = i;
			/* The first op's deadline counts from the queueing. */
			if (req->started)
				req->deadline_ns = ktime_get_ns() +
					(u64)req->timeout_ms * NSEC_PER_MSEC;
			req->started = true;
		}
		spin_unlock(&req->lock);
		if (abandoned)
			break;

		/*
		 * The policy again, at the point of use: under the transport
		 * lock, with the caller's credentials (lockdown may ask an
		 * LSM about the caller), immediately before the transport.
		 */
		mutex_lock(&smi_xport_lock);
		old_cred = override_creds(req->cred);
		refused = smi_policy_recheck(op->token, op->opcode, op->group);
		revert_creds(old_cred);
		ret = refused;
		if (!ret)
			ret = smi_thermal_check();
		if (!ret)
			ret = smi_rate_take();
		if (!ret) {
			entered = i;
			smi_stat_inc(SMI_STAT_TRANSPORT_CALLS);
			ret = smi_transport_op(op);
			if (ret)
				smi_stat_inc(SMI_STAT_TRANSPORT_ERRORS);
			t = ktime_get_ns();
			op->latency_ns = t - t0;
			t0 = t;
			smi_stat_latency(op->latency_ns);
		}
		mutex_unlock(&smi_xport_lock);
		op->result = ret;
		/* A policy refusal does not stop a batch; other errors do. */
		if (ret && !refused)
			break;
	}

	/*
	 * The wakeup is made under the lock: the waiter only returns after
	 * seeing @finished under it, so its task is still there.
	 */
	spin_lock(&req->lock);
	req->finished = true;
	abandoned = req->abandoned;
	cur = req->cur;
	if (!abandoned)
		wake_up_process(req->waiter);
	spin_unlock(&req->lock);

	if (abandoned) {
		if (entered >= 0 && entered == cur)
			smi_late_completion(req, &req->op[cur]);
		atomic_set(&smi_wedged, 0);
	}
	kref_put(&req->ref, smi_req_release);
}

/*
 * Wait for @req; on giving up, *@stop_at is the op the caller abandoned.
 * The deadline is kept with an hrtimer (schedule_hrtimeout()), not in
 * jiffies: timeout_ms is short, and a tick is 4 ms on common configs.
 */
static int smi_wait(struct smi_req *req, unsigned int *stop_at)
{
	bool finished;
	ktime_t expires;
	u64 deadline;
	int ret;

	for (;;) {
		set_current_state(TASK_KILLABLE);
		spin_lock(&req->lock);
		finished = req->finished;
		deadline = req->deadline_ns;	/* may move with each op */
		spin_unlock(&req->lock);
		if (finished) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		if (ktime_get_ns() >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		expires = ns_to_ktime(deadline);
		schedule_hrtimeout(&expires, HRTIMER_MODE_ABS);
	}
	__set_current_state(TASK_RUNNING);

	spin_lock(&req->lock);
	if (req->finished) {
		/* Lost the race with the worker: take its results. */
		spin_unlock(&req->lock);
		return 0;
	}
	req->abandoned = true;
	*stop_at = req->cur;
	atomic_set(&smi_wedged, 1);
	spin_unlock(&req->lock);
	return ret;
}

/*
 * Give the pending ops of @ops (those with result SMI_PENDING), from
 * @from on, a batch-level result: @err to the first, -ECANCELED to the
 * others.
 */
static void smi_fail_pending(struct dsmil_smi_op *ops, unsigned int n,
			     unsigned int from, int err)
{
	unsigned int i;

	for (i = from; i < n; i++) {
		if (ops[i].result != SMI_PENDING)
			continue;
		ops[i].result = err;
		err = -ECANCELED;
	}
}

/* Hand the pending ops of @req to the worker and wait; fill @ops. */
static void smi_submit(struct smi_req *req, struct dsmil_smi_op *ops)
{
	unsigned int i, stop_at = req->n, first = req->n;
	int ret;

	for (i = 0; i < req->n && first == req->n; i++)
		if (ops[i].result == SMI_PENDING)
			first = i;
	if (first == req->n)
		return;		/* the policy refused everything */

	ret = smi_thermal_check();
	if (ret)
		goto fail;
	ret = mutex_lock_killable(&smi_lock);
	if (ret) {
		ret = -EINTR;
		goto fail;
	}
	if (READ_ONCE(smi_stopping)) {
		ret = -ENODEV;
		goto fail_unlock;
	}
	if (atomic_read(&smi_wedged)) {
		ret = -EBUSY;
		goto fail_unlock;
	}

	req->timeout_ms = smi_param_timeout_ms();
	req->queued_ns = ktime_get_ns();
	req->deadline_ns = req->queued_ns +
			   (u64)req->timeout_ms * NSEC_PER_MSEC;
	req->cur = first;
	kref_get(&req->ref);	/* the worker's */
	queue_work(smi_wq, &req->work);
	ret = smi_wait(req, &stop_at);
	mutex_unlock(&smi_lock);

	for (i = 0; i < req->n; i++) {
		if (ops[i].result != SMI_PENDING)
			continue;
		if (i >= stop_at) {
			smi_fail_pending(ops, req->n, i, ret);
			break;
		}
		ops[i].result = req->op[i].result;
		if (ops[i].result == SMI_PENDING)	/* dropped by a stop */
			ops[i].result = -ECANCELED;
		else if (!ops[i].result)
			ops[i].value = req->op[i].value;
	}
	if (ret == -ETIMEDOUT) {
		struct smi_req_op *op = &req->op[stop_at];
		struct dsmil_smi_event_data ev = {
			.token = op->token, .opcode = op->opcode,
			.group = op->group, .timeout_ms = req->timeout_ms,
			.elapsed_ns = ktime_get_ns() - req->queued_ns,
		};

		pr_warn_ratelimited("token %#06x %s: timed out after %u ms\n",
				    op->token, smi_op_name(op->opcode),
				    req->timeout_ms);
		smi_notify(DSMIL_SMI_EVENT_TIMEOUT, &ev);
	}
	return;

fail_unlock:
	mutex_unlock(&smi_lock);
fail:
	smi_fail_pending(ops, req->n, first, ret);
}

/*
 * Run @n ops (already validated) through policy, worker and transport;
 * every ops[i].result is set.  Returns the first error, or 0.
 */
static int smi_execute(struct dsmil_smi_op *ops, unsigned int n)
{
	struct smi_req *req;
	unsigned int i;
	int ret = 0;

	req = kzalloc(struct_size(req, op, n), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	kref_init(&req->ref);
	INIT_WORK(&req->work, smi_worker);
	req->waiter = current;
	req->cred = get_current_cred();
	spin_lock_init(&req->lock);
	req->n = n;

	for (i = 0; i < n; i++) {
		struct smi_req_op *op = &req->op[i];

		op->token = ops[i].token;
		op->opcode = ops[i].opcode;
		op->value = ops[i].value;
		op->result = smi_policy_check(op->token, op->opcode,
					      &op->group) ?: SMI_PENDING;
		ops[i].result = op->result;
	}

	smi_submit(req, ops);

	for (i = 0; i < n; i++) {
		struct smi_audit_rec rec = {
			.token = ops[i].token, .kind = ops[i].opcode,
			.value = ops[i].value, .result = ops[i].result,
			.group = req->op[i].group,
		};

		if (!ops[i].result || ops[i].result == -EIO)
			rec.latency_ns = req->op[i].latency_ns;
		smi_stats_account(ops[i].opcode, ops[i].result);
		smi_audit(&rec);
		if (ops[i].result && !ret)
			ret = ops[i].result;
	}
	kref_put(&req->ref, smi_req_release);
	return ret;
}

/**
 * dsmil_smi_batch() - run several ops under one lock hold and one dispatch
 * @ops: the ops, run in array order; @ops[i].result is set for every op
 * @n: number of ops, 1..DSMIL_SMI_BATCH_MAX
 *
 * See <dsmil/smi.h> for the semantics and the errno contract.
 *
 * Context: process context; may sleep up to @n * timeout_ms.
 * Return: 0 when every op succeeded, else the result of the first op that
 * failed; -EINVAL (nothing ran, no result written) or -ENOMEM.
 */
int dsmil_smi_batch(struct dsmil_smi_op *ops, unsigned int n)
{
	int ret = smi_batch_check(ops, n);

	if (ret)
		return ret;
	return smi_execute(ops, n);
}
DSMIL_EXPORT(dsmil_smi_batch);

/**
 * dsmil_smi_token_read() - read a token's value
 * @token: the token
 * @value: receives the value (untouched on error)
 *
 * See <dsmil/smi.h>.
 *
 * Return: 0 or a negative errno of the contract.
 */
int dsmil_smi_token_read(u16 token, u32 *value)
{
	struct dsmil_smi_op op = { .token = token, .opcode = DSMIL_SMI_OP_READ };
	int ret;

	if (!value)
		return -EINVAL;
	ret = smi_execute(&op, 1);
	if (!ret)
		*value = op.value;
	return ret;
}
DSMIL_EXPORT(dsmil_smi_token_read);

/**
 * dsmil_smi_token_write() - write a token's value
 * @token: the token
 * @value: the new value
 *
 * See <dsmil/smi.h>.
 *
 * Return: 0 or a negative errno of the contract.
 */
int dsmil_smi_token_write(u16 token, u32 value)
{
	struct dsmil_smi_op op = {
		.token = token, .opcode = DSMIL_SMI_OP_WRITE, .value = value,
	};

	return smi_execute(&op, 1);
}
DSMIL_EXPORT(dsmil_smi_token_write);

/**
 * dsmil_smi_verify() - check that the transport answers
 *
 * See <dsmil/smi.h>.
 *
 * Return: 0 or a negative errno of the contract.
 */
int dsmil_smi_verify(void)
{
	struct dsmil_smi_op op = { .opcode = SMI_OP_VERIFY };

	return smi_execute(&op, 1);
}
DSMIL_EXPORT(dsmil_smi_verify);

/**
 * dsmil_smi_transport_name() - name of the transport in use
 *
 * Return: "emu" or "dell".
 */
const char *dsmil_smi_transport_name(void)
{
	return smi_transport->name;
}
DSMIL_EXPORT(dsmil_smi_transport_name);

/**
 * dsmil_smi_register_notifier() - hear about SMI events
 * @nb: notifier
 *
 * See <dsmil/smi.h>.
 *
 * Return: 0.
 */
int dsmil_smi_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&smi_chain, nb);
}
DSMIL_EXPORT(dsmil_smi_register_notifier);

/**
 * dsmil_smi_unregister_notifier() - stop hearing about SMI events
 * @nb: notifier given to dsmil_smi_register_notifier()
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int dsmil_smi_unregister_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&smi_chain, nb);
}
DSMIL_EXPORT(dsmil_smi_unregister_notifier);

/**
 * smi_dispatch_init() - create the worker
 *
 * Return: 0 or -ENOMEM.
 */
int smi_dispatch_init(void)
{
	smi_stopping = false;
	atomic_set(&smi_wedged, 0);
	smi_wq = alloc_workqueue("dsmil_smi", WQ_HIGHPRI | DSMIL_WQ_PERCPU, 1);
	return smi_wq ? 0 : -ENOMEM;
}

/**
 * smi_dispatch_exit() - stop the worker
 *
 * No caller can be inside the API (they hold references on this module);
 * an abandoned request may still be in the transport: wait for it.
 */
void smi_dispatch_exit(void)
{
	WRITE_ONCE(smi_stopping, true);
	destroy_workqueue(smi_wq);
}
