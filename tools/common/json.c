// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * JSON output shared by the dsmil command-line tools.
 */
#include <stdio.h>

#include "json.h"

void dsmil_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}
