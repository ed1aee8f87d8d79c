// SPDX-License-Identifier: GPL-2.0
/*
 * thermal.c - the thermal guard of dsmil_core.
 *
 * One sensor per module: the thermal zone whose type is the thermal_zone
 * parameter, or (parameter empty) the emulated sensor that root sets
 * through debugfs dsmil/emu_temp_mc.  The guard is a latch: reaching
 * thermal_limit_mc raises an emergency, which holds until the temperature
 * falls below thermal_limit_mc - DSMIL_THERMAL_HYSTERESIS_MC.
 *
 * The guard fails closed: a sensor that cannot be read (an error, its
 * zone gone, or a second zone of the same type making the choice
 * ambiguous) puts it in state "unknown", which refuses guarded operations
 * like an emergency until a reading succeeds, unless thermal_fail_open=1.
 * Leaving "unknown" needs a reading below the emergency's clearing point
 * to return to "ok" (anything higher latches an emergency).
 *
 * The sensor is read synchronously by every guarded operation (a zone at
 * most once per jiffy).  A monitor makes a change visible to notifier
 * subscribers that do no operations (the frontend revokes mappings on it):
 * every 100 ms when watching a zone, which bounds how long writes through
 * an existing mapping go on after the zone crossed the limit.  The
 * emulated sensor changes only through debugfs (its temperature,
 * emu_temp_mc, and its read error, emu_temp_error), whose writes evaluate
 * the guard before returning: it has no monitor.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/thermal.h>
#include <linux/workqueue.h>

#include "core.h"

#define DSMIL_EMU_TEMP_DEFAULT_MC	40000
#define DSMIL_MONITOR_ZONE_MS		100

static atomic_t dsmil_emu_temp = ATOMIC_INIT(DSMIL_EMU_TEMP_DEFAULT_MC);
/* A positive errno the emulated sensor fails its reads with; 0: none. */
static atomic_t dsmil_emu_error = ATOMIC_INIT(0);

/* State and last reading: written under dsmil_thermal_lock, read locklessly. */
static int dsmil_thermal_state;
static int dsmil_thermal_temp = DSMIL_EMU_TEMP_DEFAULT_MC;
static unsigned long dsmil_thermal_sampled;
static DEFINE_MUTEX(dsmil_thermal_lock);

static BLOCKING_NOTIFIER_HEAD(dsmil_thermal_chain);
static struct delayed_work dsmil_thermal_monitor;
static unsigned long dsmil_monitor_period;

static bool dsmil_thermal_uses_zone(void)
{
	return dsmil_params.thermal_zone && dsmil_params.thermal_zone[0];
}

static int dsmil_thermal_read(int *temp)
{
	struct thermal_zone_device *tz;

	if (!dsmil_thermal_uses_zone()) {
		int err = atomic_read(&dsmil_emu_error);

		if (err)
			return -err;
		*temp = atomic_read(&dsmil_emu_temp);
		return 0;
	}
	/*
	 * Zones carry no reference count: look the zone up by type each time
	 * rather than keep a pointer its driver may free.  -EEXIST: another
	 * zone of the same type appeared, the reading would be a guess.
	 */
	tz = thermal_zone_get_zone_by_name(dsmil_params.thermal_zone);
	if (IS_ERR(tz))
		return PTR_ERR(tz);
	return thermal_zone_get_temp(tz, temp);
}

/*
 * The state a reading leads to from @state (the latch with its
 * hysteresis): @ret is the read's result, @temp the reading.
 */
static int dsmil_thermal_next(int state, int ret, int temp)
{
	int limit = dsmil_params.thermal_limit_mc;

	if (ret)
		return DSMIL_THERMAL_UNKNOWN;
	if (temp >= limit)
		return DSMIL_THERMAL_EMERGENCY;
	if (state == DSMIL_THERMAL_OK ||
	    temp < limit - DSMIL_THERMAL_HYSTERESIS_MC)
		return DSMIL_THERMAL_OK;
	/* In the hysteresis band: an emergency holds, unknown latches one. */
	return DSMIL_THERMAL_EMERGENCY;
}

static void dsmil_thermal_log(int state, int next, int ret, int temp)
{
	const char *zone = dsmil_thermal_uses_zone() ?
			   dsmil_params.thermal_zone : "emulated";

	if (next == DSMIL_THERMAL_EMERGENCY)
		pr_warn("thermal emergency: %d mC reached the limit of %d mC\n",
			temp, dsmil_params.thermal_limit_mc);
	else if (next == DSMIL_THERMAL_OK && state == DSMIL_THERMAL_EMERGENCY)
		pr_info("thermal emergency cleared: %d mC\n", temp);
	else if (next == DSMIL_THERMAL_OK)
		pr_info("thermal sensor %s reads again: %d mC, guard ok\n",
			zone, temp);
	else if (dsmil_params.thermal_fail_open)
		pr_warn("thermal sensor %s cannot be read (%d): guard state unknown, guarded operations allowed (thermal_fail_open=1)\n",
			zone, ret);
	else
		pr_warn("thermal sensor %s cannot be read (%d): guard state unknown, guarded operations refused until it reads again\n",
			zone, ret);
}

/*
 * Read the sensor and move the latch.  A transition re-reads the sensor
 * under the lock, so that concurrent callers with readings of different
 * age cannot make the latch flap; subscribers hear each transition once,
 * in order, with the temperature (the last good one for "unknown").
 */
static void dsmil_thermal_evaluate(bool force)
{
	int temp = 0, state, next, ret;

	if (!force && dsmil_thermal_uses_zone() &&
	    time_before(jiffies, READ_ONCE(dsmil_thermal_sampled) + 1))
		return;

	ret = dsmil_thermal_read(&temp);
	WRITE_ONCE(dsmil_thermal_sampled, jiffies);
	if (!ret)
		WRITE_ONCE(dsmil_thermal_temp, temp);
	state = READ_ONCE(dsmil_thermal_state);
	if (dsmil_thermal_next(state, ret, temp) == state)
		return;

	mutex_lock(&dsmil_thermal_lock);
	ret = dsmil_thermal_read(&temp);
	if (ret)
		temp = READ_ONCE(dsmil_thermal_temp);
	else
		WRITE_ONCE(dsmil_thermal_temp, temp);
	state = dsmil_thermal_state;
	next = dsmil_thermal_next(state, ret, temp);
	if (next != state) {
		WRITE_ONCE(dsmil_thermal_state, next);
		dsmil_thermal_log(state, next, ret, temp);
		blocking_notifier_call_chain(&dsmil_thermal_chain, next, &temp);
	}
	mutex_unlock(&dsmil_thermal_lock);
}

/**
 * dsmil_thermal_refuses() - whether a guard state refuses guarded operations
 * @state: a state from dsmil_thermal_status() or the thermal notifier
 *
 * Context: any.
 * Return: true for an emergency, and for "unknown" unless dsmil_core was
 * loaded with thermal_fail_open=1.
 */
bool dsmil_thermal_refuses(enum dsmil_thermal_state state)
{
	return state == DSMIL_THERMAL_EMERGENCY ||
	       (state == DSMIL_THERMAL_UNKNOWN &&
		!dsmil_params.thermal_fail_open);
}
DSMIL_EXPORT(dsmil_thermal_refuses);

/**
 * dsmil_thermal_state_name() - "ok", "emergency" or "unknown"
 * @state: the state
 *
 * Return: the name, a string constant.
 */
const char *dsmil_thermal_state_name(enum dsmil_thermal_state state)
{
	switch (state) {
	case DSMIL_THERMAL_OK:
		return "ok";
	case DSMIL_THERMAL_EMERGENCY:
		return "emergency";
	default:
		return "unknown";
	}
}

/**
 * dsmil_thermal_guard() - the check a guarded operation makes first
 *
 * Context: process context; may sleep.
 * Return: 0, or -DSMIL_THERMAL_ERRNO while an emergency is latched or the
 * sensor cannot be read (dsmil_thermal_refuses()).
 */
int dsmil_thermal_guard(void)
{
	dsmil_thermal_evaluate(false);
	if (dsmil_thermal_refuses(READ_ONCE(dsmil_thermal_state)))
		return -DSMIL_THERMAL_ERRNO;
	return 0;
}

/**
 * dsmil_thermal_check() - the thermal guard's check, for other modules
 *
 * What every guarded operation of dsmil_core checks first (a fresh
 * reading of the sensor, a zone at most once per jiffy); dsmil_smi makes
 * it before each transport call.
 *
 * Context: process context; may sleep.
 * Return: 0, or -DSMIL_THERMAL_ERRNO while an emergency is latched or the
 * sensor cannot be read (unless thermal_fail_open=1).
 */
int dsmil_thermal_check(void)
{
	return dsmil_thermal_guard();
}
DSMIL_EXPORT(dsmil_thermal_check);

/**
 * dsmil_thermal_emu_set() - set the emulated sensor and evaluate the guard
 * @temp_mc: new temperature in millidegrees Celsius
 *
 * The guard has taken the new value into account when this returns.
 *
 * Return: 0.
 */
int dsmil_thermal_emu_set(int temp_mc)
{
	atomic_set(&dsmil_emu_temp, temp_mc);
	dsmil_thermal_evaluate(true);
	return 0;
}

/**
 * dsmil_thermal_emu_get() - the emulated sensor's value
 *
 * Return: the temperature in millidegrees Celsius.
 */
int dsmil_thermal_emu_get(void)
{
	return atomic_read(&dsmil_emu_temp);
}

/**
 * dsmil_thermal_emu_set_error() - make the emulated sensor fail its reads
 * @err: a positive errno the reads fail with, 0 to read again
 *
 * The guard has taken the change into account when this returns.
 */
void dsmil_thermal_emu_set_error(int err)
{
	atomic_set(&dsmil_emu_error, err);
	dsmil_thermal_evaluate(true);
}

/**
 * dsmil_thermal_emu_get_error() - the emulated sensor's read error
 *
 * Return: the positive errno its reads fail with, or 0.
 */
int dsmil_thermal_emu_get_error(void)
{
	return atomic_read(&dsmil_emu_error);
}

/**
 * dsmil_thermal_status() - state of the thermal guard
 * @temp_mc: if not NULL, receives the latest sensor reading (m°C)
 *
 * Reads the sensor first (a zone at most once per jiffy).
 *
 * Context: process context; may sleep.
 * Return: DSMIL_THERMAL_OK, DSMIL_THERMAL_EMERGENCY or DSMIL_THERMAL_UNKNOWN
 * (the sensor cannot be read; @temp_mc gets the last good reading).
 */
enum dsmil_thermal_state dsmil_thermal_status(int *temp_mc)
{
	dsmil_thermal_evaluate(false);
	if (temp_mc)
		*temp_mc = READ_ONCE(dsmil_thermal_temp);
	return READ_ONCE(dsmil_thermal_state);
}
DSMIL_EXPORT(dsmil_thermal_status);

/**
 * dsmil_thermal_limit_mc() - the emergency threshold of the thermal guard
 *
 * An emergency is latched when a reading reaches the limit and clears when
 * one is below the limit minus DSMIL_THERMAL_HYSTERESIS_MC.
 *
 * Context: any.
 * Return: the thermal_limit_mc parameter, millidegrees Celsius.
 */
int dsmil_thermal_limit_mc(void)
{
	return dsmil_params.thermal_limit_mc;
}
DSMIL_EXPORT(dsmil_thermal_limit_mc);

/**
 * dsmil_register_thermal_notifier() - hear about guard transitions
 * @nb: notifier; called with action DSMIL_THERMAL_EMERGENCY,
 *	DSMIL_THERMAL_UNKNOWN or DSMIL_THERMAL_OK and data pointing to the
 *	int temperature (m°C; the last good reading for "unknown")
 *
 * Callbacks run in process context, serialized, once per transition, in
 * order, at most one monitor period (100 ms for a thermal zone) after the
 * sensor crossed.  dsmil_thermal_refuses() says whether the new state
 * refuses guarded operations.  They must not call guarded operations (register writes,
 * DMA) of dsmil_core.
 *
 * Return: 0.
 */
int dsmil_register_thermal_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&dsmil_thermal_chain, nb);
}
DSMIL_EXPORT(dsmil_register_thermal_notifier);

/**
 * dsmil_unregister_thermal_notifier() - stop hearing about transitions
 * @nb: notifier given to dsmil_register_thermal_notifier()
 *
 * Return: 0, or -ENOENT if @nb was not registered.
 */
int dsmil_unregister_thermal_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&dsmil_thermal_chain, nb);
}
DSMIL_EXPORT(dsmil_unregister_thermal_notifier);

static void dsmil_thermal_monitor_fn(struct work_struct *work)
{
	dsmil_thermal_evaluate(true);
	schedule_delayed_work(&dsmil_thermal_monitor, dsmil_monitor_period);
}

/**
 * dsmil_thermal_init() - take a first reading and start the monitor
 *
 * A zone gets a monitor; the emulated sensor needs none.
 *
 * Return: 0.
 */
int dsmil_thermal_init(void)
{
	dsmil_thermal_state = DSMIL_THERMAL_OK;
	atomic_set(&dsmil_emu_error, 0);
	dsmil_thermal_evaluate(true);
	INIT_DELAYED_WORK(&dsmil_thermal_monitor, dsmil_thermal_monitor_fn);
	if (dsmil_thermal_uses_zone()) {
		dsmil_monitor_period = msecs_to_jiffies(DSMIL_MONITOR_ZONE_MS);
		schedule_delayed_work(&dsmil_thermal_monitor,
				      dsmil_monitor_period);
	}
	return 0;
}

/**
 * dsmil_thermal_exit() - stop the monitor
 */
void dsmil_thermal_exit(void)
{
	cancel_delayed_work_sync(&dsmil_thermal_monitor);
}
