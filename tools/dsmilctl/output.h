/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - the one output layer of dsmilctl: every command describes its
 * result as records of typed fields; this layer prints them as a table or
 * "key: value" lines, or as JSON (numbers as numbers, booleans as booleans).
 *
 * A list of records is a table (one row per record, a header of the keys)
 * or a JSON object {"schema": N, NAME: [objects]}.  A record outside a list
 * is printed as aligned "key: value" lines or a JSON object whose first key
 * is "schema".  A stream record (events) is one line: "key=value ..." or a
 * JSON object with "schema" first, flushed at once.
 *
 * "schema" is DSMILCTL_JSON_SCHEMA, the version of the JSON output (as
 * zfs -j and zpool -j carry "output_version"): it goes up when a key is
 * removed, renamed or changes its type; new keys do not change it.
 */
#ifndef DSMILCTL_OUTPUT_H
#define DSMILCTL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

void out_init(FILE *f, bool json);
bool out_json(void);

#define DSMILCTL_JSON_SCHEMA	1

/* @name: the key of the JSON array (a string literal). */
void out_list_begin(const char *name);
void out_list_end(void);
void out_record_begin(void);
void out_record_end(void);
void out_stream_begin(void);
void out_stream_end(void);

void out_str(const char *key, const char *val);
void out_uint(const char *key, uint64_t v);
void out_int(const char *key, int64_t v);
/* Text: 0x-hex zero-padded to @digits; JSON: a number. */
void out_hex(const char *key, uint64_t v, int digits);
/* Text: "yes"/"no"; JSON: true/false. */
void out_bool(const char *key, bool v);

/*
 * json_quote() - @s as a JSON string literal, quotes included
 * @s: UTF-8 text
 * @buf: where it goes
 * @len: room in @buf
 *
 * Escapes '"', '\\' and every control character.  Return: the length the
 * literal needs (without the NUL); it was truncated if that is >= @len.
 */
size_t json_quote(const char *s, char *buf, size_t len);

#endif
