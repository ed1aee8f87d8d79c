/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Strict number parsing shared by the dsmil command-line tools.
 */
#ifndef DSMIL_TOOLS_PARSE_H
#define DSMIL_TOOLS_PARSE_H

#include <stdint.h>

/*
 * dsmil_parse_u64() - parse a whole string as an unsigned number.
 * @s:   decimal ("1234") or hexadecimal with a 0x/0X prefix ("0x8009")
 * @max: largest accepted value
 * @out: where the value goes; untouched on error
 *
 * Leading/trailing blanks, signs, empty strings, other bases (a leading 0 is
 * decimal, not octal) and trailing garbage are refused.
 *
 * Return: 0, -EINVAL for a malformed string, -ERANGE above @max.
 */
int dsmil_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* dsmil_parse_u32() - dsmil_parse_u64() limited to @max <= UINT32_MAX. */
int dsmil_parse_u32(const char *s, uint32_t max, uint32_t *out);

#endif
