// SPDX-License-Identifier: GPL-2.0
/*
 * params.c - the module parameters of dsmil_smi and their validation.
 *
 * transport, allow_hw and unlock_max_seconds are fixed at load.  The other
 * four may be changed at run time through /sys/module/dsmil_smi/parameters/:
 * every write is validated, and a bad value fails with -EINVAL, one log
 * line naming the parameter and the allowed range, and no change.  The
 * same check refuses a bad value on the modprobe command line, which fails
 * the load.  Users read the values with the smi_param_*() accessors (a
 * concurrent write is seen by the next call).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "internal.h"

static char transport[8] = "auto";
module_param_string(transport, transport, sizeof(transport), 0444);
MODULE_PARM_DESC(transport, "Token transport: auto, emu or dell (default auto: dell on a Dell system with allow_hw=1 and dell-smbios, else emu)");

static bool allow_hw;
module_param(allow_hw, bool, 0444);
MODULE_PARM_DESC(allow_hw, "Allow the dell transport to raise real SMIs (default 0: never touch firmware)");

/*
 * An unsigned parameter with an inclusive range.  On the command line a
 * bad value is only remembered (@bad) and reported by
 * smi_params_validate(), so that the load fails with one line of ours and
 * not also the kernel's generic one.
 */
struct smi_uint_param {
	unsigned int val;
	unsigned int min;
	unsigned int max;
	char bad[16];
};

static bool smi_params_live;

static struct smi_uint_param unlock_max_seconds = {
	.val = 600, .min = 1, .max = DSMIL_SMI_UNLOCK_SECONDS_MAX,
};

static int smi_uint_set(const char *val, const struct kernel_param *kp)
{
	struct smi_uint_param *p = kp->arg;
	unsigned int v, max = p->max;
	char shown[16];

	/* Once loaded, unlock_seconds may not exceed unlock_max_seconds. */
	if (!strcmp(kp->name, "unlock_seconds") && smi_params_live)
		max = unlock_max_seconds.val;
	if (smi_parse_uint(val, p->min, max, &v)) {
		strscpy(shown, val, sizeof(shown));
		if (!smi_params_live) {
			strscpy(p->bad, strim(shown), sizeof(p->bad));
			return 0;
		}
		pr_err("invalid %s=%s: allowed range %u-%u\n", kp->name,
		       strim(shown), p->min, max);
		return -EINVAL;
	}
	p->bad[0] = '\0';
	WRITE_ONCE(p->val, v);
	return 0;
}

static int smi_uint_get(char *buf, const struct kernel_param *kp)
{
	struct smi_uint_param *p = kp->arg;

	return sysfs_emit(buf, "%u\n", READ_ONCE(p->val));
}

static const struct kernel_param_ops smi_uint_ops = {
	.set = smi_uint_set,
	.get = smi_uint_get,
};

static struct smi_uint_param timeout_ms = {
	.val = 100, .min = DSMIL_SMI_TIMEOUT_MS_MIN,
	.max = DSMIL_SMI_TIMEOUT_MS_MAX,
};
module_param_cb(timeout_ms, &smi_uint_ops, &timeout_ms, 0644);
__MODULE_PARM_TYPE(timeout_ms, "uint");
MODULE_PARM_DESC(timeout_ms, "Longest a caller waits for one transport op, in ms (50-200, default 100; writable at run time)");

static struct smi_uint_param emu_latency_us = {
	.val = 0, .min = 0, .max = 1000000,
};
module_param_cb(emu_latency_us, &smi_uint_ops, &emu_latency_us, 0644);
__MODULE_PARM_TYPE(emu_latency_us, "uint");
MODULE_PARM_DESC(emu_latency_us, "Time the emu transport takes per op, in us (0-1000000, default 0; writable at run time)");

static struct smi_uint_param max_calls_per_sec = {
	.val = 1000, .min = 0, .max = 1000000,
};
module_param_cb(max_calls_per_sec, &smi_uint_ops, &max_calls_per_sec, 0644);
__MODULE_PARM_TYPE(max_calls_per_sec, "uint");
MODULE_PARM_DESC(max_calls_per_sec, "Transport ops per second on average, in bursts of up to that many; 0 for no limit (0-1000000, default 1000; writable at run time)");

static struct smi_uint_param unlock_seconds = {
	.val = 30, .min = 1, .max = DSMIL_SMI_UNLOCK_SECONDS_MAX,
};
module_param_cb(unlock_seconds, &smi_uint_ops, &unlock_seconds, 0644);
__MODULE_PARM_TYPE(unlock_seconds, "uint");
MODULE_PARM_DESC(unlock_seconds, "Default length of a group's write window, in s (1-unlock_max_seconds, default 30; writable at run time)");

module_param_cb(unlock_max_seconds, &smi_uint_ops, &unlock_max_seconds, 0444);
__MODULE_PARM_TYPE(unlock_max_seconds, "uint");
MODULE_PARM_DESC(unlock_max_seconds, "Longest write window an unlock may ask for, in s (1-3600, default 600)");

static enum smi_transport_choice smi_transport_choice;

static const char * const smi_transport_names[] = {
	[SMI_TRANSPORT_AUTO] = "auto",
	[SMI_TRANSPORT_EMU] = "emu",
	[SMI_TRANSPORT_DELL] = "dell",
};

static const struct {
	const char *name;
	struct smi_uint_param *p;
} smi_uint_params[] = {
	{ "timeout_ms", &timeout_ms },
	{ "emu_latency_us", &emu_latency_us },
	{ "max_calls_per_sec", &max_calls_per_sec },
	{ "unlock_seconds", &unlock_seconds },
	{ "unlock_max_seconds", &unlock_max_seconds },
};

/**
 * smi_params_validate() - check the parameters given at load
 *
 * Return: 0, or -EINVAL after logging one line about the first bad value.
 */
int smi_params_validate(void)
{
	char buf[sizeof(transport)];
	unsigned int i;

	strscpy(buf, transport, sizeof(buf));
	for (i = 0; i < ARRAY_SIZE(smi_transport_names); i++) {
		if (!strcmp(strim(buf), smi_transport_names[i]))
			break;
	}
	if (i == ARRAY_SIZE(smi_transport_names)) {
		pr_err("invalid transport=%s: allowed auto, emu, dell\n",
		       transport);
		return -EINVAL;
	}
	smi_transport_choice = i;

	for (i = 0; i < ARRAY_SIZE(smi_uint_params); i++) {
		struct smi_uint_param *p = smi_uint_params[i].p;

		if (p->bad[0]) {
			pr_err("invalid %s=%s: allowed range %u-%u\n",
			       smi_uint_params[i].name, p->bad, p->min,
			       p->max);
			return -EINVAL;
		}
	}
	if (unlock_seconds.val > unlock_max_seconds.val) {
		pr_err("invalid unlock_seconds=%u: allowed range 1-%u (unlock_max_seconds)\n",
		       unlock_seconds.val, unlock_max_seconds.val);
		return -EINVAL;
	}
	return 0;
}

/**
 * smi_params_set_live() - from now on, refuse bad writes with -EINVAL
 * @live: true once loaded
 */
void smi_params_set_live(bool live)
{
	smi_params_live = live;
}

enum smi_transport_choice smi_param_transport(void)
{
	return smi_transport_choice;
}

bool smi_param_allow_hw(void)
{
	return allow_hw;
}

unsigned int smi_param_timeout_ms(void)
{
	return READ_ONCE(timeout_ms.val);
}

unsigned int smi_param_emu_latency_us(void)
{
	return READ_ONCE(emu_latency_us.val);
}

unsigned int smi_param_max_calls_per_sec(void)
{
	return READ_ONCE(max_calls_per_sec.val);
}

unsigned int smi_param_unlock_seconds(void)
{
	return READ_ONCE(unlock_seconds.val);
}

unsigned int smi_param_unlock_max_seconds(void)
{
	return unlock_max_seconds.val;
}
