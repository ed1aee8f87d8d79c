// SPDX-License-Identifier: GPL-2.0
/*
 * layout.c - the arithmetic of dsmil_core: token ids, device windows and
 * the checks of the parameters that describe them.
 *
 * Pure functions of their arguments: no state, no locking, no logging
 * (params.c and controller.c log and decide).  The KUnit suite
 * dsmil_core_layout (tests/kmod/kunit) compiles this file too.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "core.h"

/**
 * dsmil_layout_token() - token id of a device
 * @devices_per_group: the layout
 * @group: the device's group
 * @index: the device's index in its group
 *
 * Return: DSMIL_TOKEN_BASE + @group * @devices_per_group + @index.
 */
u16 dsmil_layout_token(unsigned int devices_per_group, unsigned int group,
		       unsigned int index)
{
	return DSMIL_TOKEN_BASE + group * devices_per_group + index;
}

/**
 * dsmil_layout_window_size() - size of each device window over a region
 * @region_size: bytes of the region
 * @nr_devs: devices sharing it, at least 1
 *
 * The region divided evenly, rounded down to whole pages, at least one
 * page and at most 1 GiB.
 *
 * Return: the window size in bytes.
 */
u32 dsmil_layout_window_size(u64 region_size, unsigned int nr_devs)
{
	u64 win = div_u64(region_size, nr_devs);

	return clamp_t(u64, round_down(win, PAGE_SIZE), PAGE_SIZE, SZ_1G);
}

/**
 * dsmil_layout_window_offset() - offset of a device window in its region
 * @devices_per_group: the layout
 * @group: the device's group
 * @index: the device's index in its group
 * @win_size: size of every window
 *
 * Return: (@group * @devices_per_group + @index) * @win_size, in 64 bits:
 * a region may be larger than 4 GiB.
 */
u64 dsmil_layout_window_offset(unsigned int devices_per_group,
			       unsigned int group, unsigned int index,
			       u32 win_size)
{
	return ((u64)group * devices_per_group + index) * win_size;
}

/**
 * dsmil_layout_window_fits() - does a device window lie inside the region
 * @devices_per_group: the layout
 * @group: the device's group
 * @index: the device's index in its group
 * @win_size: size of every window
 * @region_size: bytes of the region
 *
 * A device whose window would end past the region is absent.
 *
 * Return: true if the whole window is inside the region.
 */
bool dsmil_layout_window_fits(unsigned int devices_per_group,
			      unsigned int group, unsigned int index,
			      u32 win_size, u64 region_size)
{
	return dsmil_layout_window_offset(devices_per_group, group, index,
					  win_size) + win_size <= region_size;
}

/**
 * dsmil_layout_mmio_size_ok() - is this a valid mmio_size parameter
 * @size: bytes
 *
 * Return: true for a multiple of PAGE_SIZE in 64 KiB..16 GiB.
 */
bool dsmil_layout_mmio_size_ok(u64 size)
{
	return size >= SZ_64K && size <= 16ULL * SZ_1G && PAGE_ALIGNED(size);
}

/**
 * dsmil_layout_mmio_base_ok() - is this a valid mmio_base parameter
 * @base: physical base
 * @size: the (valid) mmio_size
 * @required: the platform backend was asked for: 0 is not allowed
 *
 * Return: true for a page-aligned base whose region ends below 2^64.
 */
bool dsmil_layout_mmio_base_ok(u64 base, u64 size, bool required)
{
	u64 end;

	if (!PAGE_ALIGNED(base) || check_add_overflow(base, size, &end))
		return false;
	return base || !required;
}

/**
 * dsmil_layout_chunk_size_ok() - is this a valid chunk_size parameter
 * @chunk_size: bytes
 *
 * Return: true for a power of two in 64 KiB..64 MiB.
 */
bool dsmil_layout_chunk_size_ok(u64 chunk_size)
{
	return chunk_size >= SZ_64K && chunk_size <= SZ_64M &&
	       is_power_of_2(chunk_size);
}

/**
 * dsmil_layout_parse_tokens() - parse a comma-separated list of tokens
 * @list: the list, split in place
 * @tokens: receives the tokens, in list order
 * @max: room in @tokens
 * @nr: receives the number of tokens (only on success)
 * @bad: receives the offending item on -EINVAL
 *
 * Items are numbers with C prefixes (0x..), blanks around them ignored;
 * "none" alone is the empty list.  An empty item is an error.
 *
 * Return: 0; -EINVAL for an item that is not a token in
 * DSMIL_TOKEN_BASE..DSMIL_TOKEN_LAST; -E2BIG for more than @max items.
 */
int dsmil_layout_parse_tokens(char *list, u16 *tokens, unsigned int max,
			      unsigned int *nr, const char **bad)
{
	char *cur = strim(list), *item;
	unsigned int n = 0;
	u16 t;

	if (!strcmp(cur, "none")) {
		*nr = 0;
		return 0;
	}
	while ((item = strsep(&cur, ","))) {
		item = strim(item);
		if (kstrtou16(item, 0, &t) || t < DSMIL_TOKEN_BASE ||
		    t > DSMIL_TOKEN_LAST) {
			*bad = item;
			return -EINVAL;
		}
		if (n == max)
			return -E2BIG;
		tokens[n++] = t;
	}
	*nr = n;
	return 0;
}
