// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * handle.c - opening /dev/dsmil/ctl, versions, names.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

int dsmil_open(const char *path, unsigned int flags, struct dsmil **out)
{
	struct dsmil_info info;
	struct dsmil *d;
	int oflags, ret;

	if (flags & ~(DSMIL_OPEN_WRITE | DSMIL_OPEN_NONBLOCK))
		return -EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	oflags = O_CLOEXEC | (flags & DSMIL_OPEN_WRITE ? O_RDWR : O_RDONLY) |
		 (flags & DSMIL_OPEN_NONBLOCK ? O_NONBLOCK : 0);
	d->fd = open(path ? path : DSMIL_CTL_PATH, oflags);
	if (d->fd < 0) {
		ret = -errno;
		free(d);
		return ret;
	}
	d->flags = flags;
	ret = dsmil_get_info(d, &info);
	if (!ret && info.abi_major != DSMIL_ABI_MAJOR)
		ret = -EPROTO;
	d->abi_minor = info.abi_minor;
	if (ret) {
		dsmil_close(d);
		return ret;
	}
	*out = d;
	return 0;
}

void dsmil_close(struct dsmil *d)
{
	if (!d)
		return;
	close(d->fd);
	free(d);
}

int dsmil_fd(const struct dsmil *d)
{
	return d ? d->fd : -EBADF;
}

int dsmil_get_info(struct dsmil *d, struct dsmil_info *info)
{
	struct dsmil_info_args a;
	int ret;

	DSMIL_ARGS_INIT(a);
	ret = dsmil_ioctl(d, DSMIL_IOC_INFO, &a);
	if (ret)
		return ret;
	memset(info, 0, sizeof(*info));
	info->abi_major = a.abi_major;
	info->abi_minor = a.abi_minor;
	info->features = a.features;
	info->nr_devices = a.nr_devices;
	info->groups = a.groups;
	info->devices_per_group = a.devices_per_group;
	memcpy(info->version, a.version, sizeof(info->version));
	info->version[sizeof(info->version) - 1] = '\0';
	memcpy(info->smi_transport, a.smi_transport, sizeof(info->smi_transport));
	info->smi_transport[sizeof(info->smi_transport) - 1] = '\0';
	return 0;
}

const char *dsmil_state_name(uint32_t state)
{
	static const char *const names[] = {
		[DSMIL_STATE_PRESENT] = "present",
		[DSMIL_STATE_ACTIVE] = "active",
		[DSMIL_STATE_QUARANTINED] = "quarantined",
		[DSMIL_STATE_ABSENT] = "absent",
		[DSMIL_STATE_ERROR] = "error",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

const char *dsmil_event_name(uint32_t type)
{
	static const char *const names[] = {
		[DSMIL_EV_OVERFLOW] = "overflow",
		[DSMIL_EV_THERMAL_EMERGENCY] = "thermal-emergency",
		[DSMIL_EV_THERMAL_CLEARED] = "thermal-cleared",
		[DSMIL_EV_DEVICE_ADDED] = "device-added",
		[DSMIL_EV_DEVICE_REMOVED] = "device-removed",
		[DSMIL_EV_DEVICE_IRQ] = "device-irq",
		[DSMIL_EV_SMI_TIMEOUT] = "smi-timeout",
		[DSMIL_EV_SMI_RELOCK] = "smi-relock",
		[DSMIL_EV_THERMAL_UNKNOWN] = "thermal-unknown",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}
