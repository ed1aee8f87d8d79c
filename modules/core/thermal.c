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
 * The sensor is read synchronously by every guarded operation (a zone at
 * most once per jiffy) and by a periodic monitor, which is what makes an
 * emergency visible to notifier subscribers that do no operations: every
 * 5 ms when watching a zone.  The emulated sensor only changes through its
 * debugfs file, whose write evaluates the guard before returning, so its
 * monitor runs at a relaxed 100 ms.
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
#define DSMIL_MONITOR_ZONE_MS		5
#define DSMIL_MONITOR_EMU_MS		100

static atomic_t dsmil_emu_temp = ATOMIC_INIT(DSMIL_EMU_TEMP_DEFAULT_MC);

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
		*temp = atomic_read(&dsmil_emu_temp);
		return 0;
	}
	/*
	 * Zones carry no reference count: look the zone up by type each time
	 * rather than keep a pointer its driver may free.
	 */
	tz = thermal_zone_get_zone_by_name(dsmil_params.thermal_zone);
	if (IS_ERR(tz))
		return PTR_ERR(tz);
	return thermal_zone_get_temp(tz, temp);
}

/* The state @temp leads to from @state (the latch with its hysteresis). */
static int dsmil_thermal_next(int state, int temp)
{
	int limit = dsmil_params.thermal_limit_mc;

	if (state == DSMIL_THERMAL_OK && temp >= limit)
		return DSMIL_THERMAL_EMERGENCY;
	if (state == DSMIL_THERMAL_EMERGENCY &&
	    temp < limit - DSMIL_THERMAL_HYSTERESIS_MC)
		return DSMIL_THERMAL_OK;
	return state;
}

/*
 * Read the sensor and move the latch.  A transition re-reads the sensor
 * under the lock, so that concurrent callers with readings of different
 * age cannot make the latch flap; subscribers hear each transition once,
 * in order.  A failed read leaves the state as it is.
 */
static void dsmil_thermal_evaluate(bool force)
{
	int temp, state, next, ret;

	if (!force && dsmil_thermal_uses_zone() &&
	    time_before(jiffies, READ_ONCE(dsmil_thermal_sampled) + 1))
		return;

	ret = dsmil_thermal_read(&temp);
	if (ret) {
		pr_warn_ratelimited("thermal zone %s: read failed: %d\n",
				    dsmil_params.thermal_zone, ret);
		return;
	}
	WRITE_ONCE(dsmil_thermal_temp, temp);
	WRITE_ONCE(dsmil_thermal_sampled, jiffies);
	state = READ_ONCE(dsmil_thermal_state);
	if (dsmil_thermal_next(state, temp) == state)
		return;

	mutex_lock(&dsmil_thermal_lock);
	if (dsmil_thermal_read(&temp))
		goto unlock;
	WRITE_ONCE(dsmil_thermal_temp, temp);
	state = dsmil_thermal_state;
	next = dsmil_thermal_next(state, temp);
	if (next == state)
		goto unlock;
	WRITE_ONCE(dsmil_thermal_state, next);
	if (next == DSMIL_THERMAL_EMERGENCY)
		pr_warn("thermal emergency: %d mC reached the limit of %d mC\n",
			temp, dsmil_params.thermal_limit_mc);
	else
		pr_info("thermal emergency cleared: %d mC\n", temp);
	blocking_notifier_call_chain(&dsmil_thermal_chain, next, &temp);
unlock:
	mutex_unlock(&dsmil_thermal_lock);
}

/**
 * dsmil_thermal_guard() - the check a guarded operation makes first
 *
 * Context: process context; may sleep.
 * Return: 0, or -DSMIL_THERMAL_ERRNO while an emergency is latched.
 */
int dsmil_thermal_guard(void)
{
	dsmil_thermal_evaluate(false);
	if (READ_ONCE(dsmil_thermal_state) == DSMIL_THERMAL_EMERGENCY)
		return -DSMIL_THERMAL_ERRNO;
	return 0;
}

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
 * dsmil_thermal_status() - state of the thermal guard
 * @temp_mc: if not NULL, receives the latest sensor reading (m°C)
 *
 * Reads the sensor first (a zone at most once per jiffy).
 *
 * Context: process context; may sleep.
 * Return: DSMIL_THERMAL_OK or DSMIL_THERMAL_EMERGENCY.
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
 * @nb: notifier; called with action DSMIL_THERMAL_EMERGENCY or
 *	DSMIL_THERMAL_OK and data pointing to the int temperature (m°C)
 *
 * Callbacks run in process context, serialized, once per transition, in
 * order, at most one monitor period (5 ms for a thermal zone) after the
 * sensor crossed.  They must not call guarded operations (register writes,
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
 * Return: 0.
 */
int dsmil_thermal_init(void)
{
	unsigned int ms = dsmil_thermal_uses_zone() ? DSMIL_MONITOR_ZONE_MS :
						      DSMIL_MONITOR_EMU_MS;

	dsmil_thermal_state = DSMIL_THERMAL_OK;
	dsmil_monitor_period = max(msecs_to_jiffies(ms), 1UL);
	dsmil_thermal_evaluate(true);
	INIT_DELAYED_WORK(&dsmil_thermal_monitor, dsmil_thermal_monitor_fn);
	schedule_delayed_work(&dsmil_thermal_monitor, dsmil_monitor_period);
	return 0;
}

/**
 * dsmil_thermal_exit() - stop the monitor
 */
void dsmil_thermal_exit(void)
{
	cancel_delayed_work_sync(&dsmil_thermal_monitor);
}
