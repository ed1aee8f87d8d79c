// SPDX-License-Identifier: GPL-2.0
/*
 * fsck.vexfs - check and repair a VexFS filesystem (fsck.vexfs(8)).
 * Exit codes are those of fsck(8): 0 clean, 1 errors corrected, 4 errors
 * left uncorrected, 8 operational error, 16 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "vexfs.h"

#ifndef DSMIL_VERSION
#define DSMIL_VERSION "unknown"
#endif

static const char *prog = "fsck.vexfs";

enum { OPT_JSON = 256, OPT_UPGRADE };

static const struct option options[] = {
	{ "no", no_argument, NULL, 'n' },
	{ "preen", no_argument, NULL, 'p' },
	{ "yes", no_argument, NULL, 'y' },
	{ "force", no_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "upgrade", no_argument, NULL, OPT_UPGRADE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [-n|-p|-y] [options] DEVICE\n"
		"       %s --upgrade [--json] DEVICE\n"
		"Check (and repair) the VexFS filesystem on DEVICE; a journal that needs\n"
		"recovery is replayed first: by -p and -y on DEVICE, by -n in memory.\n\n"
		"  -n, --no        check only, change nothing (the default)\n"
		"  -p, -a, --preen repair what is safe without asking; stop at anything else\n"
		"  -y, --yes       repair everything\n"
		"  -f, --force     accepted for fsck(8); the check is always complete\n"
		"  -v, --verbose   also print the summary of a clean filesystem\n"
		"      --json      print the result as JSON\n"
		"      --upgrade   turn a clean version 1 filesystem into version 2 (a\n"
		"                  journal and lost+found where there is room)\n"
		"  -h, --help      this help\n"
		"  -V, --version   version\n\n"
		"Exit status: 0 clean, 1 errors corrected, 4 errors left uncorrected,\n"
		"8 operational error, 16 usage error.\n", prog, prog);
}

static const char *mode_name(enum vexfs_fsck_mode m)
{
	return m == VEXFS_FSCK_PREEN ? "preen" : m == VEXFS_FSCK_REPAIR ? "repair" : "check";
}

int main(int argc, char **argv)
{
	enum vexfs_fsck_mode mode = VEXFS_FSCK_CHECK;
	struct vexfs_fsck_result res;
	struct vexfs_image img;
	bool json = false, verbose = false, upgrade = false;
	int c, err, modes = 0;
	const char *dev;

	while ((c = getopt_long(argc, argv, "npayfvhV", options, NULL)) != -1) {
		switch (c) {
		case 'n':
			mode = VEXFS_FSCK_CHECK;
			modes++;
			break;
		case 'p':
		case 'a':
			mode = VEXFS_FSCK_PREEN;
			modes++;
			break;
		case 'y':
			mode = VEXFS_FSCK_REPAIR;
			modes++;
			break;
		case 'f':
			break;
		case 'v':
			verbose = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_UPGRADE:
			upgrade = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s (dsmil) %s\n", prog, DSMIL_VERSION);
			return 0;
		default:
			fprintf(stderr, "%s: see %s --help\n", prog, prog);
			return VEXFS_FSCK_USAGE;
		}
	}
	if (modes > 1) {
		fprintf(stderr, "%s: -n, -p and -y exclude each other\n", prog);
		return VEXFS_FSCK_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: %s (see %s --help)\n", prog,
			optind >= argc ? "missing DEVICE" : "too many arguments", prog);
		return VEXFS_FSCK_USAGE;
	}
	dev = argv[optind];
	if (upgrade) {
		const char *msg = NULL;

		if (modes) {
			fprintf(stderr, "%s: --upgrade takes no -n, -p or -y\n", prog);
			return VEXFS_FSCK_USAGE;
		}
		err = vexfs_image_open(&img, dev, true, true);
		if (err) {
			fprintf(stderr, "%s: cannot open %s: %s\n", prog, dev,
				err == -EBUSY ? "device is in use (mounted?)" : strerror(-err));
			return VEXFS_FSCK_OPERROR;
		}
		err = vexfs_upgrade(&img, &msg);
		vexfs_image_close(&img);
		if (json) {
			printf("{\"device\":");
			dsmil_json_string(dev);
			printf(",\"upgraded\":%s,\"message\":", err ? "false" : "true");
			dsmil_json_string(msg);
			printf("}\n");
		} else if (err) {
			fprintf(stderr, "%s: %s: %s\n", prog, dev, msg);
		} else {
			printf("%s: %s\n", dev, msg);
		}
		return err ? VEXFS_FSCK_OPERROR : VEXFS_FSCK_OK;
	}

	err = vexfs_image_open(&img, dev, mode != VEXFS_FSCK_CHECK,
			       mode != VEXFS_FSCK_CHECK);
	if (err) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, dev,
			err == -EBUSY ? "device is in use (mounted?)" :
			err == -ENOTBLK ? "not a block device or regular file" :
			strerror(-err));
		return VEXFS_FSCK_OPERROR;
	}
	vexfs_fsck(&img, mode, &res);
	vexfs_image_close(&img);

	if (json) {
		printf("{\"device\":");
		dsmil_json_string(dev);
		printf(",\"mode\":\"%s\",\"status\":%d,\"was_clean\":%s,\"problems\":[",
		       mode_name(mode), res.status, res.was_clean ? "true" : "false");
		for (size_t i = 0; i < res.nproblems; i++) {
			printf("%s{\"text\":", i ? "," : "");
			dsmil_json_string(res.problems[i].text);
			printf(",\"fixed\":%s}", res.problems[i].fixed ? "true" : "false");
		}
		printf("],\"error\":");
		if (res.status & VEXFS_FSCK_OPERROR)
			dsmil_json_string(res.error);
		else
			printf("null");
		printf(",\"inodes_used\":%u,\"inodes\":%u,\"blocks_used\":%llu,\"blocks\":%llu,"
		       "\"files\":%u,\"directories\":%u,\"symlinks\":%u,\"special\":%u,"
		       "\"vectors\":%u,\"version\":%u,\"lost_found_inode\":%u,"
		       "\"journal\":%s,\"journal_needed_recovery\":%s,"
		       "\"journal_replayed\":%s,\"journal_transactions\":%u,"
		       "\"journal_blocks_replayed\":%u,\"journal_replayed_in_memory\":%s,"
		       "\"orphans\":%u,\"orphans_processed\":%s}\n",
		       res.inodes_used, res.inodes_count,
		       (unsigned long long)res.blocks_used,
		       (unsigned long long)res.blocks_count, res.files, res.dirs,
		       res.symlinks, res.specials, res.vectors, res.version,
		       res.lpf_ino, res.journal ? "true" : "false",
		       res.journal_needed_recovery ? "true" : "false",
		       res.journal_replayed ? "true" : "false",
		       res.journal_transactions, res.journal_blocks_replayed,
		       res.journal_in_memory ? "true" : "false",
		       res.orphans, res.orphans_processed ? "true" : "false");
	} else {
		for (size_t i = 0; i < res.nproblems; i++)
			printf("%s: %s%s\n", dev, res.problems[i].text,
			       res.problems[i].fixed ? " [fixed]" :
			       mode == VEXFS_FSCK_CHECK ? "" : " [not fixed]");
		if (res.journal_in_memory)
			printf("%s: journal: %u transaction(s), %u block(s) to replay, done by the next mount or %s -p; checked as replayed, in memory%s%s\n",
			       dev, res.journal_transactions, res.journal_blocks_replayed, prog,
			       res.journal_note[0] ? "; " : "", res.journal_note);
		if (res.orphans && !res.orphans_processed)
			printf("%s: orphan list: %u inode(s) to delete or truncate, done by the next read-write mount or %s -p\n",
			       dev, res.orphans, prog);
		if (res.status & VEXFS_FSCK_OPERROR) {
			fprintf(stderr, "%s: %s: %s\n", prog, dev, res.error);
		} else {
			if (mode == VEXFS_FSCK_PREEN && (res.status & VEXFS_FSCK_UNFIXED))
				printf("%s: UNEXPECTED INCONSISTENCY; run %s without -p\n",
				       dev, prog);
			if (res.nproblems || verbose || mode != VEXFS_FSCK_PREEN)
				printf("%s: %s, %u/%u inodes, %llu/%llu blocks\n", dev,
				       res.status & VEXFS_FSCK_UNFIXED ? "errors remain" :
				       res.status & VEXFS_FSCK_FIXED ? "repaired" : "clean",
				       res.inodes_used, res.inodes_count,
				       (unsigned long long)res.blocks_used,
				       (unsigned long long)res.blocks_count);
		}
	}
	err = res.status;
	vexfs_fsck_result_free(&res);
	return err;
}
