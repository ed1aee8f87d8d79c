// SPDX-License-Identifier: GPL-2.0
/*
 * vexctl.c - set, get, remove and search the vectors of VexFS files
 * through the ioctls of <linux/vexfs.h> (vexfs.ko or vexfs-fuse).
 *
 *   vexctl [--json] set [-t float32|int8] FILE V1,V2,... | V1 V2 ...
 *   vexctl [--json] get FILE...
 *   vexctl [--json] remove FILE
 *   vexctl [--json] search [-m l2|dot|cosine] [-k K] [-t TYPE] DIR V1,...
 *   vexctl [--json] requests PATH
 *
 * Exit status: 0 success, 1 failure, 2 usage error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dsmil/vexfs_fs.h>
#include <dsmil/vexfs.h>

#include "json.h"
#include "fuse_opnames.h"

#ifndef DSMIL_VERSION
#define DSMIL_VERSION "unknown"
#endif

/*
 * The version of the JSON output, the first key of every object printed
 * (as zfs -j carries "output_version"): it goes up when a key is removed,
 * renamed or changes its type; new keys do not change it.
 */
#define VEXCTL_JSON_SCHEMA	1

static bool json;
static const char *prog = "vexctl";

static void __attribute__((format(printf, 1, 2))) err_msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vexctl [--json] COMMAND [options] ARGS\n\n"
		"commands:\n"
		"  set [-t float32|int8] FILE VALUES   give FILE a vector\n"
		"  get FILE...                         print the files' vectors\n"
		"  remove FILE                         drop FILE's vector\n"
		"  search [-m l2|dot|cosine] [-k K] [-t float32|int8] DIR VALUES\n"
		"                                      the K files under DIR nearest to\n"
		"                                      the query (default l2, k 10)\n"
		"  requests PATH                       the requests vexfs-fuse's daemon\n"
		"                                      has answered, by FUSE opcode\n\n"
		"VALUES: numbers separated by commas or blanks, one or more arguments.\n"
		"options: -j, --json   JSON output;  -h, --help;  -V, --version\n");
}

static int parse_type(const char *s, uint32_t *type)
{
	if (!strcmp(s, "float32") || !strcmp(s, "float"))
		*type = VEXFS_VEC_FLOAT32;
	else if (!strcmp(s, "int8"))
		*type = VEXFS_VEC_INT8;
	else
		return -1;
	return 0;
}

static const char *type_name(uint32_t type)
{
	return type == VEXFS_VEC_INT8 ? "int8" : type == VEXFS_VEC_FLOAT32 ?
	       "float32" : "unknown";
}

/*
 * Parse the values of argv[0..argc-1] (commas or blanks between them) as
 * elements of @type into a new buffer; returns the dimension, or 0 after
 * an error message.
 */
static uint32_t parse_values(int argc, char **argv, uint32_t type, void **out)
{
	size_t esz = type == VEXFS_VEC_INT8 ? 1 : 4;
	uint8_t *buf = malloc(VEXFS_VEC_MAX_DIM * esz);
	uint32_t n = 0;

	if (!buf) {
		err_msg("out of memory");
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		char *copy = strdup(argv[i]), *save = NULL, *tok;

		if (!copy) {
			err_msg("out of memory");
			goto fail;
		}
		for (tok = strtok_r(copy, ", \t\n", &save); tok;
		     tok = strtok_r(NULL, ", \t\n", &save)) {
			char *end;

			if (n == VEXFS_VEC_MAX_DIM) {
				err_msg("more than %d values", VEXFS_VEC_MAX_DIM);
				free(copy);
				goto fail;
			}
			errno = 0;
			if (type == VEXFS_VEC_INT8) {
				long v = strtol(tok, &end, 10);

				if (*end || end == tok || errno || v < -128 || v > 127) {
					err_msg("'%s': not an int8 value (-128..127)", tok);
					free(copy);
					goto fail;
				}
				buf[n++] = (uint8_t)(int8_t)v;
			} else {
				float v = strtof(tok, &end);

				if (*end || end == tok || !isfinite(v) || errno == ERANGE) {
					err_msg("'%s': not a finite float32 value", tok);
					free(copy);
					goto fail;
				}
				memcpy(buf + 4 * n++, &v, 4);
			}
		}
		free(copy);
	}
	if (!n) {
		err_msg("no values given");
		goto fail;
	}
	*out = buf;
	return n;
fail:
	free(buf);
	return 0;
}

static int open_file(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		err_msg("%s: %s", path, strerror(errno));
	return fd;
}

static const char *ioc_error(int e, const char *what)
{
	switch (e) {
	case ENOTTY:
		return "not on a VexFS filesystem (no vector ioctls)";
	case ENODATA:
		return "the file has no vector";
	case EUCLEAN:
		return "the filesystem is damaged (run fsck.vexfs)";
	case EBADF:
		return "not open for writing";
	default:
		(void)what;
		return strerror(e);
	}
}

static int cmd_set(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "type", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct vexfs_vec_arg a = { .size = sizeof(a) };
	uint32_t type = VEXFS_VEC_FLOAT32;
	void *data;
	int c, fd, ret = 1;

	while ((c = getopt_long(argc, argv, "+t:j", lo, NULL)) != -1) {
		if (c == 't' && !parse_type(optarg, &type))
			continue;
		if (c == 'j') {
			json = true;
			continue;
		}
		if (c == 't')
			err_msg("unknown type '%s' (float32 or int8)", optarg);
		return 2;
	}
	if (argc - optind < 2) {
		err_msg("set: FILE and values needed");
		return 2;
	}
	a.dim = parse_values(argc - optind - 1, argv + optind + 1, type, &data);
	if (!a.dim)
		return 2;
	a.elem_type = type;
	a.data = (uintptr_t)data;
	fd = open_file(argv[optind], O_WRONLY);
	if (fd >= 0) {
		if (ioctl(fd, VEXFS_IOC_VEC_SET, &a) < 0) {
			err_msg("%s: cannot set the vector: %s", argv[optind],
				ioc_error(errno, "set"));
		} else {
			ret = 0;
			if (json) {
				printf("{\"schema\":%d,\"file\":",
				       VEXCTL_JSON_SCHEMA);
				dsmil_json_string(argv[optind]);
				printf(",\"dim\":%u,\"type\":\"%s\"}\n", a.dim,
				       type_name(type));
			}
		}
		close(fd);
	}
	free(data);
	return ret;
}

static void print_elem(const uint8_t *data, uint32_t i, uint32_t type)
{
	if (type == VEXFS_VEC_INT8) {
		printf("%d", (int8_t)data[i]);
	} else {
		float v;

		memcpy(&v, data + 4 * i, 4);
		printf("%.9g", v);
	}
}

static int simple_args(int argc, char **argv, const char *cmd)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "+j", lo, NULL)) != -1) {
		if (c != 'j')
			return -1;
		json = true;
	}
	if (argc - optind != 1) {
		err_msg("%s: exactly one FILE needed", cmd);
		return -1;
	}
	return 0;
}

/*
 * Print the vector of @file (prefixed with "FILE: " when @prefix, as grep
 * does with several files); 0 or 1.
 */
static int get_one(const char *file, uint8_t *data, bool prefix)
{
	struct vexfs_vec_arg a = { .size = sizeof(a) };
	int fd, ret = 1;

	a.dim = VEXFS_VEC_MAX_DIM;
	a.data = (uintptr_t)data;
	fd = open_file(file, O_RDONLY);
	if (fd >= 0 && ioctl(fd, VEXFS_IOC_VEC_GET, &a) < 0) {
		err_msg("%s: cannot get the vector: %s", file,
			ioc_error(errno, "get"));
	} else if (fd >= 0) {
		ret = 0;
		if (json) {
			printf("{\"schema\":%d,\"file\":",
			       VEXCTL_JSON_SCHEMA);
			dsmil_json_string(file);
			printf(",\"dim\":%u,\"type\":\"%s\",\"vector\":[", a.dim,
			       type_name(a.elem_type));
		} else if (prefix) {
			printf("%s: ", file);
		}
		for (uint32_t i = 0; i < a.dim; i++) {
			if (i)
				putchar(json ? ',' : ' ');
			print_elem(data, i, a.elem_type);
		}
		printf(json ? "]}\n" : "\n");
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* get FILE...: every file's vector; 1 if any of them has none. */
static int cmd_get(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	uint8_t *data;
	int c, ret = 0;

	while ((c = getopt_long(argc, argv, "+j", lo, NULL)) != -1) {
		if (c != 'j')
			return 2;
		json = true;
	}
	if (optind == argc) {
		err_msg("get: at least one FILE needed");
		return 2;
	}
	data = malloc(VEXFS_VEC_MAX_DIM * 4);
	if (!data) {
		err_msg("out of memory");
		return 1;
	}
	for (int i = optind; i < argc; i++)
		ret |= get_one(argv[i], data, argc - optind > 1);
	free(data);
	return ret;
}

static int cmd_remove(int argc, char **argv)
{
	int fd, ret = 1;

	if (simple_args(argc, argv, "remove"))
		return 2;
	fd = open_file(argv[optind], O_WRONLY);
	if (fd < 0)
		return 1;
	if (ioctl(fd, VEXFS_IOC_VEC_REMOVE, 0) < 0) {
		err_msg("%s: cannot remove the vector: %s", argv[optind],
			ioc_error(errno, "remove"));
	} else {
		ret = 0;
		if (json) {
			printf("{\"schema\":%d,\"file\":",
			       VEXCTL_JSON_SCHEMA);
			dsmil_json_string(argv[optind]);
			printf(",\"removed\":true}\n");
		}
	}
	close(fd);
	return ret;
}

/* requests PATH: VEXFS_IOC_FUSE_COUNTS of the vexfs-fuse mount of PATH */
static int cmd_requests(int argc, char **argv)
{
	struct vexfs_fuse_counts c = { .size = sizeof(c) };
	bool first = true;
	char buf[16];
	int fd;

	if (simple_args(argc, argv, "requests"))
		return 2;
	fd = open_file(argv[optind], O_RDONLY);
	if (fd < 0)
		return 1;
	if (ioctl(fd, VEXFS_IOC_FUSE_COUNTS, &c) < 0) {
		err_msg("%s: no request counts: %s", argv[optind],
			errno == ENOTTY ? "not on a vexfs-fuse mount" :
					  strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	if (json)
		printf("{\"schema\":%d,\"requests\":{", VEXCTL_JSON_SCHEMA);
	for (unsigned int op = 0; op < VEXFS_FUSE_OPCODES; op++) {
		const char *name;

		if (!c.requests[op])
			continue;
		name = vexfs_fuse_opname(op, buf, sizeof(buf));
		if (json)
			printf("%s\"%s\":%llu", first ? "" : ",", name,
			       (unsigned long long)c.requests[op]);
		else
			printf("%-12s %llu\n", name,
			       (unsigned long long)c.requests[op]);
		first = false;
	}
	if (json)
		printf("},\"read_bytes\":%llu,\"write_bytes\":%llu}\n",
		       (unsigned long long)c.read_bytes,
		       (unsigned long long)c.write_bytes);
	else
		printf("%-12s %llu\n%-12s %llu\n", "read_bytes",
		       (unsigned long long)c.read_bytes, "write_bytes",
		       (unsigned long long)c.write_bytes);
	return 0;
}

/* inode numbers of the results -> a path below the searched directory */
static struct {
	const struct vexfs_search_result *r;
	uint32_t n;
	dev_t dev;
	char **paths;
} walk;

static int walk_fn(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	(void)flag;
	(void)ftw;
	if (st->st_dev != walk.dev || !S_ISREG(st->st_mode))
		return 0;
	for (uint32_t i = 0; i < walk.n; i++)
		if (walk.r[i].ino == st->st_ino && !walk.paths[i])
			walk.paths[i] = strdup(path);
	return 0;
}

static const char *metric_name(uint32_t m)
{
	return m == VEXFS_METRIC_L2 ? "l2" : m == VEXFS_METRIC_DOT ? "dot" : "cosine";
}

static int cmd_search(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "metric", required_argument, NULL, 'm' },
		{ "k", required_argument, NULL, 'k' },
		{ "type", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct vexfs_search_arg a = { .size = sizeof(a), .metric = VEXFS_METRIC_L2,
				      .k = 10, .elem_type = VEXFS_VEC_FLOAT32 };
	struct vexfs_search_result *res = NULL;
	void *query = NULL;
	struct stat st;
	char *end;
	int c, fd = -1, ret = 1;
	long k;

	while ((c = getopt_long(argc, argv, "+m:k:t:j", lo, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "l2"))
				a.metric = VEXFS_METRIC_L2;
			else if (!strcmp(optarg, "dot"))
				a.metric = VEXFS_METRIC_DOT;
			else if (!strcmp(optarg, "cosine"))
				a.metric = VEXFS_METRIC_COSINE;
			else {
				err_msg("unknown metric '%s' (l2, dot or cosine)", optarg);
				return 2;
			}
			break;
		case 'k':
			errno = 0;
			k = strtol(optarg, &end, 10);
			if (*end || end == optarg || errno || k < 1 ||
			    k > VEXFS_SEARCH_MAX_K) {
				err_msg("-k '%s': not a number from 1 to %d", optarg,
					VEXFS_SEARCH_MAX_K);
				return 2;
			}
			a.k = (uint32_t)k;
			break;
		case 't':
			if (parse_type(optarg, &a.elem_type)) {
				err_msg("unknown type '%s' (float32 or int8)", optarg);
				return 2;
			}
			break;
		case 'j':
			json = true;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind < 2) {
		err_msg("search: DIR and query values needed");
		return 2;
	}
	a.dim = parse_values(argc - optind - 1, argv + optind + 1, a.elem_type,
			     &query);
	if (!a.dim)
		return 2;
	res = calloc(a.k, sizeof(*res));
	if (!res) {
		err_msg("out of memory");
		goto out;
	}
	a.query = (uintptr_t)query;
	a.results = (uintptr_t)res;
	fd = open_file(argv[optind], O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		goto out;
	if (ioctl(fd, VEXFS_IOC_SEARCH, &a) < 0) {
		err_msg("%s: search failed: %s", argv[optind],
			ioc_error(errno, "search"));
		goto out;
	}
	walk.r = res;
	walk.n = a.k;
	walk.paths = calloc(a.k ? a.k : 1, sizeof(char *));
	if (walk.paths && !fstat(fd, &st)) {
		walk.dev = st.st_dev;
		nftw(argv[optind], walk_fn, 32, FTW_PHYS | FTW_MOUNT);
	}
	if (json) {
		printf("{\"schema\":%d,\"dir\":", VEXCTL_JSON_SCHEMA);
		dsmil_json_string(argv[optind]);
		printf(",\"metric\":\"%s\",\"type\":\"%s\",\"dim\":%u,"
		       "\"compared\":%llu,\"score_shift\":%u,\"results\":[",
		       metric_name(a.metric), type_name(a.elem_type), a.dim,
		       (unsigned long long)a.compared, a.score_shift);
	}
	for (uint32_t i = 0; i < a.k; i++) {
		const char *path = walk.paths && walk.paths[i] ? walk.paths[i] : NULL;
		double score = ldexp((double)res[i].score, -(int)a.score_shift);

		if (json) {
			printf("%s{\"rank\":%u,\"ino\":%llu,\"path\":", i ? "," : "",
			       i + 1, (unsigned long long)res[i].ino);
			if (path)
				dsmil_json_string(path);
			else
				printf("null");
			printf(",\"score\":%.17g,\"score_raw\":%lld}", score,
			       (long long)res[i].score);
		} else {
			printf("%u\t%llu\t%.9g\t%s\n", i + 1,
			       (unsigned long long)res[i].ino, score,
			       path ? path : "?");
		}
	}
	if (json)
		printf("]}\n");
	ret = 0;
out:
	if (walk.paths)
		for (uint32_t i = 0; i < walk.n; i++)
			free(walk.paths[i]);
	free(walk.paths);
	if (fd >= 0)
		close(fd);
	free(res);
	free(query);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cmd;
	int c;

	while ((c = getopt_long(argc, argv, "+jhV", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			if (json)
				printf("{\"schema\":%d,\"version\":\"%s\"}\n",
				       VEXCTL_JSON_SCHEMA, DSMIL_VERSION);
			else
				printf("vexctl %s\n", DSMIL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		err_msg("no command (set, get, remove, search or requests; --help)");
		return 2;
	}
	cmd = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 1;
	if (!strcmp(cmd, "set"))
		return cmd_set(argc, argv);
	if (!strcmp(cmd, "get"))
		return cmd_get(argc, argv);
	if (!strcmp(cmd, "remove") || !strcmp(cmd, "rm"))
		return cmd_remove(argc, argv);
	if (!strcmp(cmd, "search"))
		return cmd_search(argc, argv);
	if (!strcmp(cmd, "requests"))
		return cmd_requests(argc, argv);
	err_msg("unknown command '%s' (set, get, remove, search or requests)",
		cmd);
	return 2;
}
