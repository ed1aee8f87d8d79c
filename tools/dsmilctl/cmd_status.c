// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_status.c - info, thermal, stats, events: the state of the suite.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

int cmd_info(struct cli *c, char **argv)
{
	struct dsmil_info info;
	char abi[24];
	int ret;

	(void)argv;
	ret = dsmil_get_info(c->d, &info);
	if (ret)
		return cli_error(cli_exit_code(ret), "info: %s", cli_cause(ret));
	snprintf(abi, sizeof(abi), "%u.%u", info.abi_major, info.abi_minor);
	out_record_begin();
	out_str("version", info.version);
	out_str("abi", abi);
	out_uint("libdsmil", LIBDSMIL_VERSION_MAJOR);
	out_bool("tokens", info.features & DSMIL_FEATURE_TOKENS);
	out_bool("dma", info.features & DSMIL_FEATURE_DMA);
	out_str("smi_transport", info.smi_transport);
	out_uint("devices", info.nr_devices);
	out_uint("groups", info.groups);
	out_uint("devices_per_group", info.devices_per_group);
	out_record_end();
	return CLI_EXIT_OK;
}

int cmd_thermal(struct cli *c, char **argv)
{
	struct dsmil_thermal t;
	int ret;

	(void)argv;
	ret = dsmil_get_thermal(c->d, &t);
	if (ret)
		return cli_error(cli_exit_code(ret), "thermal: %s", cli_cause(ret));
	out_record_begin();
	out_int("temp_mc", t.temp_mc);
	out_int("limit_mc", t.limit_mc);
	out_str("state", t.emergency ? "emergency" : t.unknown ? "unknown" : "ok");
	out_int("hysteresis_mc", t.hysteresis_mc);
	out_record_end();
	return CLI_EXIT_OK;
}

int cmd_stats(struct cli *c, char **argv)
{
	struct dsmil_stats_args s;
	int ret;

	(void)argv;
	ret = dsmil_get_stats(c->d, &s);
	if (ret)
		return cli_error(cli_exit_code(ret), "stats: %s", cli_cause(ret));
	out_record_begin();
#define STAT(f) out_uint(#f, s.f)
	STAT(ioctls);
	STAT(reg_reads);
	STAT(reg_writes);
	STAT(reg_errors);
	STAT(mmaps);
	STAT(events);
	STAT(events_dropped);
	STAT(refused_perm);
	STAT(refused_lockdown);
	STAT(smi_calls);
	STAT(smi_reads);
	STAT(smi_writes);
	STAT(smi_errors);
	STAT(smi_denied);
	STAT(smi_thermal_refusals);
	STAT(smi_rate_limited);
	STAT(smi_timeouts);
	STAT(smi_late_completions);
	STAT(smi_transport_calls);
	STAT(smi_transport_errors);
	STAT(smi_last_latency_ns);
	STAT(smi_max_latency_ns);
	STAT(dma_locked_bytes);
	STAT(dma_pinned_pages);
	STAT(dma_handles);
	STAT(dma_segments);
	STAT(dma_owners);
	STAT(dma_locks);
	STAT(dma_xfers);
	STAT(dma_xfer_bytes);
	STAT(dma_claim_waits);
	STAT(dma_claim_timeouts);
#undef STAT
	out_record_end();
	return CLI_EXIT_OK;
}

static volatile sig_atomic_t events_stop;

static void events_signal(int sig)
{
	(void)sig;
	events_stop = 1;
}

static void event_fields(const struct dsmil_event_record *ev)
{
	out_uint("seq", ev->seq);
	out_uint("time_ns", ev->timestamp_ns);
	out_str("type", dsmil_event_name(ev->type));
	switch (ev->type) {
	case DSMIL_EV_THERMAL_EMERGENCY:
	case DSMIL_EV_THERMAL_CLEARED:
	case DSMIL_EV_THERMAL_UNKNOWN:
		out_int("temp_mc", ev->value);
		out_int("limit_mc", (int32_t)ev->aux);
		break;
	case DSMIL_EV_DEVICE_ADDED:
		out_hex("token", ev->token, 4);
		out_str("state", dsmil_state_name((uint32_t)ev->value));
		break;
	case DSMIL_EV_DEVICE_REMOVED:
		out_hex("token", ev->token, 4);
		break;
	case DSMIL_EV_DEVICE_IRQ:
		out_hex("token", ev->token, 4);
		out_hex("value", ev->aux, 8);
		break;
	case DSMIL_EV_SMI_TIMEOUT:
		out_hex("token", ev->token, 4);
		out_int("timeout_ms", ev->value);
		out_str("op", ev->aux ? "write" : "read");
		break;
	case DSMIL_EV_SMI_RELOCK:
		out_int("group", ev->value);
		break;
	case DSMIL_EV_OVERFLOW:
		out_int("lost", ev->value);
		break;
	default:
		out_uint("type_id", ev->type);
		out_hex("token", ev->token, 4);
		out_int("value", ev->value);
		out_uint("aux", ev->aux);
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cmd_events(struct cli *c, char **argv)
{
	struct dsmil_event_record ev;
	struct sigaction sa;
	uint64_t seen = 0;
	int64_t deadline = -1;
	int wait, ret;

	(void)argv;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = events_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (c->opts & CLI_OPT_TIMEOUT)
		deadline = now_ms() + c->timeout_ms;
	while (!events_stop) {
		if ((c->opts & CLI_OPT_COUNT) && seen >= c->count)
			break;
		wait = -1;
		if (deadline >= 0) {
			if (now_ms() >= deadline)
				break;
			wait = (int)(deadline - now_ms());
		}
		ret = dsmil_event_read(c->d, &ev, wait);
		if (ret == -EAGAIN || ret == -EINTR)
			continue;
		if (ret)
			return cli_error(cli_exit_code(ret), "events: %s",
					 cli_cause(ret));
		out_stream_begin();
		event_fields(&ev);
		out_stream_end();
		seen++;
	}
	/* --count not reached before --timeout: the caller waited for nothing. */
	if ((c->opts & CLI_OPT_COUNT) && seen < c->count && !events_stop)
		return cli_error(CLI_EXIT_FAILED,
				 "events: %llu of %llu events before the timeout",
				 (unsigned long long)seen,
				 (unsigned long long)c->count);
	return CLI_EXIT_OK;
}
