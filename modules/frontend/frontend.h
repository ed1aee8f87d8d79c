/* SPDX-License-Identifier: GPL-2.0 */
/*
 * frontend.h - what the files of the dsmil frontend share (not exported).
 *
 * Who owns what:
 *  - main.c: load/unload, the "layout" parameter, the class, the char
 *    device region and the cdev that dispatches opens by minor.
 *  - node.c: the driver "dsmil" of the dsmil bus: one node
 *    /dev/dsmil/<device> per bound device, created by probe and removed
 *    by remove; the core's device notifier for the devices' interrupts.
 *  - devfile.c: file operations of the device nodes (pread/pwrite).
 *  - mmap.c: mmap of device windows, revocation of the mappings.
 *  - ctl.c: /dev/dsmil/ctl: open/release and the ioctl dispatcher.
 *  - events.c: the event queues of ctl files and the notifiers feeding them.
 *  - info.c, regs.c, token.c, dma.c: the ioctl commands, one file per group.
 *  - uapi.c: checks of the argument structs shared by the commands (pure).
 *
 * Locking, outermost first: the dsmil device's lock (probe, remove) ->
 * dsmil_fe.lock (the registry) -> node->lock -> node->files_lock.  dsmil_fe.lock is never held across a call into the
 * core that may reach the thermal guard (register writes, DMA, thermal
 * status): the thermal notifier takes dsmil_fe.lock under the core's thermal
 * lock.  dsmil_fe.events_lock is a leaf spinlock of opens and releases
 * of ctl; each ctl file's lock is a leaf spinlock taken in any context.
 */
#ifndef _DSMIL_FRONTEND_H
#define _DSMIL_FRONTEND_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <dsmil/build.h>
#include <dsmil/core.h>
#include <dsmil_compat.h>
#include <uapi/linux/dsmil.h>

/* Minor 0 is /dev/dsmil/ctl; device nodes get 1 .. DSMIL_FE_MINORS - 1. */
#define DSMIL_FE_MINORS		4096
#define DSMIL_FE_CTL_MINOR	0
/* Events a ctl file holds before it drops (and counts) new ones. */
#define DSMIL_FE_EVENT_QUEUE	256

/**
 * struct dsmil_fe_stats - counters of DSMIL_IOC_STATS (frontend part)
 */
struct dsmil_fe_stats {
	atomic64_t ioctls;
	atomic64_t reg_reads;
	atomic64_t reg_writes;
	atomic64_t reg_errors;
	atomic64_t mmaps;
	atomic64_t events;
	atomic64_t events_dropped;
	atomic64_t refused_perm;
	atomic64_t refused_lockdown;
};

/**
 * struct dsmil_fe - the frontend (one instance)
 * @devt: first dev_t of the region; minor 0 is ctl
 * @cdev: the char device of every minor
 * @ctl_dev: the class device of /dev/dsmil/ctl
 * @lock: protects @nodes, @tokens and the node files lists' membership
 * @nodes: minor -> struct dsmil_fe_node
 * @tokens: token -> the node of the first controller having it (RCU)
 * @nr_nodes: number of nodes (written under @lock, read locklessly)
 * @groups: highest group number of a node + 1
 * @per_group: highest index of a node + 1
 * @thermal_emergency: the core's thermal guard refuses guarded operations
 *	(an emergency, or a sensor that cannot be read)
 * @events_lock: serialises changes of @ctl_files (process context)
 * @ctl_files: open ctl files (struct dsmil_fe_ctl), walked under RCU
 * @stats: counters
 */
struct dsmil_fe {
	dev_t devt;
	struct cdev cdev;
	struct device *ctl_dev;
	struct mutex lock;
	struct xarray nodes;
	struct xarray tokens;
	u32 nr_nodes;
	u32 groups;
	u32 per_group;
	bool thermal_emergency;
	spinlock_t events_lock;
	struct list_head ctl_files;
	struct dsmil_fe_stats stats;
};

extern struct dsmil_fe dsmil_fe;
extern struct class dsmil_fe_class;

#define dsmil_fe_count(counter)	atomic64_inc(&dsmil_fe.stats.counter)

/**
 * struct dsmil_fe_node - /dev/dsmil/<device>
 * @ref: references: the registry's, open files', lookups'
 * @ddev: the dsmil device (a device reference, not a user: the device
 *	shows "active" only while a node file is open)
 * @dev: the class device, NULL once removed
 * @minor: minor number
 * @gone: the device was unbound (removed, or "unbind" in sysfs); set under
 *	@lock held for write, by remove, before it revokes the mappings
 * @files_lock: protects @files
 * @files: open files of the node (struct dsmil_fe_file), for revocation
 * @lock: every operation on the device through the node, and page faults
 *	(read), against remove (write): none runs after remove returns
 * @rcu: freeing after RCU lookups by token
 */
struct dsmil_fe_node {
	struct kref ref;
	struct dsmil_device *ddev;
	struct device *dev;
	unsigned int minor;
	bool gone;
	struct mutex files_lock;
	struct list_head files;
	struct rw_semaphore lock;
	struct rcu_head rcu;
};

/**
 * struct dsmil_fe_file - an open device node
 * @node: the node (a reference held)
 * @filp: the file
 * @link: in node->files
 */
struct dsmil_fe_file {
	struct dsmil_fe_node *node;
	struct file *filp;
	struct list_head link;
};

/**
 * struct dsmil_fe_ctl - an open /dev/dsmil/ctl
 * @link: in dsmil_fe.ctl_files (RCU)
 * @rcu: frees the file's state after a grace period
 * @lock: protects @head, @len, @seq, @dropped and @queue (any context)
 * @wait: readers and pollers of the event queue
 * @head: index of the oldest queued event in @queue
 * @len: events queued
 * @seq: sequence number of the next event queued
 * @dropped: events lost since the last one queued
 * @dma_owner: this file's locks and claims (dsmil_dmalock)
 * @queue: the event ring
 */
struct dsmil_fe_ctl {
	struct list_head link;
	struct rcu_head rcu;
	spinlock_t lock;
	wait_queue_head_t wait;
	unsigned int head;
	unsigned int len;
	u32 seq;
	u32 dropped;
	struct dsmil_dma_owner *dma_owner;
	struct dsmil_event_record queue[DSMIL_FE_EVENT_QUEUE];
};

/* node.c */
int dsmil_fe_nodes_init(void);
void dsmil_fe_nodes_exit(void);
struct dsmil_fe_node *dsmil_fe_node_get_minor(unsigned int minor);
struct dsmil_fe_node *dsmil_fe_node_get_token(u16 token);
void dsmil_fe_node_put(struct dsmil_fe_node *node);
void dsmil_fe_nodes_revoke_all(void);
void dsmil_fe_layout(u32 *nr, u32 *groups, u32 *per_group);
void dsmil_fe_core_layout(u32 *nr, u32 *groups, u32 *per_group);
u32 dsmil_fe_state(struct dsmil_device *ddev);

/* devfile.c */
extern const struct file_operations dsmil_fe_dev_fops;

/* mmap.c */
int dsmil_fe_mmap(struct file *filp, struct vm_area_struct *vma);
void dsmil_fe_node_revoke(struct dsmil_fe_node *node);
bool dsmil_fe_mappable(struct dsmil_device *ddev);

/* ctl.c */
extern const struct file_operations dsmil_fe_ctl_fops;
int dsmil_fe_check_write(struct file *filp, int cap);
int dsmil_fe_array_in(void *karr, size_t ksize, const void __user *uarr,
		      size_t stride, u32 n);
int dsmil_fe_array_out(void __user *uarr, size_t stride, const void *karr,
		       size_t ksize, u32 n, bool clear_tail);
int dsmil_fe_check_lockdown(void);

/* Flags of struct dsmil_fe_cmd. */
#define DSMIL_FE_CMD_OUT	BIT(0)	/* has output fields: copy back */
#define DSMIL_FE_CMD_EFFECTS	BIT(1)	/* changes state: check copy-back first */
#define DSMIL_FE_CMD_LOCKDOWN	BIT(2)	/* a raw write: refused under lockdown */

/**
 * struct dsmil_fe_cmd - one ioctl command of /dev/dsmil/ctl
 * @cmd: the command number
 * @size: sizeof() of its argument struct in this kernel
 * @size_ver0: DSMIL_*_SIZE_VER0 of the argument struct
 * @cap: capability (and a file open for writing) required before the
 *	arguments are read; 0: none
 * @flags: DSMIL_FE_CMD_*
 * @fn: runs the command on the kernel copy of the arguments
 */
struct dsmil_fe_cmd {
	unsigned int cmd;
	size_t size;
	size_t size_ver0;
	int cap;
	unsigned int flags;
	int (*fn)(struct file *filp, void *args);
};

/* One table entry; the argument struct is named by its DSMIL_*_SIZE_VER0. */
#define DSMIL_FE_CMD(_cmd, _type, _ver0, _cap, _flags, _fn) {		\
	.cmd = _cmd, .size = sizeof(_type), .size_ver0 = _ver0,	\
	.cap = _cap, .flags = _flags, .fn = _fn }

/* info.c */
extern const struct dsmil_fe_cmd dsmil_fe_info_cmds[];
extern const unsigned int dsmil_fe_nr_info_cmds;

/* regs.c */
extern const struct dsmil_fe_cmd dsmil_fe_reg_cmds[];
extern const unsigned int dsmil_fe_nr_reg_cmds;
int dsmil_fe_reg_read(struct dsmil_fe_node *node, u32 offset, u32 *val);
int dsmil_fe_reg_write(struct dsmil_fe_node *node, u32 offset, u32 val);

/* token.c */
extern const struct dsmil_fe_cmd dsmil_fe_token_cmds[];
extern const unsigned int dsmil_fe_nr_token_cmds;
void dsmil_fe_token_fill_info(struct dsmil_info_args *a);
void dsmil_fe_token_fill_stats(struct dsmil_stats_args *a);

/* dma.c */
extern const struct dsmil_fe_cmd dsmil_fe_dma_cmds[];
extern const unsigned int dsmil_fe_nr_dma_cmds;
int dsmil_fe_dma_open(struct dsmil_fe_ctl *ctl, struct file *filp);
void dsmil_fe_dma_release(struct dsmil_fe_ctl *ctl);
void dsmil_fe_dma_fill_stats(struct dsmil_stats_args *a);

/* uapi.c: the rules of the argument structs (pure) */
int dsmil_fe_args_size(u32 usize, size_t ver0);
int dsmil_fe_check_batch(const struct dsmil_batch_args *a, u32 flags_ok,
			 u32 max);
int dsmil_fe_entry_size(u32 entry_size, size_t ver0);
int dsmil_fe_check_reg_op(const struct dsmil_reg_op *op);
int dsmil_fe_check_token_op(const struct dsmil_token_op *op);
int dsmil_fe_check_dev_list(const struct dsmil_dev_list_args *a);
int dsmil_fe_check_relock(const struct dsmil_unlock_args *a);
int dsmil_fe_check_dma_lock(const struct dsmil_dma_lock_args *a);
int dsmil_fe_check_dma_sync(const struct dsmil_dma_sync_args *a);
int dsmil_fe_check_dma_xfer(const struct dsmil_dma_xfer_args *a);
bool dsmil_fe_xfer_to_device(const struct dsmil_dma_xfer_args *a);
int dsmil_fe_lock_dir(u32 dir);
u32 dsmil_fe_query_dir(u32 dir, u32 flags);
int dsmil_fe_check_dma_claim(const struct dsmil_dma_claim_args *a);
int dsmil_fe_check_dma_release(const struct dsmil_dma_claim_args *a);

/* events.c */
int dsmil_fe_events_init(void);
void dsmil_fe_events_exit(void);
void dsmil_fe_event_post(u32 type, u16 token, s32 value, u32 aux);
void dsmil_fe_events_add(struct dsmil_fe_ctl *ctl);
void dsmil_fe_events_del(struct dsmil_fe_ctl *ctl);
ssize_t dsmil_fe_events_read(struct dsmil_fe_ctl *ctl, struct file *filp,
			     char __user *buf, size_t count);
__poll_t dsmil_fe_events_poll(struct dsmil_fe_ctl *ctl, struct file *filp,
			      struct poll_table_struct *wait);

#endif /* _DSMIL_FRONTEND_H */
