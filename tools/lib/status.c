// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * status.c - thermal guard, counters and the event stream.
 */
#include <poll.h>
#include <unistd.h>

#include "internal.h"

int dsmil_get_thermal(struct dsmil *d, struct dsmil_thermal *t)
{
	struct dsmil_thermal_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	ret = dsmil_ioctl(d, DSMIL_IOC_THERMAL, &a);
	if (ret)
		return ret;
	t->temp_mc = a.temp_mc;
	t->limit_mc = a.limit_mc;
	t->hysteresis_mc = (int32_t)a.hysteresis_mc;
	t->emergency = a.state == DSMIL_THERMAL_STATE_EMERGENCY;
	t->unknown = a.state == DSMIL_THERMAL_STATE_UNKNOWN;
	return 0;
}

int dsmil_get_stats(struct dsmil *d, struct dsmil_stats_args *stats)
{
	struct dsmil_stats_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	ret = dsmil_ioctl(d, DSMIL_IOC_STATS, &a);
	if (!ret)
		*stats = a;
	return ret;
}

int dsmil_event_read(struct dsmil *d, struct dsmil_event_record *ev,
		     int timeout_ms)
{
	struct pollfd pfd;
	ssize_t n;
	int ret;

	if (!d)
		return -EBADF;
	pfd.fd = d->fd;
	pfd.events = POLLIN;
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return -EAGAIN;
	n = read(d->fd, ev, sizeof(*ev));
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(*ev) ? 0 : -EIO;
}
