/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - what the files of dsmilctl share.
 *
 * main.c parses the options and finds the command in cli_commands[]
 * (commands.c); each command group lives in its own cmd_*.c file, talks to
 * the kernel only through libdsmil and prints only through output.h.
 */
#ifndef DSMILCTL_CLI_H
#define DSMILCTL_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "libdsmil.h"
#include "output.h"

/* Exit codes, documented in dsmilctl(1). */
#define CLI_EXIT_OK		0	/* success */
#define CLI_EXIT_FAILED		1	/* the operation failed */
#define CLI_EXIT_USAGE		2	/* bad command line */
#define CLI_EXIT_UNAVAILABLE	3	/* dsmil not loaded, or no such feature */
#define CLI_EXIT_REFUSED	4	/* privileges, policy, lockdown, thermal */
#define CLI_EXIT_NOTFOUND	5	/* no such device, token or group */

/* Options (struct cli_command.opts). */
#define CLI_OPT_SIZE		(1U << 0)
#define CLI_OPT_SECONDS		(1U << 1)
#define CLI_OPT_COUNT		(1U << 2)
#define CLI_OPT_TIMEOUT		(1U << 3)
#define CLI_OPT_ITERATIONS	(1U << 4)
#define CLI_OPT_DEVICE		(1U << 5)

struct cli {
	struct dsmil *d;		/* opened by cli_open() */
	const char *ctl_path;		/* --ctl, NULL for the default */
	unsigned int opts;		/* CLI_OPT_* given */
	uint64_t size;			/* --size */
	uint32_t seconds;		/* --seconds */
	uint64_t count;			/* --count */
	int timeout_ms;			/* --timeout, -1: none */
	uint32_t iterations;		/* --iterations */
	const char *device;		/* --device */
};

struct cli_command {
	const char *name;		/* words, e.g. "token read" */
	unsigned int nargs;		/* positional arguments after the words */
	const char *args;		/* their names, for usage */
	unsigned int opts;		/* CLI_OPT_* accepted */
	bool write;			/* needs ctl open for writing */
	int (*run)(struct cli *c, char **argv);
	const char *help;
};

extern const struct cli_command cli_commands[];
extern const unsigned int cli_nr_commands;

/*
 * cli_find_command() - the command named by the first words of @argv
 * @words: receives how many words its name has
 *
 * Return: the command, or NULL (*@words is then how many words matched a
 * command group, e.g. 1 for "token frobnicate").
 */
const struct cli_command *cli_find_command(int argc, char **argv,
					   unsigned int *words);

/* Print "dsmilctl: MESSAGE" (one line) on stderr; return @code. */
int cli_error(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The exit code an errno from the kernel or libdsmil maps to. */
int cli_exit_code(int err);
/* A short cause for a negative errno, e.g. "thermal emergency". */
const char *cli_cause(int err);
/* Whether the kernel is locked down (integrity or confidentiality). */
bool cli_locked_down(void);

/* Open /dev/dsmil/ctl into c->d; on failure print why, return exit code. */
int cli_open(struct cli *c, bool write);

/* Strict parsers of the command line (decimal or 0x-hex); 0 or -errno. */
int cli_parse_token(const char *s, uint16_t *token);
int cli_parse_u32(const char *s, uint32_t *v);
/* BYTES with an optional K, M or G suffix (powers of 1024). */
int cli_parse_size(const char *s, uint64_t *v);

/* Find a device by name, position or token; prints why not, returns exit code. */
int cli_device(struct cli *c, const char *spec, struct dsmil_device_info *dev);

/* cmd_device.c */
int cmd_list(struct cli *c, char **argv);
int cmd_show(struct cli *c, char **argv);
int cmd_read(struct cli *c, char **argv);
int cmd_write(struct cli *c, char **argv);
/* cmd_token.c */
int cmd_token_read(struct cli *c, char **argv);
int cmd_token_write(struct cli *c, char **argv);
int cmd_token_info(struct cli *c, char **argv);
int cmd_unlock(struct cli *c, char **argv);
int cmd_relock(struct cli *c, char **argv);
int cmd_verify(struct cli *c, char **argv);
/* cmd_status.c */
int cmd_info(struct cli *c, char **argv);
int cmd_thermal(struct cli *c, char **argv);
int cmd_stats(struct cli *c, char **argv);
int cmd_events(struct cli *c, char **argv);
/* cmd_dma.c */
int cmd_dma_test(struct cli *c, char **argv);
int cmd_dma_bench(struct cli *c, char **argv);

#endif
