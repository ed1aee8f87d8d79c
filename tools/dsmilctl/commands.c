// SPDX-License-Identifier: GPL-2.0
/*
 * commands.c - the commands of dsmilctl and how they are found.
 */
#include <string.h>

#include "cli.h"

const struct cli_command cli_commands[] = {
	{ "list", 0, "", 0, false, cmd_list,
	  "list the devices" },
	{ "show", 1, "DEVICE", 0, false, cmd_show,
	  "show one device" },
	{ "read", 2, "DEVICE OFFSET", 0, false, cmd_read,
	  "read a 32-bit register" },
	{ "write", 3, "DEVICE OFFSET VALUE", 0, true, cmd_write,
	  "write a 32-bit register (CAP_SYS_RAWIO)" },
	{ "token read", 1, "TOKEN", 0, false, cmd_token_read,
	  "read a firmware token" },
	{ "token write", 2, "TOKEN VALUE", 0, true, cmd_token_write,
	  "write a firmware token (CAP_SYS_ADMIN, group unlocked)" },
	{ "token info", 1, "TOKEN", 0, false, cmd_token_info,
	  "show a token's write policy" },
	{ "unlock", 1, "GROUP", CLI_OPT_SECONDS, true, cmd_unlock,
	  "open a group's token write window (CAP_SYS_ADMIN)" },
	{ "relock", 1, "GROUP|all", 0, true, cmd_relock,
	  "close a group's (or every) token write window (CAP_SYS_ADMIN)" },
	{ "verify", 0, "", 0, false, cmd_verify,
	  "self-check of the token transport (CAP_SYS_RAWIO)" },
	{ "info", 0, "", 0, false, cmd_info,
	  "versions, features and layout" },
	{ "thermal", 0, "", 0, false, cmd_thermal,
	  "thermal guard: temperature, limit, state" },
	{ "stats", 0, "", 0, false, cmd_stats,
	  "counters of the frontend, token service and DMA lock" },
	{ "events", 0, "", CLI_OPT_COUNT | CLI_OPT_TIMEOUT, false, cmd_events,
	  "follow the event stream, one line per event" },
	{ "dma test", 0, "", CLI_OPT_SIZE | CLI_OPT_DEVICE, true, cmd_dma_test,
	  "lock a buffer, DMA it to the device and back, verify (CAP_SYS_RAWIO)" },
	{ "dma bench", 0, "", CLI_OPT_SIZE | CLI_OPT_DEVICE | CLI_OPT_ITERATIONS,
	  true, cmd_dma_bench,
	  "DMA throughput and latency by transfer size (CAP_SYS_RAWIO)" },
};
const unsigned int cli_nr_commands = sizeof(cli_commands) / sizeof(cli_commands[0]);

/* How many words of @name match @argv; all of them or fewer. */
static unsigned int cli_words_matching(const char *name, int argc, char **argv,
				       unsigned int *nwords)
{
	unsigned int n = 0, matched = 0;
	const char *w = name, *sp;
	size_t len;

	while (*w) {
		sp = strchr(w, ' ');
		len = sp ? (size_t)(sp - w) : strlen(w);
		if ((int)n < argc && matched == n && strlen(argv[n]) == len &&
		    !strncmp(argv[n], w, len))
			matched++;
		n++;
		w += len;
		while (*w == ' ')
			w++;
	}
	*nwords = n;
	return matched;
}

const struct cli_command *cli_find_command(int argc, char **argv,
					   unsigned int *words)
{
	unsigned int i, m, n, best = 0;

	for (i = 0; i < cli_nr_commands; i++) {
		m = cli_words_matching(cli_commands[i].name, argc, argv, &n);
		if (m == n) {
			*words = n;
			return &cli_commands[i];
		}
		if (m > best)
			best = m;
	}
	*words = best;
	return NULL;
}
