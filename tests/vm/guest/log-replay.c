// SPDX-License-Identifier: GPL-2.0
/*
 * log-replay: list the entries of a dm-log-writes log and replay a range
 * of them onto a device or an image file (tests/vm/cases/vexfs/
 * 12-log-writes.sh; tests/vm/run compiles it for the guest).
 *
 *   log-replay --log LOG --list
 *   log-replay --log LOG --replay DEV [--start N] [--end M] [--drop K]...
 *		[--copy FILE [--mount DIR --type FSTYPE]]
 *
 * --list prints "# sector size S, N entries", then one line per entry:
 * "INDEX<TAB>FLAGS<TAB>SECTOR<TAB>COUNT<TAB>MARK", FLAGS being the names
 * of its flags joined by ',' (flush, fua, discard, mark, metadata) or '-',
 * SECTOR and COUNT in sectors of the log's sector size, MARK the name of a
 * mark ('-' for other entries).
 *
 * --replay writes entries N to M (default: all of them) in log order onto
 * DEV: a write's data at its sector, a discard as zeros; flushes and marks
 * write nothing.  A caller that checks the device at successive points
 * replays each range once (--start the entry after the previous --end),
 * DEV keeping what the earlier ranges wrote.  --drop K leaves out the
 * write of entry K (repeatable): a write lost although it was logged, for
 * a negative control.
 *
 * --copy FILE then makes FILE a copy of DEV (only DEV's data extents are
 * written: a sparse image gives a sparse copy), and --mount DIR --type
 * FSTYPE attaches FILE to a free loop device and mounts that on DIR, as
 * "losetup -f --show FILE; mount -t FSTYPE LOOPDEV DIR" would, and prints
 * the loop device's path; "umount -d DIR" undoes both.  One process
 * instead of four for each image a checker mounts.
 *
 * The log (Documentation/admin-guide/device-mapper/log-writes.rst and
 * drivers/md/dm-log-writes.c in the kernel): sector 0 holds the super
 * (le64 magic, le64 version, le64 number of entries, le32 sector size),
 * the entries follow from sector 1, each a header sector (le64 sector,
 * le64 number of sectors, le64 flags, le64 data length; a mark's name
 * after it in the same sector) and, unless it is a discard, the data it
 * wrote.  Sectors are of the logged device's logical block size.  Entries
 * are in the order the writes reached stable storage: the writes a flush
 * made durable come before it.
 *
 * Every entry is checked before anything is written: a log that is
 * malformed or does not fit DEV is refused whole.
 *
 * Exit status: 0 done; 1 the log is malformed or does not fit DEV (one
 * line says where; nothing was written); 2 usage error; 3 a system call
 * failed (one line says which; DEV may hold part of the range); 4 the
 * mount failed (one line with the mount's error; the loop device is
 * detached again).
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/loop.h>

#define LOG_FLUSH_FLAG		(1U << 0)
#define LOG_FUA_FLAG		(1U << 1)
#define LOG_DISCARD_FLAG	(1U << 2)
#define LOG_MARK_FLAG		(1U << 3)
#define LOG_METADATA_FLAG	(1U << 4)
#define LOG_KNOWN_FLAGS		(LOG_FLUSH_FLAG | LOG_FUA_FLAG | LOG_DISCARD_FLAG | \
				 LOG_MARK_FLAG | LOG_METADATA_FLAG)

#define WRITE_LOG_MAGIC		0x6a736677736872ULL
#define WRITE_LOG_VERSION	1
#define SUPER_SIZE		28	/* magic, version, entries, sector size */
#define ENTRY_SIZE		32	/* sector, sectors, flags, data length */
#define MAX_SECTOR_SIZE		4096	/* a logical block size */
#define COPY_CHUNK		(1 << 20)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

enum { EXIT_BAD_LOG = 1, EXIT_USAGE = 2, EXIT_SYSTEM = 3, EXIT_MOUNT = 4 };

struct entry {
	uint64_t pos;		/* byte offset of its header in the log */
	uint64_t sector;
	uint64_t count;		/* sectors */
	uint32_t flags;
	char mark[MAX_SECTOR_SIZE - ENTRY_SIZE];
};

static const char *log_path;
static int log_fd = -1;
static uint32_t sector_size;
static uint64_t nr_entries;
static struct entry *entries;

/* Print "log-replay: MESSAGE" and exit with @status. */
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("log-replay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: log-replay --log LOG --list\n"
		"       log-replay --log LOG --replay DEV [--start N] [--end M] [--drop K]...\n"
		"                  [--copy FILE [--mount DIR --type FSTYPE]]\n");
}

/* The size in bytes of an open image file or block device. */
static uint64_t fd_size(int fd, const char *path)
{
	struct stat st;
	uint64_t size;

	if (fstat(fd, &st))
		die(EXIT_SYSTEM, "%s: stat: %s", path, strerror(errno));
	if (S_ISREG(st.st_mode))
		return (uint64_t)st.st_size;
	if (!S_ISBLK(st.st_mode))
		die(EXIT_SYSTEM, "%s: not a file or a block device", path);
	if (ioctl(fd, BLKGETSIZE64, &size))
		die(EXIT_SYSTEM, "%s: BLKGETSIZE64: %s", path, strerror(errno));
	return size;
}

/* Read @len bytes at @off of @fd (@path): all of them or die. */
static void read_dev(int fd, const char *path, void *buf, size_t len,
		     uint64_t off)
{
	ssize_t r;

	while (len) {
		r = pread(fd, buf, len, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die(EXIT_SYSTEM, "%s: read at byte %" PRIu64 ": %s", path,
			    off, r ? strerror(errno) : "end of file");
		buf = (char *)buf + r;
		len -= (size_t)r;
		off += (uint64_t)r;
	}
}

/* Read @len bytes at @off of the log (the caller checked they exist). */
static void read_log(void *buf, size_t len, uint64_t off)
{
	read_dev(log_fd, log_path, buf, len, off);
}

static uint64_t le64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static uint32_t le32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

/*
 * Read the super and every entry header of the log into entries[]; with
 * @dev_size (non-zero), every write and discard must lie within it.
 */
static void parse_log(uint64_t dev_size)
{
	unsigned char buf[MAX_SECTOR_SIZE];
	uint64_t log_size, pos, i, len, version, cap = 0;
	struct entry *e;

	log_size = fd_size(log_fd, log_path);
	if (log_size < SUPER_SIZE)
		die(EXIT_BAD_LOG, "%s: %" PRIu64 " bytes, too short for a super",
		    log_path, log_size);
	read_log(buf, SUPER_SIZE, 0);
	if (le64_at(buf) != WRITE_LOG_MAGIC)
		die(EXIT_BAD_LOG, "%s: bad magic 0x%" PRIx64 " (not a dm-log-writes log)",
		    log_path, le64_at(buf));
	version = le64_at(buf + 8);
	if (version != WRITE_LOG_VERSION)
		die(EXIT_BAD_LOG, "%s: log version %" PRIu64 ", only %d is known",
		    log_path, version, WRITE_LOG_VERSION);
	nr_entries = le64_at(buf + 16);
	sector_size = le32_at(buf + 24);
	if (sector_size < 512 || sector_size > MAX_SECTOR_SIZE ||
	    (sector_size & (sector_size - 1)))
		die(EXIT_BAD_LOG, "%s: sector size %" PRIu32 " (512 to %d, a power of 2)",
		    log_path, sector_size, MAX_SECTOR_SIZE);

	pos = sector_size;
	for (i = 0; i < nr_entries; i++) {
		if (i == cap) {
			cap = cap ? 2 * cap : 1024;
			entries = reallocarray(entries, cap, sizeof(*entries));
			if (!entries)
				die(EXIT_SYSTEM, "out of memory for %" PRIu64 " entries", cap);
		}
		e = &entries[i];
		if (pos > log_size || log_size - pos < sector_size)
			die(EXIT_BAD_LOG, "%s: entry %" PRIu64 " of %" PRIu64
			    ": header at byte %" PRIu64 " past the end of the log (%" PRIu64 " bytes)",
			    log_path, i, nr_entries, pos, log_size);
		read_log(buf, sector_size, pos);
		e->pos = pos;
		e->sector = le64_at(buf);
		e->count = le64_at(buf + 8);
		if (le64_at(buf + 16) & ~(uint64_t)LOG_KNOWN_FLAGS)
			die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": unknown flags 0x%" PRIx64,
			    log_path, i, le64_at(buf + 16));
		e->flags = (uint32_t)le64_at(buf + 16);
		len = le64_at(buf + 24);
		e->mark[0] = '\0';

		if (e->flags & LOG_MARK_FLAG) {
			unsigned char *name = buf + ENTRY_SIZE;
			uint64_t k;

			if (e->flags != LOG_MARK_FLAG || e->count)
				die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": a mark with flags 0x%" PRIx32
				    " and %" PRIu64 " sectors", log_path, i, e->flags, e->count);
			if (!len)
				die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": a mark without a name",
				    log_path, i);
			if (len >= sector_size - ENTRY_SIZE)
				die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": mark name of %" PRIu64
				    " bytes, longer than its sector", log_path, i, len);
			for (k = 0; k < len; k++)
				if (name[k] <= ' ' || name[k] > '~')
					die(EXIT_BAD_LOG, "%s: entry %" PRIu64
					    ": mark name with byte 0x%02x at %" PRIu64,
					    log_path, i, name[k], k);
			memcpy(e->mark, name, len);
			e->mark[len] = '\0';
		} else if (len) {
			die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": %" PRIu64
			    " bytes of inline data, which only a mark has", log_path, i, len);
		}

		/* the data follow the header, but for a discard */
		len = sector_size;
		if (!(e->flags & LOG_DISCARD_FLAG)) {
			if (e->count > (log_size - pos) / sector_size)
				die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": %" PRIu64
				    " sectors of data past the end of the log (truncated)",
				    log_path, i, e->count);
			len += e->count * sector_size;
			if (log_size - pos < len)
				die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": %" PRIu64
				    " sectors of data past the end of the log (truncated)",
				    log_path, i, e->count);
		}
		if (dev_size && e->count &&
		    (e->sector > dev_size / sector_size ||
		     e->count > dev_size / sector_size - e->sector))
			die(EXIT_BAD_LOG, "%s: entry %" PRIu64 ": sectors %" PRIu64 "+%" PRIu64
			    " past the end of the replay device (%" PRIu64 " sectors)",
			    log_path, i, e->sector, e->count, dev_size / sector_size);
		pos += len;
	}
}

static const char *flag_names(uint32_t flags, char *buf, size_t size)
{
	static const char *const names[] = {
		"flush", "fua", "discard", "mark", "metadata",
	};
	size_t n = 0, b;

	buf[0] = '\0';
	for (b = 0; b < ARRAY_SIZE(names); b++)
		if (flags & (1U << b))
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      n ? "," : "", names[b]);
	return n ? buf : "-";
}

static void list(void)
{
	char fl[64];
	uint64_t i;

	printf("# sector size %" PRIu32 ", %" PRIu64 " entries\n", sector_size, nr_entries);
	for (i = 0; i < nr_entries; i++) {
		const struct entry *e = &entries[i];

		printf("%" PRIu64 "\t%s\t%" PRIu64 "\t%" PRIu64 "\t%s\n", i,
		       flag_names(e->flags, fl, sizeof(fl)), e->sector, e->count,
		       e->mark[0] ? e->mark : "-");
	}
	if (fflush(stdout) || ferror(stdout))
		die(EXIT_SYSTEM, "write to stdout: %s", strerror(errno));
}

static void write_dev(int fd, const char *path, const void *buf, size_t len,
		      uint64_t off)
{
	ssize_t w;

	while (len) {
		w = pwrite(fd, buf, len, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die(EXIT_SYSTEM, "%s: write at byte %" PRIu64 ": %s",
			    path, off, strerror(errno));
		buf = (const char *)buf + w;
		len -= (size_t)w;
		off += (uint64_t)w;
	}
}

/* Replay entries @start to @end onto @fd, but for those in @drop[]. */
static void replay(int fd, const char *path, uint64_t start, uint64_t end,
		   const uint64_t *drop, size_t ndrop)
{
	static unsigned char buf[COPY_CHUNK];
	uint64_t i, left, src, dst;
	size_t k, n;
	bool skip;

	for (i = start; i <= end; i++) {
		const struct entry *e = &entries[i];

		if (!e->count || (e->flags & LOG_MARK_FLAG))
			continue;
		skip = false;
		for (k = 0; k < ndrop; k++)
			skip |= drop[k] == i;
		if (skip)
			continue;
		src = e->pos + sector_size;
		dst = e->sector * sector_size;
		left = e->count * sector_size;
		if (e->flags & LOG_DISCARD_FLAG)
			memset(buf, 0, sizeof(buf));
		while (left) {
			n = left < sizeof(buf) ? (size_t)left : sizeof(buf);
			if (!(e->flags & LOG_DISCARD_FLAG)) {
				read_log(buf, n, src);
				src += n;
			}
			write_dev(fd, path, buf, n, dst);
			dst += n;
			left -= n;
		}
	}
	if (fsync(fd))
		die(EXIT_SYSTEM, "%s: fsync: %s", path, strerror(errno));
}

/*
 * Make @dst a copy of @fd (@path): the same size, and the data extents
 * SEEK_DATA/SEEK_HOLE find (all of it where they are not supported).
 */
static void copy_image(int fd, const char *path, const char *dst)
{
	static unsigned char buf[COPY_CHUNK];
	uint64_t size = fd_size(fd, path), n;
	off_t data = 0, hole;
	int out;

	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		die(EXIT_SYSTEM, "%s: open: %s", dst, strerror(errno));
	if (ftruncate(out, (off_t)size))
		die(EXIT_SYSTEM, "%s: truncate: %s", dst, strerror(errno));
	while ((uint64_t)data < size) {
		data = lseek(fd, data, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break;		/* a hole up to the end */
		if (data < 0 && errno == EINVAL) {
			data = 0;	/* no SEEK_DATA: copy it all */
			hole = (off_t)size;
		} else if (data < 0 ||
			   (hole = lseek(fd, data, SEEK_HOLE)) < 0) {
			die(EXIT_SYSTEM, "%s: lseek: %s", path, strerror(errno));
		}
		while (data < hole) {
			n = (uint64_t)(hole - data);
			if (n > sizeof(buf))
				n = sizeof(buf);
			read_dev(fd, path, buf, n, (uint64_t)data);
			write_dev(out, dst, buf, n, (uint64_t)data);
			data += (off_t)n;
		}
	}
	if (close(out))
		die(EXIT_SYSTEM, "%s: close: %s", dst, strerror(errno));
}

/*
 * Attach @file to a free loop device, mount it on @dir as @type and print
 * the device's path.  The loop device is not held open across mount(2): a
 * kernel without CONFIG_BLK_DEV_WRITE_MOUNTED refuses to mount a device
 * open for writing.
 */
static void mount_image(const char *file, const char *dir, const char *type)
{
	struct loop_config cfg = { 0 };
	char dev[32];
	int ctl, lfd, ffd, nr, tries, err;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		die(EXIT_SYSTEM, "/dev/loop-control: open: %s", strerror(errno));
	ffd = open(file, O_RDWR | O_CLOEXEC);
	if (ffd < 0)
		die(EXIT_SYSTEM, "%s: open: %s", file, strerror(errno));
	cfg.fd = (__u32)ffd;
	for (tries = 0;; tries++) {
		nr = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (nr < 0)
			die(EXIT_SYSTEM, "LOOP_CTL_GET_FREE: %s", strerror(errno));
		snprintf(dev, sizeof(dev), "/dev/loop%d", nr);
		lfd = open(dev, O_RDWR | O_CLOEXEC);
		if (lfd < 0)
			die(EXIT_SYSTEM, "%s: open: %s", dev, strerror(errno));
		if (!ioctl(lfd, LOOP_CONFIGURE, &cfg))
			break;
		err = errno;
		close(lfd);
		/* another process took it first: the next free one */
		if (err != EBUSY || tries == 16)
			die(EXIT_SYSTEM, "%s: LOOP_CONFIGURE: %s", dev, strerror(err));
	}
	close(lfd);
	close(ffd);
	close(ctl);
	if (mount(dev, dir, type, 0, NULL)) {
		err = errno;
		lfd = open(dev, O_RDONLY | O_CLOEXEC);
		if (lfd < 0 || ioctl(lfd, LOOP_CLR_FD))
			fprintf(stderr, "log-replay: %s: cannot detach: %s\n", dev,
				strerror(errno));
		die(EXIT_MOUNT, "mount -t %s %s %s: %s", type, dev, dir,
		    strerror(err));
	}
	printf("%s\n", dev);
	if (fflush(stdout))
		die(EXIT_SYSTEM, "write to stdout: %s", strerror(errno));
}

static uint64_t parse_index(const char *opt, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "log-replay: %s '%s': not an entry number\n", opt, s);
		exit(EXIT_USAGE);
	}
	return v;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "log", required_argument, NULL, 'l' },
		{ "list", no_argument, NULL, 'L' },
		{ "replay", required_argument, NULL, 'r' },
		{ "start", required_argument, NULL, 's' },
		{ "end", required_argument, NULL, 'e' },
		{ "drop", required_argument, NULL, 'd' },
		{ "copy", required_argument, NULL, 'c' },
		{ "mount", required_argument, NULL, 'm' },
		{ "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dev_path = NULL, *copy_path = NULL, *mnt = NULL, *type = NULL;
	uint64_t start = 0, end = 0, drop[16];
	bool do_list = false, have_end = false;
	size_t ndrop = 0, k;
	int c, dev_fd = -1;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			log_path = optarg;
			break;
		case 'L':
			do_list = true;
			break;
		case 'r':
			dev_path = optarg;
			break;
		case 's':
			start = parse_index("--start", optarg);
			break;
		case 'e':
			end = parse_index("--end", optarg);
			have_end = true;
			break;
		case 'd':
			if (ndrop == ARRAY_SIZE(drop))
				die(EXIT_USAGE, "more than %zu --drop", ndrop);
			drop[ndrop++] = parse_index("--drop", optarg);
			break;
		case 'c':
			copy_path = optarg;
			break;
		case 'm':
			mnt = optarg;
			break;
		case 't':
			type = optarg;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			print_help(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		die(EXIT_USAGE, "unexpected argument '%s'", argv[optind]);
	if (!log_path)
		die(EXIT_USAGE, "--log LOG is required");
	if (do_list == !!dev_path)
		die(EXIT_USAGE, "one of --list and --replay DEV is required");
	if (copy_path && !dev_path)
		die(EXIT_USAGE, "--copy needs --replay");
	if ((mnt || type) && !(mnt && type && copy_path))
		die(EXIT_USAGE, "--mount DIR and --type FSTYPE go together, with --copy");

	log_fd = open(log_path, O_RDONLY | O_CLOEXEC);
	if (log_fd < 0)
		die(EXIT_SYSTEM, "%s: open: %s", log_path, strerror(errno));
	if (do_list) {
		parse_log(0);
		list();
		return 0;
	}

	dev_fd = open(dev_path, (copy_path ? O_RDWR : O_WRONLY) | O_CLOEXEC);
	if (dev_fd < 0)
		die(EXIT_SYSTEM, "%s: open: %s", dev_path, strerror(errno));
	parse_log(fd_size(dev_fd, dev_path));
	if (!nr_entries)
		die(EXIT_USAGE, "%s: the log has no entry to replay", log_path);
	if (!have_end)
		end = nr_entries - 1;
	if (end >= nr_entries)
		die(EXIT_USAGE, "--end %" PRIu64 ": the log has entries 0 to %" PRIu64,
		    end, nr_entries - 1);
	if (start > end)
		die(EXIT_USAGE, "--start %" PRIu64 " is after --end %" PRIu64, start, end);
	for (k = 0; k < ndrop; k++) {
		const struct entry *e;

		if (drop[k] < start || drop[k] > end)
			die(EXIT_USAGE, "--drop %" PRIu64 ": not in the range %" PRIu64
			    " to %" PRIu64, drop[k], start, end);
		e = &entries[drop[k]];
		if (!e->count || (e->flags & (LOG_MARK_FLAG | LOG_DISCARD_FLAG)))
			die(EXIT_USAGE, "--drop %" PRIu64 ": entry %" PRIu64
			    " writes no data", drop[k], drop[k]);
	}
	replay(dev_fd, dev_path, start, end, drop, ndrop);
	if (copy_path)
		copy_image(dev_fd, dev_path, copy_path);
	if (close(dev_fd))
		die(EXIT_SYSTEM, "%s: close: %s", dev_path, strerror(errno));
	if (mnt)
		mount_image(copy_path, mnt, type);
	return 0;
}
