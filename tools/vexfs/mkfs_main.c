// SPDX-License-Identifier: GPL-2.0
/*
 * mkfs.vexfs - create a VexFS filesystem on a block device or image file
 * (mkfs.vexfs(8)).
 */
#include <blkid.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "parse.h"
#include "vexfs.h"

#ifndef DSMIL_VERSION
#define DSMIL_VERSION "unknown"
#endif

static const char *prog = "mkfs.vexfs";

enum { OPT_JSON = 256, OPT_TIME, OPT_ROOT_OWNER };

static const struct option options[] = {
	{ "block-size", required_argument, NULL, 'b' },
	{ "inodes", required_argument, NULL, 'N' },
	{ "bytes-per-inode", required_argument, NULL, 'i' },
	{ "label", required_argument, NULL, 'L' },
	{ "uuid", required_argument, NULL, 'U' },
	{ "size", required_argument, NULL, 's' },
	{ "journal", required_argument, NULL, 'J' },
	{ "root-owner", required_argument, NULL, OPT_ROOT_OWNER },
	{ "time", required_argument, NULL, OPT_TIME },
	{ "force", no_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [options] DEVICE\n"
		"Create a VexFS filesystem on DEVICE (a block device or an image file).\n\n"
		"  -b, --block-size SIZE      block size: 1024, 2048 or 4096 (default 4096)\n"
		"  -N, --inodes COUNT         number of inodes (default: one per 16 KiB)\n"
		"  -i, --bytes-per-inode N    one inode per N bytes of the device\n"
		"  -L, --label LABEL          volume label (at most 63 bytes)\n"
		"  -U, --uuid UUID            filesystem UUID (default: random)\n"
		"  -s, --size SIZE            filesystem size in bytes (K, M, G, T suffixes);\n"
		"                             an image file is created or extended to it\n"
		"  -J, --journal size=MIB     journal size in MiB (default: about 1/32 of\n"
		"                             the filesystem, 4 to 128 MiB at 4 KiB blocks)\n"
		"  -J, --journal none         no journal\n"
		"      --root-owner UID:GID   owner of the root directory (default: caller)\n"
		"      --time SECONDS         timestamp to record (reproducible images)\n"
		"  -f, --force                overwrite what DEVICE holds (a filesystem,\n"
		"                             swap, RAID member, partition table)\n"
		"  -q, --quiet                print nothing on success\n"
		"      --json                 print the new filesystem's geometry as JSON\n"
		"  -h, --help                 this help\n"
		"  -V, --version              version\n", prog);
}

static void die_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see %s --help)\n", prog);
	exit(2);
}

/* SIZE with an optional K/M/G/T (binary) suffix. */
static int parse_size(const char *s, uint64_t *out)
{
	char num[32];
	size_t len = strlen(s);
	unsigned int shift = 0;
	uint64_t v;

	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, len + 1);
	switch (num[len - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift)
		num[len - 1] = 0;
	if (dsmil_parse_u64(num, UINT64_MAX >> shift, &v))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

static int parse_uuid(const char *s, uint8_t uuid[16])
{
	int n = 0;

	for (const char *p = s; *p; p++) {
		unsigned int hi, lo;

		if (*p == '-')
			continue;
		if (n == 16 || sscanf(p, "%1x%1x", &hi, &lo) != 2)
			return -EINVAL;
		uuid[n++] = (uint8_t)(hi << 4 | lo);
		p++;
	}
	return n == 16 ? 0 : -EINVAL;
}

/* -J size=MIB | none */
static int parse_journal(const char *s, struct vexfs_mkfs_opts *o)
{
	uint64_t mib;

	if (!strcmp(s, "none")) {
		o->journal = VEXFS_JOURNAL_NONE;
		return 0;
	}
	if (strncmp(s, "size=", 5) || dsmil_parse_u64(s + 5, 1ULL << 24, &mib) || !mib)
		return -EINVAL;
	o->journal = VEXFS_JOURNAL_SIZE;
	o->journal_bytes = mib << 20;
	return 0;
}

/*
 * What @dev already holds, in @what: VexFS (which libblkid does not know),
 * else what libblkid's low-level probe finds, the probe mkfs.xfs and
 * mke2fs make (a filesystem, swap, a RAID or LVM member, an encrypted
 * volume, a partition table).  Returns false when it holds nothing known,
 * or cannot be read (opening it for mkfs reports why).
 */
static bool holds_something(const char *dev, char *what, size_t len)
{
	struct vexfs_image img;
	struct vexfs_super_block sb;
	const char *type = NULL, *usage = NULL;
	blkid_probe pr;
	bool found = false;
	int rc;

	if (vexfs_image_open(&img, dev, false, false))
		return false;
	if (img.dev_bytes >= VEXFS_SUPER_OFFSET + sizeof(sb) &&
	    !vexfs_read_bytes(&img, VEXFS_SUPER_OFFSET, sizeof(sb), &sb) &&
	    le32toh(sb.s_magic) == VEXFS_SUPER_MAGIC) {
		sb.s_label[sizeof(sb.s_label) - 1] = 0;
		snprintf(what, len, "a filesystem of type vexfs (label '%s')",
			 (const char *)sb.s_label);
		found = true;
	}
	vexfs_image_close(&img);
	if (found)
		return true;

	pr = blkid_new_probe_from_filename(dev);
	if (!pr)
		return false;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
					  BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr, 1);
	rc = blkid_do_fullprobe(pr);
	if (rc == 0 && !blkid_probe_lookup_value(pr, "TYPE", &type, NULL)) {
		blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
		snprintf(what, len, "%s of type %s",
			 !usage || !strcmp(usage, "filesystem") ? "a filesystem" :
			 !strcmp(usage, "raid") ? "a RAID or LVM member" :
			 !strcmp(usage, "crypto") ? "an encrypted volume" : "a signature",
			 type);
		found = true;
	} else if (rc == 0 && !blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL)) {
		snprintf(what, len, "a partition table of type %s", type);
		found = true;
	} else if (rc == -2) {
		snprintf(what, len, "signatures of more than one filesystem");
		found = true;
	}
	blkid_free_probe(pr);
	return found;
}

static void uuid_str(const uint8_t *u, char *out)
{
	sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		u[10], u[11], u[12], u[13], u[14], u[15]);
}

int main(int argc, char **argv)
{
	struct vexfs_mkfs_opts o = { .time = -1 };
	struct vexfs_image img;
	struct vexfs_super s;
	uint64_t size = 0, v;
	uint8_t uuid[16];
	bool quiet = false, json = false, force = false;
	const char *dev, *why = NULL;
	char ustr[37], what[128];
	int c, err;

	o.root_uid = getuid();
	o.root_gid = getgid();
	while ((c = getopt_long(argc, argv, "b:N:i:L:U:s:J:fqhV", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (dsmil_parse_u32(optarg, VEXFS_MAX_BLOCK_SIZE, &o.block_size))
				die_usage("invalid block size '%s'", optarg);
			break;
		case 'N':
			if (dsmil_parse_u32(optarg, VEXFS_MAX_INODES, &o.inodes) || !o.inodes)
				die_usage("invalid inode count '%s'", optarg);
			break;
		case 'i':
			if (dsmil_parse_u32(optarg, UINT32_MAX, &o.bytes_per_inode) ||
			    !o.bytes_per_inode)
				die_usage("invalid bytes per inode '%s'", optarg);
			break;
		case 'L':
			o.label = optarg;
			break;
		case 'U':
			if (parse_uuid(optarg, uuid))
				die_usage("invalid UUID '%s'", optarg);
			o.uuid = uuid;
			break;
		case 's':
			if (parse_size(optarg, &size) || !size)
				die_usage("invalid size '%s'", optarg);
			break;
		case 'J':
			if (parse_journal(optarg, &o))
				die_usage("invalid journal option '%s': size=MIB or none expected",
					  optarg);
			break;
		case OPT_ROOT_OWNER: {
			uint32_t uid, gid;
			char *colon = strchr(optarg, ':');

			if (!colon)
				die_usage("invalid owner '%s': UID:GID expected", optarg);
			*colon = 0;
			if (dsmil_parse_u32(optarg, UINT32_MAX - 1, &uid) ||
			    dsmil_parse_u32(colon + 1, UINT32_MAX - 1, &gid))
				die_usage("invalid owner '%s': UID:GID expected", optarg);
			o.root_uid = uid;
			o.root_gid = gid;
			break;
		}
		case OPT_TIME:
			if (dsmil_parse_u64(optarg, INT64_MAX, &v))
				die_usage("invalid time '%s'", optarg);
			o.time = (int64_t)v;
			break;
		case 'f':
			force = true;
			break;
		case 'q':
			quiet = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s (dsmil) %s\n", prog, DSMIL_VERSION);
			return 0;
		default:
			fprintf(stderr, "%s: see %s --help\n", prog, prog);
			return 2;
		}
	}
	if (optind != argc - 1)
		die_usage("%s", optind >= argc ? "missing DEVICE" : "too many arguments");
	dev = argv[optind];

	/* before anything is written, an image file created or grown */
	if (!force && holds_something(dev, what, sizeof(what))) {
		fprintf(stderr, "%s: %s: already holds %s; use -f to overwrite it\n",
			prog, dev, what);
		return 1;
	}
	if (size) {
		uint32_t bs = o.block_size ? o.block_size : 4096;
		struct stat st;

		o.blocks = size / bs;
		/* everything checked before an image file is created or grown */
		err = vexfs_mkfs_plan(size, &o, &s, &why);
		if (err) {
			fprintf(stderr, "%s: %s: %s\n", prog, dev, why);
			return 1;
		}
		if (stat(dev, &st) < 0 || S_ISREG(st.st_mode)) {
			int fd = open(dev, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

			if (fd < 0 || (fstat(fd, &st) == 0 && (uint64_t)st.st_size < size &&
				       ftruncate(fd, (off_t)size) < 0)) {
				fprintf(stderr, "%s: cannot create %s: %s\n", prog, dev,
					strerror(errno));
				return 1;
			}
			close(fd);
		}
	}
	err = vexfs_image_open(&img, dev, true, true);
	if (err) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, dev,
			err == -ENOTBLK ? "not a block device or regular file" :
			strerror(-err));
		return 1;
	}
	err = vexfs_mkfs(&img, &o, &s, &why);
	vexfs_image_close(&img);
	if (err) {
		fprintf(stderr, "%s: %s: %s\n", prog, dev,
			err == -EINVAL ? why : strerror(-err));
		return 1;
	}
	uuid_str(s.uuid, ustr);
	if (o.journal == VEXFS_JOURNAL_DEFAULT && !s.journal_blocks && !quiet)
		fprintf(stderr, "%s: %s: filesystem too small for a journal (needs 2048 data blocks); made without one\n",
			prog, dev);
	if (json) {
		printf("{\"device\":");
		dsmil_json_string(dev);
		printf(",\"label\":");
		dsmil_json_string(s.label);
		printf(",\"uuid\":\"%s\",\"block_size\":%u,\"blocks\":%llu,"
		       "\"inodes\":%u,\"data_start\":%llu,\"inode_table_blocks\":%u,"
		       "\"version\":%u,\"journal\":%s,\"journal_start\":%u,"
		       "\"journal_blocks\":%u,\"lost_found_inode\":%u}\n",
		       ustr, s.g.block_size, (unsigned long long)s.g.blocks_count,
		       s.g.inodes_count, (unsigned long long)s.g.data_start,
		       s.g.itable_blocks, s.version,
		       s.journal_blocks ? "true" : "false", s.journal_start,
		       s.journal_blocks, s.lpf_ino);
	} else if (!quiet) {
		char jdesc[48] = "no journal";

		if (s.journal_blocks)
			snprintf(jdesc, sizeof(jdesc), "journal of %u blocks",
				 s.journal_blocks);
		printf("%s: %llu blocks of %u bytes, %u inodes, %s, label '%s', UUID %s\n",
		       dev, (unsigned long long)s.g.blocks_count, s.g.block_size,
		       s.g.inodes_count, jdesc, s.label, ustr);
	}
	return 0;
}
