/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsmil/smi.h - the in-kernel API of dsmil_smi, the firmware SMI token
 * service.
 *
 * A token is a 16-bit id of a firmware setting holding a 32-bit value.
 * dsmil_smi knows the tokens of the devices dsmil_core registered
 * (DSMIL_TOKEN_BASE + group * devices_per_group + index); each belongs to
 * the group of its device.  Reading a known token is always allowed;
 * writing one requires its group to be unlocked (a time-limited window
 * opened by dsmil_smi_unlock()) and is never allowed for a token on
 * dsmil_core's quarantine list.  Every call that passes this policy goes
 * through one serialized transport (an emulated token store, or Dell's
 * SMBIOS calling interface), bounded by the timeout_ms parameter, refused
 * during a thermal emergency and subject to the max_calls_per_sec rate
 * limit.
 *
 * The functions are exported GPL-only in the DSMIL symbol namespace (say
 * DSMIL_IMPORT_NS()).  They do no capability checks: a caller exposing
 * them to userspace decides who may call what (the frontend requires
 * CAP_SYS_ADMIN for writes, unlock and relock).
 *
 * Errno contract, shared by every function below (a function lists the
 * subset it can return).  When several apply, the first in this order
 * wins, and none of the conditions above -EHOSTDOWN reaches the transport:
 *
 *  -EINVAL	an argument is out of range (group >= DSMIL_MAX_GROUPS,
 *		unlock seconds above the unlock_max_seconds parameter, a batch
 *		of 0 or more than DSMIL_SMI_BATCH_MAX ops, an unknown op code,
 *		a NULL pointer)
 *  -ENOENT	unknown token: no dsmil device has it (tokens outside
 *		DSMIL_TOKEN_BASE..DSMIL_TOKEN_LAST included), or the transport
 *		does not know it (dell: dell_smbios_find_token() fails); unlock
 *		of a group that has no device
 *  -EPERM	write of a quarantined token, whoever asks (root included),
 *		or under kernel lockdown (LOCKDOWN_DEV_MEM);
 *		with the dell transport also a read or write that dell-smbios's
 *		deny-lists refuse (dell_smbios_call_filter(), evaluated with the
 *		caller's credentials)
 *  -EACCES	write of a token whose group is not unlocked (never unlocked,
 *		relocked, or the window expired); -ENOENT, -EPERM and -EACCES
 *		are decided when the call is made and again immediately before
 *		the op enters the transport
 *  -EHOSTDOWN	(DSMIL_THERMAL_ERRNO) dsmil_core's thermal guard has an
 *		emergency latched; checked before the call is queued and again
 *		immediately before every op enters the transport
 *  -EINTR	a fatal signal arrived while waiting (for the service lock or
 *		for the transport); an op already queued may or may not have
 *		run: the transport finishes it, its result is discarded
 *  -EBUSY	the transport is still executing an op whose caller stopped
 *		waiting for it (timed out or killed): a wedged SMI; nothing was
 *		queued
 *  -EAGAIN	rate limit: the op would exceed max_calls_per_sec transport
 *		ops per second (on average, with bursts of up to a second's
 *		worth); retry later
 *  -ETIMEDOUT	the transport did not finish the op within timeout_ms; the
 *		caller gets control back within timeout_ms (plus scheduling
 *		latency), the late result is discarded and counted, and every
 *		SMI notifier hears DSMIL_SMI_EVENT_TIMEOUT
 *  -EIO	the transport failed the op (firmware error status)
 *  -ECANCELED	(batch only) the op was not attempted because an earlier op
 *		of the same batch failed with -EHOSTDOWN, -EINTR, -EBUSY,
 *		-EAGAIN, -ETIMEDOUT or -EIO
 *  -ENOMEM	the request could not be allocated; nothing ran
 *  -ENODEV	the service is shutting down (only seen by callers racing the
 *		unload of dsmil_smi itself, which a symbol user cannot do)
 *
 * Context: every function may sleep (process context only) unless said
 * otherwise.
 */
#ifndef _DSMIL_SMI_H
#define _DSMIL_SMI_H

#include <linux/notifier.h>
#include <linux/types.h>

#include <dsmil/core.h>

/*
 * Version of this API.  Bumped on every incompatible change; a user can
 * refuse to build against a version it does not know with
 * BUILD_BUG_ON(DSMIL_SMI_API_VERSION != 1).
 */
#define DSMIL_SMI_API_VERSION	1

/* Most ops in one dsmil_smi_batch() call. */
#define DSMIL_SMI_BATCH_MAX	64

/* Limits of the parameters, for callers that validate before asking. */
#define DSMIL_SMI_TIMEOUT_MS_MIN	50
#define DSMIL_SMI_TIMEOUT_MS_MAX	200
#define DSMIL_SMI_UNLOCK_SECONDS_MAX	3600

/**
 * enum dsmil_smi_opcode - what one op of a batch does
 * @DSMIL_SMI_OP_READ: read the token's value into &dsmil_smi_op.value
 * @DSMIL_SMI_OP_WRITE: write &dsmil_smi_op.value to the token
 */
enum dsmil_smi_opcode {
	DSMIL_SMI_OP_READ = 0,
	DSMIL_SMI_OP_WRITE = 1,
};

/**
 * struct dsmil_smi_op - one op of dsmil_smi_batch()
 * @token: the token
 * @opcode: enum dsmil_smi_opcode
 * @value: in for a write; out for a successful read (unchanged otherwise)
 * @result: out: 0 or the op's negative errno (see the contract above)
 */
struct dsmil_smi_op {
	u16 token;
	u16 opcode;
	u32 value;
	int result;
};

/**
 * dsmil_smi_token_read() - read a token's value
 * @token: the token
 * @value: receives the value (untouched on error)
 *
 * Context: process context; may sleep up to timeout_ms once the call is
 * queued, plus the wait for the service lock (killable).
 * Return: 0, -EINVAL, -ENOENT, -EPERM (dell deny-list only), -EHOSTDOWN,
 * -EINTR, -EBUSY, -EAGAIN, -ETIMEDOUT, -EIO, -ENOMEM or -ENODEV.
 */
int dsmil_smi_token_read(u16 token, u32 *value);

/**
 * dsmil_smi_token_write() - write a token's value
 * @token: the token; its group must be unlocked and it must not be
 *	quarantined
 * @value: the new value
 *
 * Context: as dsmil_smi_token_read().
 * Return: 0, -EINVAL, -ENOENT, -EPERM, -EACCES, -EHOSTDOWN, -EINTR,
 * -EBUSY, -EAGAIN, -ETIMEDOUT, -EIO, -ENOMEM or -ENODEV.
 */
int dsmil_smi_token_write(u16 token, u32 value);

/**
 * dsmil_smi_batch() - run several ops under one lock hold and one dispatch
 * @ops: the ops, run in array order; @ops[i].result is set for every op
 * @n: number of ops, 1..DSMIL_SMI_BATCH_MAX
 *
 * Each op is checked against the policy on its own, before anything is
 * queued: an op failing with -ENOENT, -EPERM or -EACCES does not stop the
 * batch.  An op failing with -EHOSTDOWN, -EINTR, -EBUSY, -EAGAIN,
 * -ETIMEDOUT or -EIO stops it: the ops after it that passed the policy get
 * -ECANCELED.  Each op entering the transport is bounded by
 * timeout_ms on its own and counts as one call for the rate limit.
 * Cheaper per op than as many single calls (one lock round trip, one
 * worker dispatch).
 *
 * Context: process context; may sleep up to @n * timeout_ms.
 * Return: 0 when every op succeeded, else the result of the first op that
 * failed.  -EINVAL for a NULL @ops, a bad @n or an op with an unknown
 * opcode, -ENOMEM if the request could not be allocated: in both cases no
 * op ran and no result was written.
 */
int dsmil_smi_batch(struct dsmil_smi_op *ops, unsigned int n);

/**
 * dsmil_smi_unlock() - open the write window of a group
 * @group: group number, 0..DSMIL_MAX_GROUPS - 1
 * @seconds: length of the window; 0 means the unlock_seconds parameter;
 *	at most the unlock_max_seconds parameter
 *
 * Writes to the group's (non-quarantined) tokens are allowed until the
 * window ends or dsmil_smi_relock().  Unlocking an unlocked group restarts
 * its window with the new length.  The window is measured on the
 * monotonic clock (CLOCK_BOOTTIME: time suspended counts).
 *
 * Return: 0, -EINVAL or -ENOENT (no dsmil device in @group).
 */
int dsmil_smi_unlock(unsigned int group, unsigned int seconds);

/**
 * dsmil_smi_relock() - close the write window of a group now
 * @group: group number, 0..DSMIL_MAX_GROUPS - 1
 *
 * Idempotent: relocking a locked group succeeds.  The window closes at
 * once; then the call waits for the op in the transport, if any, to leave
 * it (at most one transport op).  When it returns, no write of @group is
 * in the transport and none can enter it until the next unlock: a write
 * still queued fails with -EACCES at its last check.
 *
 * Context: process context; may sleep.
 * Return: 0 or -EINVAL.
 */
int dsmil_smi_relock(unsigned int group);

/**
 * dsmil_smi_relock_all() - close every write window
 */
void dsmil_smi_relock_all(void);

/**
 * dsmil_smi_unlock_remaining_ms() - time left in a group's write window
 * @group: group number, 0..DSMIL_MAX_GROUPS - 1
 *
 * Context: any context.
 * Return: milliseconds until the window closes (at least 1 while it is
 * open), 0 when the group is locked or @group is out of range.
 */
unsigned int dsmil_smi_unlock_remaining_ms(unsigned int group);

/**
 * struct dsmil_smi_token_info - what the policy says about a token
 * @token: the token
 * @group: its group
 * @index: its index within the group
 * @quarantined: writes always fail with -EPERM
 * @unlocked: writes are currently allowed (the group's window is open and
 *	the token is not quarantined)
 */
struct dsmil_smi_token_info {
	u16 token;
	u8 group;
	u8 index;
	bool quarantined;
	bool unlocked;
};

/**
 * dsmil_smi_token_info() - look a token up without calling the transport
 * @token: the token
 * @info: receives what the policy says about it
 *
 * Return: 0, -EINVAL or -ENOENT.
 */
int dsmil_smi_token_info(u16 token, struct dsmil_smi_token_info *info);

/**
 * dsmil_smi_verify() - check that the transport answers
 *
 * Runs the transport's self-check through the same path as a token call
 * (transport deny-list, thermal guard, lock, rate limit, timeout): emu
 * reads back its store's signature; dell reads a token dell-smbios knows
 * (class 0, select 0), and its deny-list checks the caller as for that
 * read.
 *
 * Return: 0, -EPERM (dell deny-list), -EHOSTDOWN, -EINTR, -EBUSY, -EAGAIN,
 * -ETIMEDOUT, -EIO, -ENOMEM or -ENODEV.
 */
int dsmil_smi_verify(void);

/**
 * dsmil_smi_transport_name() - name of the transport in use
 *
 * Context: any context.
 * Return: "emu" or "dell"; a string constant.
 */
const char *dsmil_smi_transport_name(void);

/**
 * struct dsmil_smi_stats - counters of the service since it was loaded
 * @calls: ops asked for through the API (a batch of n counts n)
 * @reads: of which token reads
 * @writes: of which token writes
 * @errors: ops that returned an error, whatever it was
 * @denied: ops refused by the policy (-ENOENT, -EPERM, -EACCES)
 * @thermal_refusals: ops refused with -EHOSTDOWN
 * @rate_limited: ops refused with -EAGAIN
 * @timeouts: ops that returned -ETIMEDOUT
 * @late_completions: timed-out ops the transport finished afterwards
 *	(their results were discarded)
 * @transport_calls: ops that entered the transport (what reached firmware)
 * @transport_errors: ops the transport failed (-EIO, dell deny-list)
 * @last_latency_ns: duration of the latest op that entered the transport,
 *	as its caller saw it (queueing included)
 * @max_latency_ns: largest such duration
 *
 * Counters are updated without a global lock: a snapshot taken during
 * calls may be off by the ops in flight.
 */
struct dsmil_smi_stats {
	u64 calls;
	u64 reads;
	u64 writes;
	u64 errors;
	u64 denied;
	u64 thermal_refusals;
	u64 rate_limited;
	u64 timeouts;
	u64 late_completions;
	u64 transport_calls;
	u64 transport_errors;
	u64 last_latency_ns;
	u64 max_latency_ns;
};

/**
 * dsmil_smi_get_stats() - snapshot of the counters
 * @stats: receives them
 *
 * Context: any context.
 */
void dsmil_smi_get_stats(struct dsmil_smi_stats *stats);

/**
 * enum dsmil_smi_event - actions of the SMI notifier chain
 * @DSMIL_SMI_EVENT_TIMEOUT: an op returned -ETIMEDOUT
 *	(data: struct dsmil_smi_event_data)
 * @DSMIL_SMI_EVENT_LATE_COMPLETION: the transport finished an op that had
 *	timed out; its result was discarded (data: struct dsmil_smi_event_data)
 * @DSMIL_SMI_EVENT_RELOCK: a group's write window closed, by expiry or by
 *	dsmil_smi_relock() (data: struct dsmil_smi_event_data, @group set)
 */
enum dsmil_smi_event {
	DSMIL_SMI_EVENT_TIMEOUT,
	DSMIL_SMI_EVENT_LATE_COMPLETION,
	DSMIL_SMI_EVENT_RELOCK,
};

/**
 * struct dsmil_smi_event_data - what an SMI notifier receives as data
 * @token: the op's token (0 for DSMIL_SMI_EVENT_RELOCK, and for the
 *	transport self-check of dsmil_smi_verify())
 * @opcode: the op's enum dsmil_smi_opcode (0 for DSMIL_SMI_EVENT_RELOCK)
 * @group: the token's group, or the relocked group
 * @timeout_ms: the timeout the op had (0 for DSMIL_SMI_EVENT_RELOCK)
 * @elapsed_ns: time since the op was queued (0 for DSMIL_SMI_EVENT_RELOCK)
 */
struct dsmil_smi_event_data {
	u16 token;
	u16 opcode;
	unsigned int group;
	unsigned int timeout_ms;
	u64 elapsed_ns;
};

/**
 * dsmil_smi_register_notifier() - hear about SMI events
 * @nb: notifier; called with an enum dsmil_smi_event and a struct
 *	dsmil_smi_event_data valid during the call only
 *
 * Callbacks run in process context (a blocking chain), outside the
 * service lock: DSMIL_SMI_EVENT_TIMEOUT in the task of the call that timed
 * out, DSMIL_SMI_EVENT_LATE_COMPLETION in the service's worker,
 * DSMIL_SMI_EVENT_RELOCK in the task calling dsmil_smi_relock() or, on
 * expiry, a system workqueue.  They must not call back into dsmil_smi (no
 * token calls, no unlock/relock) and should return quickly (NOTIFY_DONE).
 *
 * Return: 0.
 */
int dsmil_smi_register_notifier(struct notifier_block *nb);

/**
 * dsmil_smi_unregister_notifier() - stop hearing about SMI events
 * @nb: notifier given to dsmil_smi_register_notifier()
 *
 * When this returns, @nb is not running and will not be called again.
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int dsmil_smi_unregister_notifier(struct notifier_block *nb);

#endif /* _DSMIL_SMI_H */
