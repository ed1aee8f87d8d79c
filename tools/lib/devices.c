// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * devices.c - the device list, finding a device by what a user typed, and
 * the device nodes /dev/dsmil/<name>.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"
#include "parse.h"

static void dsmil_device_from_entry(struct dsmil_device_info *dev,
				    const struct dsmil_dev_entry *e)
{
	memset(dev, 0, sizeof(*dev));
	dev->token = e->token;
	dev->group = e->group;
	dev->index = e->index;
	dev->state = e->state;
	dev->quarantined = e->flags & DSMIL_DEV_QUARANTINED;
	dev->absent = e->flags & DSMIL_DEV_ABSENT;
	dev->mappable = e->flags & DSMIL_DEV_MAPPABLE;
	dev->mmio_size = e->mmio_size;
	dev->controller = e->controller;
	memcpy(dev->name, e->name, sizeof(dev->name));
	dev->name[sizeof(dev->name) - 1] = '\0';
}

int dsmil_list_devices(struct dsmil *d, struct dsmil_device_info **devs,
		       size_t *count)
{
	struct dsmil_dev_list_args a;
	struct dsmil_dev_entry *ents = NULL;
	struct dsmil_device_info *out = NULL;
	uint32_t cap = 0, i;
	int ret;

	/* The count may grow between the calls: ask until it fits. */
	for (;;) {
		DSMIL_ARGS_INIT(a);
		a.count = cap;
		a.entry_size = sizeof(*ents);
		a.entries = (uintptr_t)ents;
		ret = dsmil_ioctl(d, DSMIL_IOC_DEV_LIST, &a);
		if (ret)
			goto out_free;
		if (a.count <= cap)
			break;
		cap = a.count;
		free(ents);
		ents = calloc(cap, sizeof(*ents));
		if (!ents) {
			ret = -ENOMEM;
			goto out_free;
		}
	}
	if (a.count) {
		out = calloc(a.count, sizeof(*out));
		if (!out) {
			ret = -ENOMEM;
			goto out_free;
		}
		for (i = 0; i < a.count; i++)
			dsmil_device_from_entry(&out[i], &ents[i]);
	}
	*devs = out;
	*count = a.count;
out_free:
	free(ents);
	return ret;
}

/* "gGdI": group and index in decimal. */
static int dsmil_parse_position(const char *spec, uint32_t *group,
				uint32_t *index)
{
	char g[16], *dpos;
	size_t len;

	if (spec[0] != 'g')
		return -EINVAL;
	dpos = strchr(spec, 'd');
	if (!dpos)
		return -EINVAL;
	len = (size_t)(dpos - spec - 1);
	if (len == 0 || len >= sizeof(g) || !memchr("0123456789", spec[1], 10))
		return -EINVAL;
	memcpy(g, spec + 1, len);
	g[len] = '\0';
	if (dsmil_parse_u32(g, 255, group))
		return -EINVAL;
	if (!memchr("0123456789", dpos[1], 10) ||
	    dsmil_parse_u32(dpos + 1, 255, index))
		return -EINVAL;
	return 0;
}

int dsmil_match_device(const struct dsmil_device_info *devs, size_t count,
		       const char *spec)
{
	uint32_t group, index, token;
	size_t i;

	if (!spec || !*spec)
		return -EINVAL;
	if (!strncmp(spec, "dsmil", 5) && strchr(spec, ':')) {
		for (i = 0; i < count; i++)
			if (!strcmp(devs[i].name, spec))
				return (int)i;
		return -ENOENT;
	}
	if (!dsmil_parse_position(spec, &group, &index)) {
		for (i = 0; i < count; i++)
			if (devs[i].group == group && devs[i].index == index)
				return (int)i;
		return -ENOENT;
	}
	if (dsmil_parse_u32(spec, UINT16_MAX, &token))
		return -EINVAL;
	for (i = 0; i < count; i++)
		if (devs[i].token == token)
			return (int)i;
	return -ENOENT;
}

int dsmil_find_device(struct dsmil *d, const char *spec,
		      struct dsmil_device_info *dev)
{
	struct dsmil_device_info *devs;
	size_t count;
	int ret;

	ret = dsmil_list_devices(d, &devs, &count);
	if (ret)
		return ret;
	ret = dsmil_match_device(devs, count, spec);
	if (ret >= 0) {
		*dev = devs[ret];
		ret = 0;
	}
	free(devs);
	return ret;
}

int dsmil_dev_open(const struct dsmil_device_info *dev, bool write)
{
	char path[sizeof(DSMIL_DEV_DIR) + DSMIL_NAME_LEN + 1];
	int fd;

	if (!dev->name[0] || strchr(dev->name, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), DSMIL_DEV_DIR "/%s", dev->name);
	fd = open(path, (write ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int dsmil_dev_map(int fd, size_t len, bool write, volatile uint32_t **regs)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | (write ? PROT_WRITE : 0), MAP_SHARED,
		 fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*regs = p;
	return 0;
}
