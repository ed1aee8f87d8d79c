// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - errors, exit codes and command-line parsing shared by the
 * commands.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parse.h"

#define LOCKDOWN_PATH	"/sys/kernel/security/lockdown"

int cli_error(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("dsmilctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_exit_code(int err)
{
	switch (-err) {
	case 0:
		return CLI_EXIT_OK;
	case EPERM:
	case EACCES:
	case EBADF:
	case EHOSTDOWN:
		return CLI_EXIT_REFUSED;
	case ENOENT:
	case ENXIO:
		return CLI_EXIT_NOTFOUND;
	case ENODEV:
	case ENOTTY:
	case EOPNOTSUPP:
	case EPROTO:
		return CLI_EXIT_UNAVAILABLE;
	default:
		return CLI_EXIT_FAILED;
	}
}

const char *cli_cause(int err)
{
	switch (-err) {
	case EHOSTDOWN:
		return "thermal emergency";
	case ENODEV:
		return "device gone";
	case ENXIO:
		return "device has no register window";
	case EOPNOTSUPP:
		return "not supported by this backend";
	case ERANGE:
		return "out of range";
	case EAGAIN:
		return "rate limit reached, retry later";
	case ETIMEDOUT:
		return "timed out";
	case EBUSY:
		return "transport busy with a call that timed out";
	case EIO:
		return "hardware or firmware error";
	case EPROTO:
		return "kernel ABI version not supported by this libdsmil";
	case ENOTTY:
		return "not supported by the loaded dsmil module";
	default:
		return strerror(-err);
	}
}

bool cli_locked_down(void)
{
	char buf[128] = "";
	FILE *f = fopen(LOCKDOWN_PATH, "r");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[integrity]") || strstr(buf, "[confidentiality]");
}

int cli_open(struct cli *c, bool write)
{
	const char *path = c->ctl_path ? c->ctl_path : DSMIL_CTL_PATH;
	int ret;

	ret = dsmil_open(c->ctl_path, write ? DSMIL_OPEN_WRITE : 0, &c->d);
	switch (-ret) {
	case 0:
		return CLI_EXIT_OK;
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return cli_error(CLI_EXIT_UNAVAILABLE,
				 "%s: not found: the dsmil module is not loaded (modprobe dsmil)",
				 path);
	case EACCES:
	case EPERM:
		return cli_error(CLI_EXIT_REFUSED, "%s: cannot open%s: %s", path,
				 write ? " for writing" : "", strerror(-ret));
	default:
		return cli_error(cli_exit_code(ret), "%s: %s", path,
				 cli_cause(ret));
	}
}

int cli_parse_token(const char *s, uint16_t *token)
{
	uint32_t v;
	int ret = dsmil_parse_u32(s, UINT16_MAX, &v);

	if (!ret)
		*token = (uint16_t)v;
	return ret;
}

int cli_parse_u32(const char *s, uint32_t *v)
{
	return dsmil_parse_u32(s, UINT32_MAX, v);
}

int cli_parse_size(const char *s, uint64_t *v)
{
	char num[32];
	size_t len;
	unsigned int shift = 0;
	uint64_t n;
	int ret;

	if (!s || !*s)
		return -EINVAL;
	len = strlen(s);
	switch (s[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	}
	if (shift) {
		/* "0x10k" is not a thing: a suffix takes a decimal number. */
		if (len - 1 >= sizeof(num) || strchr(s, 'x') || strchr(s, 'X'))
			return -EINVAL;
		memcpy(num, s, len - 1);
		num[len - 1] = '\0';
		s = num;
	}
	ret = dsmil_parse_u64(s, UINT64_MAX >> shift, &n);
	if (!ret)
		*v = n << shift;
	return ret;
}

int cli_device(struct cli *c, const char *spec, struct dsmil_device_info *dev)
{
	int ret = dsmil_find_device(c->d, spec, dev);

	switch (-ret) {
	case 0:
		return CLI_EXIT_OK;
	case EINVAL:
		return cli_error(CLI_EXIT_USAGE,
				 "device '%s': not a name (dsmil0:g0d00), position (g0d00) or token",
				 spec);
	case ENOENT:
		return cli_error(CLI_EXIT_NOTFOUND, "device '%s': no such device",
				 spec);
	default:
		return cli_error(cli_exit_code(ret), "device list: %s",
				 cli_cause(ret));
	}
}
