// SPDX-License-Identifier: GPL-2.0
/*
 * audit.c - the rings of the last ops and policy changes, readable by root
 * in /sys/kernel/debug/dsmil_smi/audit, oldest first, one line each:
 *
 *   <seq> <seconds.usec> pid=<tgid> comm=<comm> op=<op> token=0x8001
 *   value=0x00000005 group=0 result=0 latency_us=12 [late]
 *
 * (one line; unlock records carry seconds= instead of token and value).
 * Every record is also a tracepoint (trace.h).
 *
 * Three rings of SMI_AUDIT_SIZE records each, one sequence.  Token reads
 * are the one op any opener of ctl may make (writes, verify, unlock and
 * relock need privileges in the frontend): a caller without privileges
 * can make reads that reach the transport as fast as the rate limit lets
 * them through (1,000 a second by default), and reads refused before the
 * transport (unknown token, thermal guard, rate limit, ...) as fast as it
 * can issue ioctls.  So reads never share a ring with the privileged
 * records: the reads that reached the transport are in one ring, the
 * refused ones in another, each evicting only its own kind, and the main
 * ring keeps every write, verify and window change whatever its result,
 * and late completions.  The file shows the rings merged by sequence
 * number.  Each ring is a fixed array, all under one spinlock: recording
 * never sleeps and never fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/ktime.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

#define SMI_AUDIT_SIZE	256

struct smi_audit_entry {
	u64 seq;
	u64 ts_ns;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	struct smi_audit_rec rec;
};

enum { SMI_RING_MAIN, SMI_RING_READS, SMI_RING_REFUSED, SMI_NR_RINGS };

struct smi_audit_ring {
	struct smi_audit_entry e[SMI_AUDIT_SIZE];
	u64 n;			/* records ever put in this ring */
};

static struct smi_audit_ring smi_rings[SMI_NR_RINGS];
static u64 smi_ring_next;		/* sequence number of the next record */
static DEFINE_SPINLOCK(smi_ring_lock);	/* the rings and smi_ring_next */

/*
 * The ring of a record.  A refused read is a read that returned an error
 * without having entered the transport (policy, thermal guard, rate limit,
 * a wedged transport, a batch stopped before it); -EIO, -ETIMEDOUT and
 * -EINTR may come from a read in the transport, which is then one of the
 * reads.  A late completion stays in the main ring.
 */
static unsigned int smi_audit_ring_of(const struct smi_audit_rec *rec)
{
	if (rec->kind != DSMIL_SMI_OP_READ || rec->late)
		return SMI_RING_MAIN;
	switch (rec->result) {
	case 0:
	case -EIO:
	case -ETIMEDOUT:
	case -EINTR:
		return SMI_RING_READS;
	default:
		return SMI_RING_REFUSED;
	}
}

/**
 * smi_audit() - record an op or a policy change, and trace it
 * @rec: what happened; copied
 *
 * Context: any context.
 */
void smi_audit(const struct smi_audit_rec *rec)
{
	struct smi_audit_ring *ring;
	struct smi_audit_entry *e;
	unsigned long flags;

	if (rec->kind <= SMI_OP_VERIFY)
		trace_dsmil_smi_op(rec->token, rec->kind, rec->value,
				   rec->result, rec->latency_ns, rec->late);
	else
		trace_dsmil_smi_window(rec->group, rec->kind, rec->value);

	ring = &smi_rings[smi_audit_ring_of(rec)];
	spin_lock_irqsave(&smi_ring_lock, flags);
	e = &ring->e[ring->n++ % SMI_AUDIT_SIZE];
	e->seq = smi_ring_next++;
	e->ts_ns = ktime_get_boottime_ns();
	e->pid = task_tgid_nr(current);
	get_task_comm(e->comm, current);
	e->rec = *rec;
	spin_unlock_irqrestore(&smi_ring_lock, flags);
}

static const char * const smi_kind_names[] = {
	[DSMIL_SMI_OP_READ] = "read",
	[DSMIL_SMI_OP_WRITE] = "write",
	[SMI_OP_VERIFY] = "verify",
	[SMI_OP_UNLOCK] = "unlock",
	[SMI_OP_RELOCK] = "relock",
	[SMI_OP_EXPIRE] = "expire",
};

static void smi_audit_show_one(struct seq_file *m,
			       const struct smi_audit_entry *e)
{
	const struct smi_audit_rec *r = &e->rec;
	u32 rem;
	u64 s = div_u64_rem(e->ts_ns, NSEC_PER_SEC, &rem);

	seq_printf(m, "%llu %llu.%06u pid=%d comm=%s op=%s", e->seq, s,
		   rem / 1000, e->pid, e->comm, smi_kind_names[r->kind]);
	switch (r->kind) {
	case DSMIL_SMI_OP_READ:
	case DSMIL_SMI_OP_WRITE:
	case SMI_OP_VERIFY:
		seq_printf(m, " token=%#06x value=%#010x group=%u result=%d latency_us=%llu%s\n",
			   r->token, r->value, r->group, r->result,
			   div_u64(r->latency_ns, NSEC_PER_USEC),
			   r->late ? " late" : "");
		break;
	case SMI_OP_UNLOCK:
		seq_printf(m, " group=%u seconds=%u\n", r->group, r->value);
		break;
	default:
		seq_printf(m, " group=%u\n", r->group);
		break;
	}
}

static int smi_audit_show(struct seq_file *m, void *v)
{
	unsigned int r, pos[SMI_NR_RINGS] = { 0 }, len[SMI_NR_RINGS];
	struct smi_audit_ring *snap;
	unsigned long flags;

	snap = kvmalloc(sizeof(smi_rings), GFP_KERNEL);
	if (!snap)
		return -ENOMEM;
	spin_lock_irqsave(&smi_ring_lock, flags);
	memcpy(snap, smi_rings, sizeof(smi_rings));
	spin_unlock_irqrestore(&smi_ring_lock, flags);

	/* Each ring is oldest first: merge them by sequence number. */
	for (r = 0; r < SMI_NR_RINGS; r++)
		len[r] = min_t(u64, snap[r].n, SMI_AUDIT_SIZE);
	for (;;) {
		const struct smi_audit_entry *e, *next = NULL;
		unsigned int pick = 0;

		for (r = 0; r < SMI_NR_RINGS; r++) {
			if (pos[r] == len[r])
				continue;
			e = &snap[r].e[(snap[r].n - len[r] + pos[r]) %
				       SMI_AUDIT_SIZE];
			if (!next || e->seq < next->seq) {
				next = e;
				pick = r;
			}
		}
		if (!next)
			break;
		pos[pick]++;
		smi_audit_show_one(m, next);
	}
	kvfree(snap);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(smi_audit);

/**
 * smi_audit_init() - empty the rings, create debugfs dsmil_smi/audit
 * @dir: the module's debugfs directory (may be an error pointer)
 *
 * Return: 0.
 */
int smi_audit_init(struct dentry *dir)
{
	smi_ring_next = 0;
	memset(smi_rings, 0, sizeof(smi_rings));
	debugfs_create_file("audit", 0400, dir, NULL, &smi_audit_fops);
	return 0;
}

void smi_audit_exit(void)
{
}
