// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_token.c - token read/write/info, unlock, relock, verify: firmware
 * tokens through the SMI token service.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int parse_token_arg(const char *s, uint16_t *token)
{
	if (cli_parse_token(s, token))
		return cli_error(CLI_EXIT_USAGE,
				 "token '%s': not a number in 0-0xffff", s);
	return CLI_EXIT_OK;
}

static int token_error(struct cli *c, uint16_t token, const char *op, int err)
{
	struct dsmil_token_info ti;
	bool have_info = !dsmil_token_info(c->d, token, &ti);
	const char *why;
	char buf[64];

	switch (-err) {
	case ENOENT:
		return cli_error(CLI_EXIT_NOTFOUND, "token 0x%04x: unknown token",
				 token);
	case EPERM:
		if (have_info && ti.quarantined)
			why = "device quarantined";
		else if (cli_locked_down())
			why = "kernel lockdown";
		else if (!strcmp(op, "write"))
			why = "needs CAP_SYS_ADMIN";
		else
			why = "denied by the firmware interface";
		break;
	case EACCES:
		if (have_info) {
			snprintf(buf, sizeof(buf),
				 "group %u is locked (dsmilctl unlock %u)",
				 ti.group, ti.group);
			why = buf;
		} else {
			why = "group locked";
		}
		break;
	default:
		return cli_error(cli_exit_code(err), "token 0x%04x: %s %s: %s",
				 token, op,
				 cli_exit_code(err) == CLI_EXIT_REFUSED ?
				 "refused" : "failed", cli_cause(err));
	}
	return cli_error(CLI_EXIT_REFUSED, "token 0x%04x: %s refused: %s", token,
			 op, why);
}

int cmd_token_read(struct cli *c, char **argv)
{
	uint16_t token;
	uint32_t value;
	int ret;

	ret = parse_token_arg(argv[0], &token);
	if (ret)
		return ret;
	ret = dsmil_token_read(c->d, token, &value);
	if (ret)
		return token_error(c, token, "read", ret);
	if (out_json()) {
		out_record_begin();
		out_hex("token", token, 4);
		out_hex("value", value, 8);
		out_record_end();
	} else {
		printf("0x%08x\n", value);
	}
	return CLI_EXIT_OK;
}

int cmd_token_write(struct cli *c, char **argv)
{
	uint16_t token;
	uint32_t value;
	int ret;

	ret = parse_token_arg(argv[0], &token);
	if (ret)
		return ret;
	if (cli_parse_u32(argv[1], &value))
		return cli_error(CLI_EXIT_USAGE,
				 "value '%s': not a 32-bit number", argv[1]);
	ret = dsmil_token_write(c->d, token, value);
	if (ret)
		return token_error(c, token, "write", ret);
	if (out_json()) {
		out_record_begin();
		out_hex("token", token, 4);
		out_hex("value", value, 8);
		out_record_end();
	}
	return CLI_EXIT_OK;
}

int cmd_token_info(struct cli *c, char **argv)
{
	struct dsmil_token_info ti;
	uint16_t token;
	int ret;

	ret = parse_token_arg(argv[0], &token);
	if (ret)
		return ret;
	ret = dsmil_token_info(c->d, token, &ti);
	if (ret)
		return token_error(c, token, "info", ret);
	out_record_begin();
	out_hex("token", ti.token, 4);
	out_uint("group", ti.group);
	out_uint("index", ti.index);
	out_bool("quarantined", ti.quarantined);
	out_bool("unlocked", ti.unlocked);
	out_uint("unlock_remaining_ms", ti.unlock_remaining_ms);
	out_record_end();
	return CLI_EXIT_OK;
}

int cmd_unlock(struct cli *c, char **argv)
{
	uint32_t group, remaining;
	int ret;

	if (cli_parse_u32(argv[0], &group))
		return cli_error(CLI_EXIT_USAGE, "group '%s': not a number",
				 argv[0]);
	ret = dsmil_unlock(c->d, group, c->opts & CLI_OPT_SECONDS ? c->seconds : 0,
			   &remaining);
	if (ret == -EINVAL)
		return cli_error(CLI_EXIT_USAGE,
				 "group %u: unlock refused: group or --seconds out of range",
				 group);
	if (ret == -ENOENT)
		return cli_error(CLI_EXIT_NOTFOUND, "group %u: no such group",
				 group);
	if (ret == -EPERM)
		return cli_error(CLI_EXIT_REFUSED,
				 "group %u: unlock refused: needs CAP_SYS_ADMIN",
				 group);
	if (ret)
		return cli_error(cli_exit_code(ret), "group %u: unlock failed: %s",
				 group, cli_cause(ret));
	if (out_json()) {
		out_record_begin();
		out_uint("group", group);
		out_bool("unlocked", true);
		out_uint("remaining_ms", remaining);
		out_record_end();
	} else {
		printf("group %u unlocked for %u.%03u s\n", group,
		       remaining / 1000, remaining % 1000);
	}
	return CLI_EXIT_OK;
}

int cmd_relock(struct cli *c, char **argv)
{
	bool all = !strcmp(argv[0], "all");
	uint32_t group = 0;
	int ret;

	if (!all && cli_parse_u32(argv[0], &group))
		return cli_error(CLI_EXIT_USAGE,
				 "group '%s': not a number or \"all\"", argv[0]);
	ret = all ? dsmil_relock_all(c->d) : dsmil_relock(c->d, group);
	if (ret == -EPERM)
		return cli_error(CLI_EXIT_REFUSED,
				 "relock refused: needs CAP_SYS_ADMIN");
	if (ret == -EINVAL)
		return cli_error(CLI_EXIT_USAGE, "group %u: out of range", group);
	if (ret)
		return cli_error(cli_exit_code(ret), "relock failed: %s",
				 cli_cause(ret));
	if (out_json()) {
		out_record_begin();
		if (all)
			out_str("group", "all");
		else
			out_uint("group", group);
		out_bool("unlocked", false);
		out_record_end();
	}
	return CLI_EXIT_OK;
}

int cmd_verify(struct cli *c, char **argv)
{
	char transport[16];
	uint64_t ns;
	int ret;

	(void)argv;
	ret = dsmil_verify(c->d, transport, sizeof(transport), &ns);
	if (ret == -EPERM)
		return cli_error(CLI_EXIT_REFUSED,
				 "verify refused: needs CAP_SYS_RAWIO");
	if (ret)
		return cli_error(cli_exit_code(ret), "verify: transport check failed: %s",
				 cli_cause(ret));
	if (out_json()) {
		out_record_begin();
		out_bool("ok", true);
		out_str("transport", transport);
		out_uint("latency_ns", ns);
		out_record_end();
	} else {
		printf("ok: transport %s answered in %" PRIu64 " us\n", transport,
		       ns / 1000);
	}
	return CLI_EXIT_OK;
}
