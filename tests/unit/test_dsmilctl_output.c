// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of dsmilctl's output layer (tools/dsmilctl/output.c): JSON
 * string escaping, JSON types, tables, "key: value" lines, stream lines.
 */
// sources: tools/dsmilctl/output.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output.h"

static void quote_is(const char *in, const char *want)
{
	char buf[256];
	size_t n = json_quote(in, buf, sizeof(buf));

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void json_quote_plain_and_special(void **state)
{
	(void)state;
	quote_is("", "\"\"");
	quote_is("dsmil0:g2d05", "\"dsmil0:g2d05\"");
	quote_is("say \"hi\"", "\"say \\\"hi\\\"\"");
	quote_is("a\\b", "\"a\\\\b\"");
	quote_is("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
}

static void json_quote_control_characters(void **state)
{
	(void)state;
	quote_is("\x01", "\"\\u0001\"");
	quote_is("x\x1fy", "\"x\\u001fy\"");
	quote_is("\x7f", "\"\x7f\"");		/* DEL needs no escape */
	quote_is("\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"");	/* UTF-8 as is */
}

static void json_quote_measures_and_truncates(void **state)
{
	char buf[5];

	(void)state;
	assert_int_equal(json_quote("a\nb", NULL, 0), 6);
	assert_int_equal(json_quote("abcdef", buf, sizeof(buf)), 8);
	assert_string_equal(buf, "\"abc");
}

/* Run @fn with output to a memory stream; returns what it printed. */
static char *capture(bool json, void (*fn)(void))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	out_init(f, json);
	fn();
	fclose(f);
	return text;
}

static void two_devices(void)
{
	out_list_begin("devices");
	out_record_begin();
	out_str("name", "dsmil0:g0d00");
	out_hex("token", 0x8000, 4);
	out_bool("quarantined", false);
	out_record_end();
	out_record_begin();
	out_str("name", "dsmil0:g0d09");
	out_hex("token", 0x8009, 4);
	out_bool("quarantined", true);
	out_record_end();
	out_list_end();
}

static void list_as_json_object_with_array(void **state)
{
	char *s = capture(true, two_devices);

	(void)state;
	assert_string_equal(s,
		"{\"schema\":1,\"devices\":["
		"{\"name\":\"dsmil0:g0d00\",\"token\":32768,\"quarantined\":false},"
		"{\"name\":\"dsmil0:g0d09\",\"token\":32777,\"quarantined\":true}]}\n");
	free(s);
}

static void list_as_table(void **state)
{
	char *s = capture(false, two_devices);

	(void)state;
	assert_string_equal(s,
		"NAME          TOKEN   QUARANTINED\n"
		"dsmil0:g0d00  0x8000  no\n"
		"dsmil0:g0d09  0x8009  yes\n");
	free(s);
}

static void empty(void)
{
	out_list_begin("devices");
	out_list_end();
}

static void empty_list(void **state)
{
	char *s = capture(true, empty);

	(void)state;
	assert_string_equal(s, "{\"schema\":1,\"devices\":[]}\n");
	free(s);
	s = capture(false, empty);
	assert_string_equal(s, "");
	free(s);
}

static void thermal(void)
{
	out_record_begin();
	out_int("temp_mc", -1500);
	out_int("limit_mc", 85000);
	out_str("state", "ok");
	out_uint("big", UINT64_MAX);
	out_record_end();
}

static void record_as_object_and_lines(void **state)
{
	char *s = capture(true, thermal);

	(void)state;
	assert_string_equal(s,
		"{\"schema\":1,\"temp_mc\":-1500,\"limit_mc\":85000,\"state\":\"ok\","
		"\"big\":18446744073709551615}\n");
	free(s);
	s = capture(false, thermal);
	assert_string_equal(s,
		"temp_mc:  -1500\n"
		"limit_mc: 85000\n"
		"state:    ok\n"
		"big:      18446744073709551615\n");
	free(s);
}

static void event(void)
{
	out_stream_begin();
	out_uint("seq", 3);
	out_str("type", "device-irq");
	out_hex("value", 0xabc, 8);
	out_stream_end();
}

static void stream_as_one_line(void **state)
{
	char *s = capture(false, event);

	(void)state;
	assert_string_equal(s, "seq=3 type=device-irq value=0x00000abc\n");
	free(s);
	s = capture(true, event);
	assert_string_equal(s, "{\"schema\":1,\"seq\":3,\"type\":\"device-irq\",\"value\":2748}\n");
	free(s);
}

static void keys_and_values_are_escaped(void)
{
	out_record_begin();
	out_str("na\"me", "line\nbreak");
	out_record_end();
}

static void json_escapes_keys_and_values(void **state)
{
	char *s = capture(true, keys_and_values_are_escaped);

	(void)state;
	assert_string_equal(s, "{\"schema\":1,\"na\\\"me\":\"line\\nbreak\"}\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_quote_plain_and_special),
		cmocka_unit_test(json_quote_control_characters),
		cmocka_unit_test(json_quote_measures_and_truncates),
		cmocka_unit_test(list_as_json_object_with_array),
		cmocka_unit_test(list_as_table),
		cmocka_unit_test(empty_list),
		cmocka_unit_test(record_as_object_and_lines),
		cmocka_unit_test(stream_as_one_line),
		cmocka_unit_test(json_escapes_keys_and_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
