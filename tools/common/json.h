/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * JSON output shared by the dsmil command-line tools.
 */
#ifndef DSMIL_TOOLS_JSON_H
#define DSMIL_TOOLS_JSON_H

/*
 * dsmil_json_string() - print @s on stdout as a JSON string: quoted, with
 * '"' and '\' escaped and control characters as \uXXXX.
 */
void dsmil_json_string(const char *s);

#endif
