/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what the files of dsmil_smi share (not exported).
 *
 * Who owns what:
 *  - main.c: load and unload, in order.
 *  - params.c: module parameters; the runtime-writable ones validate every
 *    write (a bad value fails with -EINVAL and changes nothing).
 *  - policy.c: which tokens exist, quarantine, the per-group unlock windows.
 *  - rules.c: token space, parameter values, batch shape, window and
 *    rate-limit arithmetic (pure functions).
 *  - dispatch.c: the exported token calls: the service lock, the worker
 *    that runs transport ops, timeouts, the rate limit, the thermal check,
 *    and the SMI notifier chain.
 *  - transport.c: the transport ops table and the choice of a transport;
 *    transport_emu.c and transport_dell.c implement it (dell_smbios.h:
 *    the declarations of dell-smbios that its headers do not install).
 *  - stats.c: counters and their sysfs files (/sys/module/dsmil_smi/stats/,
 *    /sys/module/dsmil_smi/status/).
 *  - audit.c: the audit rings (reads and refused reads apart), in debugfs.
 *  - trace.h: the dsmil_smi tracepoints, instantiated by audit.c (every
 *    audit record is also a trace event).
 */
#ifndef _DSMIL_SMI_INTERNAL_H
#define _DSMIL_SMI_INTERNAL_H

#include <linux/types.h>

#include <dsmil/build.h>
#include <dsmil/core.h>
#include <dsmil/smi.h>
#include <dsmil_compat.h>

/* Op kinds beyond enum dsmil_smi_opcode, for the audit ring and traces. */
#define SMI_OP_VERIFY	2	/* the transport's self-check */
#define SMI_OP_UNLOCK	3
#define SMI_OP_RELOCK	4
#define SMI_OP_EXPIRE	5	/* an unlock window ran out */

/* Number of tokens the service can know: DSMIL_TOKEN_BASE..LAST. */
#define SMI_NR_TOKENS	(DSMIL_TOKEN_LAST - DSMIL_TOKEN_BASE + 1)

/* params.c */
enum smi_transport_choice {
	SMI_TRANSPORT_AUTO,
	SMI_TRANSPORT_EMU,
	SMI_TRANSPORT_DELL,
};

int smi_params_validate(void);
void smi_params_set_live(bool live);
enum smi_transport_choice smi_param_transport(void);
bool smi_param_allow_hw(void);
unsigned int smi_param_timeout_ms(void);
unsigned int smi_param_emu_latency_us(void);
unsigned int smi_param_max_calls_per_sec(void);
unsigned int smi_param_unlock_seconds(void);
unsigned int smi_param_unlock_max_seconds(void);

/* rules.c: pure arithmetic and checks */
int smi_token_slot(u16 token);
int smi_parse_uint(const char *val, unsigned int min, unsigned int max,
		   unsigned int *out);
int smi_batch_check(const struct dsmil_smi_op *ops, unsigned int n);
bool smi_window_open(u64 ends_ns, u64 now_ns);
unsigned int smi_window_remaining_ms(u64 ends_ns, u64 now_ns);
int smi_rate_gcra(u64 *tat, u64 now_ns, unsigned int max_per_sec);

/* policy.c */
int smi_policy_check(u16 token, u16 opcode, unsigned int *group);
int smi_policy_recheck(u16 token, u16 opcode, unsigned int group);
void smi_policy_init(void);
void smi_policy_exit(void);
unsigned int smi_policy_unlocked_mask(void);

/* dispatch.c */
int smi_dispatch_init(void);
void smi_dispatch_exit(void);
void smi_notify(enum dsmil_smi_event event, struct dsmil_smi_event_data *data);
void smi_transport_quiesce(void);

/**
 * struct smi_transport_ops - what a transport provides
 * @name: "emu" or "dell"
 * @init: attach to the firmware interface; 0, or a negative errno with
 *	*@why set to one line saying why (the caller logs it)
 * @exit: detach; no op is running or will run
 * @check: in the caller's context, before anything is queued: does the
 *	transport know @token and may the caller do @opcode on it?  For
 *	SMI_OP_VERIFY (@token 0): may the caller do what @verify does?  0,
 *	-ENOENT or -EPERM.  NULL: everything is allowed.
 * @read: read @token into @value
 * @write: write @value to @token
 * @verify: the self-check of dsmil_smi_verify()
 *
 * @read, @write and @verify run in the service's worker, one at a time,
 * and may sleep.  They return 0, -EIO for a firmware error, or another
 * negative errno, passed to the caller as it is.
 */
struct smi_transport_ops {
	const char *name;
	int (*init)(const char **why);
	void (*exit)(void);
	int (*check)(u16 token, u16 opcode);
	int (*read)(u16 token, u32 *value);
	int (*write)(u16 token, u32 value);
	int (*verify)(void);
};

/* transport.c */
extern const struct smi_transport_ops *smi_transport;
int smi_transport_init(void);
void smi_transport_exit(void);

/* transport_emu.c, transport_dell.c */
extern const struct smi_transport_ops smi_transport_emu;
extern const struct smi_transport_ops smi_transport_dell;
void smi_emu_debugfs_init(struct dentry *dir);

/* stats.c */
enum smi_counter {
	SMI_STAT_CALLS,
	SMI_STAT_READS,
	SMI_STAT_WRITES,
	SMI_STAT_ERRORS,
	SMI_STAT_DENIED,
	SMI_STAT_THERMAL,
	SMI_STAT_RATE_LIMITED,
	SMI_STAT_TIMEOUTS,
	SMI_STAT_LATE,
	SMI_STAT_TRANSPORT_CALLS,
	SMI_STAT_TRANSPORT_ERRORS,
	SMI_NR_COUNTERS,
};

void smi_stat_inc(enum smi_counter c);
void smi_stat_latency(u64 ns);
void smi_stats_account(u16 opcode, int result);
int smi_stats_init(void);
void smi_stats_exit(void);

/* audit.c */
struct smi_audit_rec {
	u16 token;
	u16 kind;	/* enum dsmil_smi_opcode or SMI_OP_* */
	u32 value;	/* op value; unlock: seconds; relock/expire: 0 */
	int result;
	unsigned int group;
	u64 latency_ns;
	bool late;	/* a timed-out op finished by the transport */
};

void smi_audit(const struct smi_audit_rec *rec);
int smi_audit_init(struct dentry *dir);
void smi_audit_exit(void);

#endif /* _DSMIL_SMI_INTERNAL_H */
