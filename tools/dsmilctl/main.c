// SPDX-License-Identifier: GPL-2.0
/*
 * dsmilctl - command-line interface of the dsmil suite (dsmilctl(1)).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef DSMIL_VERSION
#define DSMIL_VERSION "unknown"
#endif

enum {
	OPT_CTL = 256,
	OPT_SECONDS,
	OPT_COUNT,
	OPT_TIMEOUT,
	OPT_ITERATIONS,
	OPT_DEVICE,
};

static const struct option cli_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "ctl", required_argument, NULL, OPT_CTL },
	{ "size", required_argument, NULL, 's' },
	{ "seconds", required_argument, NULL, OPT_SECONDS },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ NULL, 0, NULL, 0 }
};

static const char *const cli_option_names[] = {
	"--size", "--seconds", "--count", "--timeout", "--iterations",
	"--device",
};

static void usage(FILE *f)
{
	unsigned int i;
	char line[64];

	fprintf(f, "usage: dsmilctl [--json] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < cli_nr_commands; i++) {
		snprintf(line, sizeof(line), "%s %s", cli_commands[i].name,
			 cli_commands[i].args);
		fprintf(f, "  %-32s %s\n", line, cli_commands[i].help);
	}
	fprintf(f, "\noptions:\n"
		"  -j, --json            JSON output\n"
		"  -s, --size BYTES      dma: transfer size (K, M, G suffixes)\n"
		"      --seconds N       unlock: length of the write window\n"
		"      --count N         events: stop after N events\n"
		"      --timeout MS      events: stop after MS milliseconds\n"
		"      --iterations N    dma bench: round trips per size\n"
		"      --device DEVICE   dma: the device (name, gGdI or token)\n"
		"      --ctl PATH        control node (default " DSMIL_CTL_PATH ")\n"
		"  -h, --help            this help\n"
		"  -V, --version         versions\n"
		"\nSee dsmilctl(1).\n");
}

static int parse_option_value(int opt, const char *arg, struct cli *c)
{
	uint32_t v32;

	switch (opt) {
	case 's':
		if (cli_parse_size(arg, &c->size))
			return cli_error(CLI_EXIT_USAGE, "--size '%s': not a size",
					 arg);
		c->opts |= CLI_OPT_SIZE;
		break;
	case OPT_SECONDS:
		if (cli_parse_u32(arg, &c->seconds))
			return cli_error(CLI_EXIT_USAGE,
					 "--seconds '%s': not a number", arg);
		c->opts |= CLI_OPT_SECONDS;
		break;
	case OPT_COUNT:
		if (cli_parse_u32(arg, &v32))
			return cli_error(CLI_EXIT_USAGE,
					 "--count '%s': not a number", arg);
		c->count = v32;
		c->opts |= CLI_OPT_COUNT;
		break;
	case OPT_TIMEOUT:
		if (cli_parse_u32(arg, &v32) || v32 > 0x7fffffff)
			return cli_error(CLI_EXIT_USAGE,
					 "--timeout '%s': not a number of milliseconds",
					 arg);
		c->timeout_ms = (int)v32;
		c->opts |= CLI_OPT_TIMEOUT;
		break;
	case OPT_ITERATIONS:
		if (cli_parse_u32(arg, &c->iterations))
			return cli_error(CLI_EXIT_USAGE,
					 "--iterations '%s': not a number", arg);
		c->opts |= CLI_OPT_ITERATIONS;
		break;
	case OPT_DEVICE:
		c->device = arg;
		c->opts |= CLI_OPT_DEVICE;
		break;
	}
	return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cli c = { .timeout_ms = -1 };
	const struct cli_command *cmd;
	bool json = false;
	unsigned int words, i;
	int opt, ret, nargs;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "jhVs:", cli_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("dsmilctl %s (libdsmil %d.%d, ABI %d.%d)\n",
			       DSMIL_VERSION, LIBDSMIL_VERSION_MAJOR,
			       LIBDSMIL_VERSION_MINOR, DSMIL_ABI_MAJOR,
			       DSMIL_ABI_MINOR);
			return CLI_EXIT_OK;
		case OPT_CTL:
			c.ctl_path = optarg;
			break;
		case '?':
			if (optopt)
				return cli_error(CLI_EXIT_USAGE,
						 "option -%c: unknown or missing its value (dsmilctl --help)",
						 optopt);
			return cli_error(CLI_EXIT_USAGE,
					 "option %s: unknown or missing its value (dsmilctl --help)",
					 argv[optind - 1]);
		default:
			ret = parse_option_value(opt, optarg, &c);
			if (ret)
				return ret;
		}
	}
	out_init(stdout, json);
	if (optind >= argc) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	cmd = cli_find_command(argc - optind, argv + optind, &words);
	if (!cmd)
		return cli_error(CLI_EXIT_USAGE,
				 "%s%s%s: unknown command (dsmilctl --help)",
				 argv[optind], words ? " " : "",
				 words && optind + 1 < argc ? argv[optind + 1] : "");
	nargs = argc - optind - (int)words;
	if (nargs != (int)cmd->nargs)
		return cli_error(CLI_EXIT_USAGE, "usage: dsmilctl %s %s",
				 cmd->name, cmd->args);
	for (i = 0; i < sizeof(cli_option_names) / sizeof(cli_option_names[0]); i++)
		if ((c.opts & ~cmd->opts) & (1U << i))
			return cli_error(CLI_EXIT_USAGE,
					 "option %s: does not apply to '%s'",
					 cli_option_names[i], cmd->name);

	ret = cli_open(&c, cmd->write);
	if (ret)
		return ret;
	ret = cmd->run(&c, argv + optind + words);
	dsmil_close(c.d);
	if (fflush(stdout) || ferror(stdout))
		return cli_error(CLI_EXIT_FAILED, "writing the output failed");
	return ret;
}
