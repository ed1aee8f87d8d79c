// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of tools/common/parse.c (cmocka).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "parse.h"

static void decimal_and_hex_accepted(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(dsmil_parse_u64("0", UINT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(dsmil_parse_u64("32777", UINT64_MAX, &v), 0);
	assert_int_equal(v, 32777);
	assert_int_equal(dsmil_parse_u64("0x8009", UINT64_MAX, &v), 0);
	assert_int_equal(v, 0x8009);
	assert_int_equal(dsmil_parse_u64("0XfFfF", UINT64_MAX, &v), 0);
	assert_int_equal(v, 0xffff);
}

static void leading_zero_is_decimal(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(dsmil_parse_u64("010", UINT64_MAX, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(dsmil_parse_u64("08", UINT64_MAX, &v), 0);
	assert_int_equal(v, 8);
}

static void malformed_refused_and_output_untouched(void **state)
{
	static const char *const bad[] = {
		"", "0x", "-1", "+1", " 1", "1 ", "12abc", "0x12g", "1.5", "x10",
	};
	uint64_t v = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dsmil_parse_u64(bad[i], UINT64_MAX, &v), -EINVAL);
		assert_int_equal(v, 42);
	}
	assert_int_equal(dsmil_parse_u64(NULL, UINT64_MAX, &v), -EINVAL);
}

static void range_enforced(void **state)
{
	uint64_t v = 7;
	uint32_t w = 7;

	(void)state;
	assert_int_equal(dsmil_parse_u64("18446744073709551615", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(dsmil_parse_u64("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(dsmil_parse_u64("0x10000000000000000", UINT64_MAX, &v), -ERANGE);
	assert_int_equal(dsmil_parse_u64("101", 100, &v), -ERANGE);
	assert_int_equal(dsmil_parse_u32("0xffffffff", UINT32_MAX, &w), 0);
	assert_true(w == UINT32_MAX);
	assert_int_equal(dsmil_parse_u32("0x100000000", UINT32_MAX, &w), -ERANGE);
	assert_true(w == UINT32_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decimal_and_hex_accepted),
		cmocka_unit_test(leading_zero_is_decimal),
		cmocka_unit_test(malformed_refused_and_output_untouched),
		cmocka_unit_test(range_enforced),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
