// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Strict number parsing for the dsmil tools: the kernel takes exact values,
 * so "12abc", "-1" or "0x" are errors here, not silently truncated numbers.
 */
#include <errno.h>
#include <stdint.h>

#include "parse.h"

static int digit_value(char c, unsigned int base)
{
	unsigned int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? (int)v : -1;
}

int dsmil_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	int d;

	if (!s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		d = digit_value(*s, base);
		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int dsmil_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	int ret;

	ret = dsmil_parse_u64(s, max, &v);
	if (ret)
		return ret;
	*out = (uint32_t)v;
	return 0;
}
