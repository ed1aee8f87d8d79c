// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of dsmilctl's command-line handling: number and size parsing
 * (tools/dsmilctl/util.c), finding the command (commands.c), finding a
 * device by what a user typed (libdsmil's dsmil_match_device()), and the
 * exit code an errno maps to.
 */
// sources: tools/dsmilctl/util.c tools/dsmilctl/commands.c tools/dsmilctl/output.c tools/dsmilctl/cmd_device.c tools/dsmilctl/cmd_token.c tools/dsmilctl/cmd_status.c tools/dsmilctl/cmd_dma.c tools/lib/handle.c tools/lib/devices.c tools/lib/regs.c tools/lib/token.c tools/lib/dma.c tools/lib/status.c tools/common/parse.c
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"

static void tokens_decimal_or_hex_up_to_ffff(void **state)
{
	uint16_t t = 1;

	(void)state;
	assert_int_equal(cli_parse_token("0x8009", &t), 0);
	assert_int_equal(t, 0x8009);
	assert_int_equal(cli_parse_token("32777", &t), 0);
	assert_int_equal(t, 0x8009);
	assert_int_equal(cli_parse_token("0xffff", &t), 0);
	assert_int_equal(cli_parse_token("0x10000", &t), -ERANGE);
	assert_int_equal(cli_parse_token("-1", &t), -EINVAL);
	assert_int_equal(cli_parse_token("0x", &t), -EINVAL);
	assert_int_equal(cli_parse_token("8009h", &t), -EINVAL);
	assert_int_equal(t, 0xffff);
}

static void values_are_32_bit(void **state)
{
	uint32_t v = 7;

	(void)state;
	assert_int_equal(cli_parse_u32("0xffffffff", &v), 0);
	assert_int_equal(v, 0xffffffff);
	assert_int_equal(cli_parse_u32("4294967296", &v), -ERANGE);
	assert_int_equal(cli_parse_u32("", &v), -EINVAL);
	assert_int_equal(cli_parse_u32(" 1", &v), -EINVAL);
	assert_int_equal(v, 0xffffffff);
}

static void sizes_take_binary_suffixes(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(cli_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cli_parse_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cli_parse_size("2M", &v), 0);
	assert_int_equal(v, 2 << 20);
	assert_int_equal(cli_parse_size("1g", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(cli_parse_size("0x1000", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(cli_parse_size("0x10k", &v), -EINVAL);
	assert_int_equal(cli_parse_size("k", &v), -EINVAL);
	assert_int_equal(cli_parse_size("", &v), -EINVAL);
	assert_int_equal(cli_parse_size("4kb", &v), -EINVAL);
	assert_int_equal(cli_parse_size("17179869184G", &v), -ERANGE);
}

static const char *found(int argc, char **argv, unsigned int *words)
{
	const struct cli_command *c = cli_find_command(argc, argv, words);

	return c ? c->name : NULL;
}

static void commands_found_by_their_words(void **state)
{
	char *list[] = { "list" };
	char *token_read[] = { "token", "read", "0x8000" };
	char *token_frob[] = { "token", "frob" };
	char *dma[] = { "dma" };
	char *frob[] = { "frob", "list" };
	unsigned int words;

	(void)state;
	assert_string_equal(found(1, list, &words), "list");
	assert_int_equal(words, 1);
	assert_string_equal(found(3, token_read, &words), "token read");
	assert_int_equal(words, 2);
	assert_null(found(2, token_frob, &words));
	assert_int_equal(words, 1);
	assert_null(found(1, dma, &words));
	assert_int_equal(words, 1);
	assert_null(found(2, frob, &words));
	assert_int_equal(words, 0);
}

static void every_command_is_unique_and_documented(void **state)
{
	unsigned int i, j, words;
	char *argv[2];
	char name[32], *sp;

	(void)state;
	for (i = 0; i < cli_nr_commands; i++) {
		assert_non_null(cli_commands[i].run);
		assert_true(strlen(cli_commands[i].help) > 0);
		snprintf(name, sizeof(name), "%s", cli_commands[i].name);
		argv[0] = name;
		sp = strchr(name, ' ');
		if (sp)
			*sp = '\0';
		argv[1] = sp ? sp + 1 : NULL;
		assert_ptr_equal(cli_find_command(sp ? 2 : 1, argv, &words),
				 &cli_commands[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(cli_commands[i].name,
						cli_commands[j].name);
	}
}

static const struct dsmil_device_info devs[] = {
	{ .token = 0x8000, .group = 0, .index = 0, .name = "dsmil0:g0d00" },
	{ .token = 0x801d, .group = 2, .index = 5, .name = "dsmil0:g2d05" },
	{ .token = 0x8000, .group = 0, .index = 0, .name = "dsmil1:g0d00" },
};

static void devices_by_name_position_or_token(void **state)
{
	(void)state;
	assert_int_equal(dsmil_match_device(devs, 3, "dsmil1:g0d00"), 2);
	assert_int_equal(dsmil_match_device(devs, 3, "g0d00"), 0);
	assert_int_equal(dsmil_match_device(devs, 3, "g2d5"), 1);
	assert_int_equal(dsmil_match_device(devs, 3, "g2d05"), 1);
	assert_int_equal(dsmil_match_device(devs, 3, "0x801d"), 1);
	assert_int_equal(dsmil_match_device(devs, 3, "32797"), 1);
	assert_int_equal(dsmil_match_device(devs, 3, "0x8000"), 0);
}

static void devices_not_found_or_malformed(void **state)
{
	(void)state;
	assert_int_equal(dsmil_match_device(devs, 3, "0x9999"), -ENOENT);
	assert_int_equal(dsmil_match_device(devs, 3, "g9d00"), -ENOENT);
	assert_int_equal(dsmil_match_device(devs, 3, "dsmil0:g9d00"), -ENOENT);
	assert_int_equal(dsmil_match_device(devs, 3, "g2"), -EINVAL);
	assert_int_equal(dsmil_match_device(devs, 3, "gxd1"), -EINVAL);
	assert_int_equal(dsmil_match_device(devs, 3, "g2d"), -EINVAL);
	assert_int_equal(dsmil_match_device(devs, 3, "0x10000"), -EINVAL);
	assert_int_equal(dsmil_match_device(devs, 3, ""), -EINVAL);
	assert_int_equal(dsmil_match_device(devs, 0, "g0d00"), -ENOENT);
}

static void errnos_map_to_documented_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(cli_exit_code(0), CLI_EXIT_OK);
	assert_int_equal(cli_exit_code(-EPERM), CLI_EXIT_REFUSED);
	assert_int_equal(cli_exit_code(-EACCES), CLI_EXIT_REFUSED);
	assert_int_equal(cli_exit_code(-EHOSTDOWN), CLI_EXIT_REFUSED);
	assert_int_equal(cli_exit_code(-ENOENT), CLI_EXIT_NOTFOUND);
	assert_int_equal(cli_exit_code(-ENODEV), CLI_EXIT_UNAVAILABLE);
	assert_int_equal(cli_exit_code(-ENOTTY), CLI_EXIT_UNAVAILABLE);
	assert_int_equal(cli_exit_code(-ETIMEDOUT), CLI_EXIT_FAILED);
	assert_string_equal(cli_cause(-EHOSTDOWN), "thermal emergency");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tokens_decimal_or_hex_up_to_ffff),
		cmocka_unit_test(values_are_32_bit),
		cmocka_unit_test(sizes_take_binary_suffixes),
		cmocka_unit_test(commands_found_by_their_words),
		cmocka_unit_test(every_command_is_unique_and_documented),
		cmocka_unit_test(devices_by_name_position_or_token),
		cmocka_unit_test(devices_not_found_or_malformed),
		cmocka_unit_test(errnos_map_to_documented_exit_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
