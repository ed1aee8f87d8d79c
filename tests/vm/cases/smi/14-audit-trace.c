// SPDX-License-Identifier: GPL-2.0
/*
 * Every op and every unlock, relock and expiry made through the ioctls is
 * a line in the audit file (debugfs dsmil_smi/audit, root only, oldest
 * first; the last 256 reads, and the last 256 other records) naming the
 * calling process, and a tracepoint
 * (events/dsmil_smi/).
 */
#include "smi-case.h"

#define AUDIT	SMI_DBG "audit"
#define TRACING	"/sys/kernel/tracing"

static char lines[300][256];

/* The audit ring, one line each; returns the number of lines. */
static int read_audit(void)
{
	FILE *f = fopen(AUDIT, "r");
	int n = 0;

	if (!f)
		fail("%s: %s", AUDIT, strerror(errno));
	while (n < 300 && fgets(lines[n], sizeof(lines[n]), f)) {
		lines[n][strcspn(lines[n], "\n")] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

/* The record of a line without sequence, time, caller and latency. */
static const char *record(const char *line, char *buf, size_t len)
{
	const char *op = strstr(line, " op=");
	char *lat;

	if (!op)
		fail("audit line without op=: %s", line);
	snprintf(buf, len, "%s", op + 1);
	lat = strstr(buf, " latency_us=");
	if (lat) {
		char *end = lat + strlen(" latency_us=");

		end += strspn(end, "0123456789");
		memmove(lat, end, strlen(end) + 1);
	}
	return buf;
}

static void write_tracing(const char *file, const char *val)
{
	char path[128];
	int ret;

	snprintf(path, sizeof(path), TRACING "/%s", file);
	ret = file_write(path, val);
	if (ret)
		fail("%s: %s", path, strerror(-ret));
}

int main(void)
{
	static const char *const expected[] = {
		"op=unlock group=0 seconds=30",
		"op=write token=0x8001 value=0x00000abc group=0 result=0",
		"op=write token=0x800c value=0x00000001 group=1 result=-13",
		"op=read token=0x8001 value=0x00000abc group=0 result=0",
		"op=relock group=0",
	};
	struct dsmil_token_op ops[64];
	unsigned long long seq, secs;
	char comm[32] = "", c[32], buf[256];
	unsigned int usecs, i;
	int fd, n, pid, b;
	uint32_t v;
	FILE *f;

	smi_load("max_calls_per_sec=0");
	fd = ctl_open();
	if (sh("test \"$(stat -c %%a " AUDIT ")\" = 400"))
		fail("audit mode is not 0400");
	f = fopen("/proc/self/comm", "r");
	if (!f || !fgets(comm, sizeof(comm), f))
		fail("/proc/self/comm");
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';

	expect_ret(tok_unlock(fd, 0, 30, NULL), 0, "unlock 0 for 30 s");
	expect_ret(tok_write(fd, 0x8001, 0xabc), 0, "write 0x8001");
	expect_ret(tok_write(fd, 0x800c, 1), -EACCES, "write 0x800c");
	expect_ret(tok_read(fd, 0x8001, &v), 0, "read 0x8001");
	expect_ret(tok_relock(fd, 0), 0, "relock 0");
	n = read_audit();
	expect_eq(n, 5, "audit lines");
	for (i = 0; i < 5; i++) {
		record(lines[i], buf, sizeof(buf));
		if (strcmp(buf, expected[i]))
			fail("audit line %u: '%s', expected '%s'", i, buf,
			     expected[i]);
		if (sscanf(lines[i], "%llu %llu.%u pid=%d comm=%31s", &seq,
			   &secs, &usecs, &pid, c) != 5)
			fail("audit line %u: '%s'", i, lines[i]);
		expect_eq(seq, i, "sequence number");
		expect_eq(pid, getpid(), "pid of the caller");
		if (strcmp(c, comm))
			fail("audit line %u: comm %s, expected %s", i, c, comm);
	}
	if (!strstr(lines[2], " latency_us=0") ||
	    strstr(lines[2], " latency_us=0")[13])
		fail("a refused op has a latency: %s", lines[2]);

	/*
	 * The reads' ring keeps the last 256 reads: 5 + 5 x 64 = 325 records,
	 * of which 321 reads; the other 4 (unlock, writes, relock: sequence
	 * numbers 0, 1, 2 and 4) stay in the main ring.
	 */
	for (i = 0; i < 64; i++)
		ops[i] = op_read(0x8000 + i % 84);
	for (b = 0; b < 5; b++)
		expect_ret(tok_batch(fd, ops, 64, NULL), 0, "batch of 64");
	n = read_audit();
	expect_eq(n, 4 + 256, "audit lines after 325 records");
	expect_eq(strtoull(lines[0], NULL, 10), 0, "unlock kept");
	expect_eq(strtoull(lines[2], NULL, 10), 2, "refused write kept");
	expect_eq(strtoull(lines[3], NULL, 10), 4, "relock kept");
	expect_eq(strtoull(lines[4], NULL, 10), 69, "oldest read's sequence number");
	expect_eq(strtoull(lines[259], NULL, 10), 324, "newest sequence number");
	record(lines[259], buf, sizeof(buf));
	if (strcmp(buf, "op=read token=0x803f value=0x00000000 group=5 result=0"))
		fail("newest record: %s", buf);

	/* Tracepoints. */
	if (access(TRACING "/events", F_OK))
		sh("mount -t tracefs nodev " TRACING " 2>/dev/null");
	if (access(TRACING "/events/dsmil_smi", F_OK))
		fail("no events/dsmil_smi in tracefs");
	write_tracing("trace", "");
	write_tracing("events/dsmil_smi/enable", "1");
	expect_ret(tok_unlock(fd, 2, 10, NULL), 0, "unlock 2");
	expect_ret(tok_read(fd, 0x8018, &v), 0, "read 0x8018");
	expect_ret(tok_read(fd, 0x9000, &v), -ENOENT, "read 0x9000");
	write_tracing("events/dsmil_smi/enable", "0");
	if (sh("grep dsmil_smi " TRACING "/trace > \"$DSMIL_TMP/trace\""))
		fail("no dsmil_smi line in the trace");
	write_tracing("trace", "");
	sh("sed 's/^/# /' \"$DSMIL_TMP/trace\"");
	if (sh("grep -q 'dsmil_smi_window: group=2 unlock seconds=10' \"$DSMIL_TMP/trace\""))
		fail("no unlock event");
	if (sh("grep -q 'dsmil_smi_op: token=0x8018 op=read value=0x00000000 result=0 latency_ns=[0-9]* late=0' \"$DSMIL_TMP/trace\""))
		fail("no read event");
	if (sh("grep -q 'dsmil_smi_op: token=0x9000 op=read value=0x00000000 result=-2 latency_ns=0 late=0' \"$DSMIL_TMP/trace\""))
		fail("no refused read event");
	return 0;
}
