// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - tables, "key: value" lines and JSON for every command.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define OUT_MAX_FIELDS	64
#define OUT_TEXT_LEN	96

struct out_field {
	char key[32];
	char text[OUT_TEXT_LEN];	/* table and lines */
	char *json;			/* JSON value, malloc()ed */
};

struct out_record {
	struct out_field fields[OUT_MAX_FIELDS];
	unsigned int nr;
};

enum out_where { OUT_ALONE, OUT_IN_LIST, OUT_IN_STREAM };

static struct {
	FILE *f;
	bool json;
	enum out_where where;
	bool in_list;
	const char *list_name;
	struct out_record cur;
	struct out_record *rows;
	size_t nr_rows;
} out = { .json = false };

void out_init(FILE *f, bool json)
{
	out.f = f;
	out.json = json;
}

bool out_json(void)
{
	return out.json;
}

size_t json_quote(const char *s, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	char esc[7];
	const char *e;
	unsigned char c;

#define PUT(ch) do { if (n + 1 < len) buf[n] = (ch); n++; } while (0)
	PUT('"');
	for (; *s; s++) {
		c = (unsigned char)*s;
		e = NULL;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			if (c < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				esc[6] = '\0';
				e = esc;
			}
		}
		if (e)
			for (; *e; e++)
				PUT(*e);
		else
			PUT((char)c);
	}
	PUT('"');
#undef PUT
	if (len)
		buf[n < len ? n : len - 1] = '\0';
	return n;
}

static void out_record_clear(struct out_record *r)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++)
		free(r->fields[i].json);
	r->nr = 0;
}

static struct out_field *out_add(const char *key)
{
	struct out_field *f;

	if (out.cur.nr == OUT_MAX_FIELDS) {
		fprintf(stderr, "dsmilctl: internal error: too many fields\n");
		exit(1);
	}
	f = &out.cur.fields[out.cur.nr++];
	snprintf(f->key, sizeof(f->key), "%s", key);
	f->json = NULL;
	return f;
}

static char *out_dup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fprintf(stderr, "dsmilctl: out of memory\n");
		exit(1);
	}
	return p;
}

void out_str(const char *key, const char *val)
{
	struct out_field *f = out_add(key);
	size_t need = json_quote(val, NULL, 0) + 1;

	snprintf(f->text, sizeof(f->text), "%s", val);
	f->json = malloc(need);
	if (!f->json) {
		fprintf(stderr, "dsmilctl: out of memory\n");
		exit(1);
	}
	json_quote(val, f->json, need);
}

void out_uint(const char *key, uint64_t v)
{
	struct out_field *f = out_add(key);

	snprintf(f->text, sizeof(f->text), "%" PRIu64, v);
	f->json = out_dup(f->text);
}

void out_int(const char *key, int64_t v)
{
	struct out_field *f = out_add(key);

	snprintf(f->text, sizeof(f->text), "%" PRId64, v);
	f->json = out_dup(f->text);
}

void out_hex(const char *key, uint64_t v, int digits)
{
	struct out_field *f = out_add(key);
	char num[24];

	snprintf(f->text, sizeof(f->text), "0x%0*" PRIx64, digits, v);
	snprintf(num, sizeof(num), "%" PRIu64, v);
	f->json = out_dup(num);
}

void out_bool(const char *key, bool v)
{
	struct out_field *f = out_add(key);

	snprintf(f->text, sizeof(f->text), "%s", v ? "yes" : "no");
	f->json = out_dup(v ? "true" : "false");
}

/*
 * A record as a JSON object; a document of its own (@top: not a row of a
 * list) starts with the schema version.
 */
static void out_print_json_object(const struct out_record *r, bool top)
{
	char key[80];
	unsigned int i;

	fputc('{', out.f);
	if (top)
		fprintf(out.f, "\"schema\":%d%s", DSMILCTL_JSON_SCHEMA,
			r->nr ? "," : "");
	for (i = 0; i < r->nr; i++) {
		json_quote(r->fields[i].key, key, sizeof(key));
		fprintf(out.f, "%s%s:%s", i ? "," : "", key, r->fields[i].json);
	}
	fputc('}', out.f);
}

void out_list_begin(const char *name)
{
	out.in_list = true;
	out.list_name = name;
	out.rows = NULL;
	out.nr_rows = 0;
}

void out_list_end(void)
{
	size_t width[OUT_MAX_FIELDS] = { 0 }, i, j, l;
	const struct out_record *hdr = out.nr_rows ? &out.rows[0] : NULL;

	if (out.json) {
		fprintf(out.f, "{\"schema\":%d,\"%s\":[", DSMILCTL_JSON_SCHEMA,
			out.list_name);
		for (i = 0; i < out.nr_rows; i++) {
			if (i)
				fputc(',', out.f);
			out_print_json_object(&out.rows[i], false);
		}
		fputs("]}\n", out.f);
	} else if (hdr) {
		for (j = 0; j < hdr->nr; j++)
			width[j] = strlen(hdr->fields[j].key);
		for (i = 0; i < out.nr_rows; i++)
			for (j = 0; j < out.rows[i].nr && j < hdr->nr; j++) {
				l = strlen(out.rows[i].fields[j].text);
				if (l > width[j])
					width[j] = l;
			}
		for (j = 0; j < hdr->nr; j++) {
			for (l = 0; hdr->fields[j].key[l]; l++)
				fputc(hdr->fields[j].key[l] >= 'a' &&
				      hdr->fields[j].key[l] <= 'z' ?
				      hdr->fields[j].key[l] - 'a' + 'A' :
				      hdr->fields[j].key[l], out.f);
			if (j + 1 < hdr->nr)
				fprintf(out.f, "%*s", (int)(width[j] - l + 2), "");
		}
		fputc('\n', out.f);
		for (i = 0; i < out.nr_rows; i++) {
			for (j = 0; j < out.rows[i].nr && j < hdr->nr; j++) {
				if (j + 1 < hdr->nr)
					fprintf(out.f, "%-*s  ", (int)width[j],
						out.rows[i].fields[j].text);
				else
					fputs(out.rows[i].fields[j].text, out.f);
			}
			fputc('\n', out.f);
		}
	}
	for (i = 0; i < out.nr_rows; i++)
		out_record_clear(&out.rows[i]);
	free(out.rows);
	out.rows = NULL;
	out.nr_rows = 0;
	out.in_list = false;
	fflush(out.f);
}

void out_record_begin(void)
{
	out_record_clear(&out.cur);
	out.where = out.in_list ? OUT_IN_LIST : OUT_ALONE;
}

void out_record_end(void)
{
	struct out_record *rows;
	size_t width = 0, l;
	unsigned int i;

	if (out.where == OUT_IN_LIST) {
		rows = realloc(out.rows, (out.nr_rows + 1) * sizeof(*rows));
		if (!rows) {
			fprintf(stderr, "dsmilctl: out of memory\n");
			exit(1);
		}
		out.rows = rows;
		/* The row takes over the fields' JSON strings. */
		out.rows[out.nr_rows++] = out.cur;
		out.cur.nr = 0;
		return;
	}
	if (out.json) {
		out_print_json_object(&out.cur, true);
		fputc('\n', out.f);
	} else if (out.where == OUT_IN_STREAM) {
		for (i = 0; i < out.cur.nr; i++)
			fprintf(out.f, "%s%s=%s", i ? " " : "",
				out.cur.fields[i].key, out.cur.fields[i].text);
		fputc('\n', out.f);
	} else {
		for (i = 0; i < out.cur.nr; i++) {
			l = strlen(out.cur.fields[i].key);
			if (l > width)
				width = l;
		}
		for (i = 0; i < out.cur.nr; i++)
			fprintf(out.f, "%s:%*s %s\n", out.cur.fields[i].key,
				(int)(width - strlen(out.cur.fields[i].key)), "",
				out.cur.fields[i].text);
	}
	out_record_clear(&out.cur);
	fflush(out.f);
}

void out_stream_begin(void)
{
	out_record_clear(&out.cur);
	out.where = OUT_IN_STREAM;
}

void out_stream_end(void)
{
	out_record_end();
}
