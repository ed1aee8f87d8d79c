// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_device.c - list, show, read, write: devices and their registers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static void device_fields(const struct dsmil_device_info *dev)
{
	out_str("name", dev->name);
	out_uint("group", dev->group);
	out_uint("index", dev->index);
	out_hex("token", dev->token, 4);
	out_str("state", dsmil_state_name(dev->state));
	out_bool("quarantined", dev->quarantined);
}

int cmd_list(struct cli *c, char **argv)
{
	struct dsmil_device_info *devs;
	size_t count, i;
	int ret;

	(void)argv;
	ret = dsmil_list_devices(c->d, &devs, &count);
	if (ret)
		return cli_error(cli_exit_code(ret), "device list: %s",
				 cli_cause(ret));
	out_list_begin("devices");
	for (i = 0; i < count; i++) {
		out_record_begin();
		device_fields(&devs[i]);
		out_record_end();
	}
	out_list_end();
	free(devs);
	return CLI_EXIT_OK;
}

int cmd_show(struct cli *c, char **argv)
{
	struct dsmil_device_info dev;
	struct dsmil_token_info ti;
	char node[sizeof(DSMIL_DEV_DIR) + DSMIL_NAME_LEN + 1];
	int ret;

	ret = cli_device(c, argv[0], &dev);
	if (ret)
		return ret;
	snprintf(node, sizeof(node), DSMIL_DEV_DIR "/%s", dev.name);
	out_record_begin();
	device_fields(&dev);
	out_bool("absent", dev.absent);
	out_bool("mappable", dev.mappable);
	out_uint("mmio_size", dev.mmio_size);
	out_uint("controller", dev.controller);
	out_str("node", node);
	/* The token's write window, where the token service knows it. */
	if (!dsmil_token_info(c->d, dev.token, &ti)) {
		out_bool("unlocked", ti.unlocked);
		out_uint("unlock_remaining_ms", ti.unlock_remaining_ms);
	}
	out_record_end();
	return CLI_EXIT_OK;
}

int cmd_read(struct cli *c, char **argv)
{
	struct dsmil_device_info dev;
	uint32_t offset, value;
	int ret;

	ret = cli_device(c, argv[0], &dev);
	if (ret)
		return ret;
	if (cli_parse_u32(argv[1], &offset))
		return cli_error(CLI_EXIT_USAGE, "offset '%s': not a number",
				 argv[1]);
	ret = dsmil_reg_read(c->d, dev.token, offset, &value);
	if (ret == -EINVAL || ret == -ERANGE)
		return cli_error(CLI_EXIT_USAGE,
				 "%s: offset 0x%x: not a 4-byte aligned offset inside the %u-byte window",
				 dev.name, offset, dev.mmio_size);
	if (ret)
		return cli_error(cli_exit_code(ret), "%s: offset 0x%x: read failed: %s",
				 dev.name, offset, cli_cause(ret));
	if (out_json()) {
		out_record_begin();
		out_str("device", dev.name);
		out_hex("token", dev.token, 4);
		out_hex("offset", offset, 1);
		out_hex("value", value, 8);
		out_record_end();
	} else {
		printf("0x%08x\n", value);
	}
	return CLI_EXIT_OK;
}

/* Why a register write was refused with -EPERM. */
static const char *write_refusal(const struct dsmil_device_info *dev)
{
	if (dev->quarantined)
		return "device quarantined";
	if (cli_locked_down())
		return "kernel lockdown";
	return "needs CAP_SYS_RAWIO";
}

int cmd_write(struct cli *c, char **argv)
{
	struct dsmil_device_info dev;
	uint32_t offset, value;
	int ret;

	ret = cli_device(c, argv[0], &dev);
	if (ret)
		return ret;
	if (cli_parse_u32(argv[1], &offset))
		return cli_error(CLI_EXIT_USAGE, "offset '%s': not a number",
				 argv[1]);
	if (cli_parse_u32(argv[2], &value))
		return cli_error(CLI_EXIT_USAGE,
				 "value '%s': not a 32-bit number", argv[2]);
	ret = dsmil_reg_write(c->d, dev.token, offset, value);
	if (ret == -EPERM)
		return cli_error(CLI_EXIT_REFUSED,
				 "%s: offset 0x%x: write refused: %s", dev.name,
				 offset, write_refusal(&dev));
	if (ret == -EINVAL || ret == -ERANGE)
		return cli_error(CLI_EXIT_USAGE,
				 "%s: offset 0x%x: not a 4-byte aligned offset inside the %u-byte window",
				 dev.name, offset, dev.mmio_size);
	if (ret)
		return cli_error(cli_exit_code(ret),
				 "%s: offset 0x%x: write %s: %s", dev.name, offset,
				 cli_exit_code(ret) == CLI_EXIT_REFUSED ?
				 "refused" : "failed", cli_cause(ret));
	if (out_json()) {
		out_record_begin();
		out_str("device", dev.name);
		out_hex("token", dev.token, 4);
		out_hex("offset", offset, 1);
		out_hex("value", value, 8);
		out_record_end();
	}
	return CLI_EXIT_OK;
}
