/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * dsmil.h - the userspace ABI of the dsmil frontend.
 *
 * Userspace includes it as <dsmil/dsmil.h> (installed by libdsmil-dev and
 * dsmil-devel into /usr/include/dsmil/, outside linux-libc-dev's
 * <linux/...> namespace); the suite's modules as <linux/dsmil.h>.
 *
 * /dev/dsmil/ctl takes the ioctls below and delivers an event stream
 * (read()/poll(), struct dsmil_event_record); /dev/dsmil/<device> gives
 * pread()/pwrite() of a device's 32-bit registers and mmap() of its
 * register window.  Documentation/userspace-api/dsmil.rst is the reference:
 * permissions, errors and semantics of every command.
 *
 * Conventions shared by every command:
 *  - Numbers are _IO(DSMIL_IOCTL_MAGIC, nr): the argument's layout is
 *    versioned by its size field, not by the command number.
 *  - Every argument struct starts with __u32 size, the size of the struct
 *    as the caller knows it (sizeof), and __u32 flags.  A size below the
 *    first published one (DSMIL_*_SIZE_VER0) is -EINVAL, above 4096 -E2BIG;
 *    a larger size than the kernel knows is accepted if the extra bytes are
 *    zero (else -E2BIG), a smaller one gets the newer fields as zero.  Only
 *    min(size, kernel size) bytes are written back.
 *  - Unknown flags and non-zero reserved fields are -EINVAL.
 *  - User pointers are __u64; structs have no implicit padding and the
 *    same layout for 32- and 64-bit callers.
 *  - An array of structs comes with an entry_size field, the stride of
 *    the array as the caller knows the struct (sizeof): 0 means the first
 *    published size (DSMIL_*_ENTRY_SIZE_VER0), below that or above
 *    DSMIL_ARGS_SIZE_MAX is -EINVAL.  Bytes of an entry the kernel does
 *    not know must be zero on input (else -E2BIG) and are zeroed in an
 *    output-only array; only the known part of an in/out entry is
 *    written back.
 *  - An unknown command is -ENOTTY.
 */
#ifndef _UAPI_LINUX_DSMIL_H
#define _UAPI_LINUX_DSMIL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* 0xD5 is free in Documentation/userspace-api/ioctl/ioctl-number.rst; 00-3F used. */
#define DSMIL_IOCTL_MAGIC	0xD5

/*
 * ABI version: the major changes only with an incompatible change.
 * 1.1: entry_size of REG_BATCH, TOKEN_BATCH and DMA_QUERY; the DMA
 * directions DSMIL_DIR_*; TOKEN_BATCH fails with -ENOMEM when it cannot
 * run at all.
 * 1.2: DMA_QUERY's lock_flags (DSMIL_LOCK_CPU_ONLY, DSMIL_LOCK_BOUNCED);
 * segment addresses are the bus-mastering device's, DSMIL_DMA_ADDR_NONE
 * for a CPU-only lock.
 */
#define DSMIL_ABI_MAJOR		1
#define DSMIL_ABI_MINOR		2

/* Limits of the argument structs. */
#define DSMIL_ARGS_SIZE_MAX	4096
#define DSMIL_REG_BATCH_MAX	1024
#define DSMIL_TOKEN_BATCH_MAX	64
#define DSMIL_NAME_LEN		32

/* Commands of /dev/dsmil/ctl. */
#define DSMIL_IOC_INFO		_IO(DSMIL_IOCTL_MAGIC, 0x00)
#define DSMIL_IOC_DEV_LIST	_IO(DSMIL_IOCTL_MAGIC, 0x01)
#define DSMIL_IOC_REG_READ	_IO(DSMIL_IOCTL_MAGIC, 0x02)
#define DSMIL_IOC_REG_WRITE	_IO(DSMIL_IOCTL_MAGIC, 0x03)
#define DSMIL_IOC_REG_BATCH	_IO(DSMIL_IOCTL_MAGIC, 0x04)
#define DSMIL_IOC_TOKEN_READ	_IO(DSMIL_IOCTL_MAGIC, 0x10)
#define DSMIL_IOC_TOKEN_WRITE	_IO(DSMIL_IOCTL_MAGIC, 0x11)
#define DSMIL_IOC_TOKEN_BATCH	_IO(DSMIL_IOCTL_MAGIC, 0x12)
#define DSMIL_IOC_TOKEN_INFO	_IO(DSMIL_IOCTL_MAGIC, 0x13)
#define DSMIL_IOC_UNLOCK	_IO(DSMIL_IOCTL_MAGIC, 0x14)
#define DSMIL_IOC_RELOCK	_IO(DSMIL_IOCTL_MAGIC, 0x15)
#define DSMIL_IOC_VERIFY	_IO(DSMIL_IOCTL_MAGIC, 0x16)
#define DSMIL_IOC_DMA_LOCK	_IO(DSMIL_IOCTL_MAGIC, 0x20)
#define DSMIL_IOC_DMA_UNLOCK	_IO(DSMIL_IOCTL_MAGIC, 0x21)
#define DSMIL_IOC_DMA_SYNC	_IO(DSMIL_IOCTL_MAGIC, 0x22)
#define DSMIL_IOC_DMA_QUERY	_IO(DSMIL_IOCTL_MAGIC, 0x23)
#define DSMIL_IOC_DMA_XFER	_IO(DSMIL_IOCTL_MAGIC, 0x24)
#define DSMIL_IOC_DMA_CLAIM	_IO(DSMIL_IOCTL_MAGIC, 0x25)
#define DSMIL_IOC_DMA_RELEASE	_IO(DSMIL_IOCTL_MAGIC, 0x26)
#define DSMIL_IOC_THERMAL	_IO(DSMIL_IOCTL_MAGIC, 0x30)
#define DSMIL_IOC_STATS		_IO(DSMIL_IOCTL_MAGIC, 0x31)

/* Features of struct dsmil_info_args. */
#define DSMIL_FEATURE_TOKENS	(1U << 0)	/* TOKEN_*, UNLOCK, RELOCK, VERIFY */
#define DSMIL_FEATURE_DMA	(1U << 1)	/* DMA_* */

/**
 * struct dsmil_info_args - DSMIL_IOC_INFO: versions and layout
 * @size: sizeof(struct dsmil_info_args)
 * @flags: 0
 * @abi_major: out: DSMIL_ABI_MAJOR of the kernel
 * @abi_minor: out: DSMIL_ABI_MINOR of the kernel
 * @features: out: DSMIL_FEATURE_*
 * @nr_devices: out: devices with a node in /dev/dsmil
 * @groups: out: groups per controller (0 without devices)
 * @devices_per_group: out: devices per group (0 without devices)
 * @version: out: the module version, NUL-terminated
 * @smi_transport: out: the token transport ("emu", "dell"), NUL-terminated;
 *	empty without DSMIL_FEATURE_TOKENS
 */
struct dsmil_info_args {
	__u32 size;
	__u32 flags;
	__u32 abi_major;
	__u32 abi_minor;
	__u32 features;
	__u32 nr_devices;
	__u32 groups;
	__u32 devices_per_group;
	char version[DSMIL_NAME_LEN];
	char smi_transport[16];
};
#define DSMIL_INFO_SIZE_VER0		80

/* Device states (struct dsmil_dev_entry.state), as in sysfs "state". */
#define DSMIL_STATE_PRESENT	0
#define DSMIL_STATE_ACTIVE	1
#define DSMIL_STATE_QUARANTINED	2
#define DSMIL_STATE_ABSENT	3
#define DSMIL_STATE_ERROR	4

/* Flags of struct dsmil_dev_entry. */
#define DSMIL_DEV_QUARANTINED	(1U << 0)	/* never written */
#define DSMIL_DEV_ABSENT	(1U << 1)	/* no register window */
#define DSMIL_DEV_MAPPABLE	(1U << 2)	/* its node can be mmap()ed */

/**
 * struct dsmil_dev_entry - one device in DSMIL_IOC_DEV_LIST
 * @token: token id
 * @group: group number
 * @index: index within the group
 * @state: DSMIL_STATE_*
 * @flags: DSMIL_DEV_*
 * @mmio_size: bytes of the register window (0 if absent)
 * @controller: N of the controller "dsmil<N>"
 * @minor: minor number of the device's node
 * @name: device name ("dsmil0:g2d05"), also its node /dev/dsmil/<name>
 */
struct dsmil_dev_entry {
	__u16 token;
	__u8 group;
	__u8 index;
	__u32 state;
	__u32 flags;
	__u32 mmio_size;
	__u32 controller;
	__u32 minor;
	char name[DSMIL_NAME_LEN];
};
#define DSMIL_DEV_ENTRY_SIZE_VER0	56

/**
 * struct dsmil_dev_list_args - DSMIL_IOC_DEV_LIST: the devices
 * @size: sizeof(struct dsmil_dev_list_args)
 * @flags: 0
 * @count: in: entries @entries can hold (0 to ask for the count only);
 *	out: number of devices (may exceed the input: call again)
 * @entry_size: sizeof(struct dsmil_dev_entry) as the caller knows it,
 *	DSMIL_DEV_ENTRY_SIZE_VER0..DSMIL_ARGS_SIZE_MAX; each entry is written
 *	with that stride, bytes the kernel does not know are zeroed
 * @entries: user pointer to @count entries, in token order
 */
struct dsmil_dev_list_args {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 entry_size;
	__u64 entries;
};
#define DSMIL_DEV_LIST_SIZE_VER0	24

/**
 * struct dsmil_reg_args - DSMIL_IOC_REG_READ / DSMIL_IOC_REG_WRITE
 * @size: sizeof(struct dsmil_reg_args)
 * @flags: 0
 * @token: the device
 * @reserved0: 0
 * @offset: byte offset in the device's window, a multiple of 4
 * @value: out for a read, in for a write
 * @reserved1: 0
 */
struct dsmil_reg_args {
	__u32 size;
	__u32 flags;
	__u16 token;
	__u16 reserved0;
	__u32 offset;
	__u32 value;
	__u32 reserved1;
};
#define DSMIL_REG_SIZE_VER0		24

/* Op codes of struct dsmil_reg_op and struct dsmil_token_op. */
#define DSMIL_OP_READ		0
#define DSMIL_OP_WRITE		1

/**
 * struct dsmil_reg_op - one register access of DSMIL_IOC_REG_BATCH
 * @token: the device
 * @op: DSMIL_OP_READ or DSMIL_OP_WRITE
 * @reserved: 0
 * @offset: byte offset in the device's window, a multiple of 4
 * @value: out for a read, in for a write
 * @result: out: 0 or the op's negative errno; -ECANCELED if not attempted
 */
struct dsmil_reg_op {
	__u16 token;
	__u8 op;
	__u8 reserved;
	__u32 offset;
	__u32 value;
	__s32 result;
};
#define DSMIL_REG_OP_ENTRY_SIZE_VER0	16

/**
 * struct dsmil_token_op - one token access of DSMIL_IOC_TOKEN_BATCH
 * @token: the token
 * @op: DSMIL_OP_READ or DSMIL_OP_WRITE
 * @value: out for a read, in for a write
 * @result: out: 0 or the op's negative errno; -ECANCELED if not attempted
 * @reserved: 0
 */
struct dsmil_token_op {
	__u16 token;
	__u16 op;
	__u32 value;
	__s32 result;
	__u32 reserved;
};
#define DSMIL_TOKEN_OP_ENTRY_SIZE_VER0	16

/* Flags of struct dsmil_batch_args. */
#define DSMIL_BATCH_STOP_ON_ERROR (1U << 0)	/* registers: stop at a failure */

/**
 * struct dsmil_batch_args - DSMIL_IOC_REG_BATCH / DSMIL_IOC_TOKEN_BATCH
 * @size: sizeof(struct dsmil_batch_args)
 * @flags: DSMIL_BATCH_STOP_ON_ERROR (REG_BATCH only; TOKEN_BATCH: 0)
 * @count: number of ops, 1..DSMIL_REG_BATCH_MAX or DSMIL_TOKEN_BATCH_MAX
 * @done: out: ops attempted (the rest have result -ECANCELED)
 * @ops: user pointer to @count struct dsmil_reg_op or struct dsmil_token_op
 * @entry_size: (1.1) stride of @ops: sizeof(struct dsmil_reg_op) or
 *	sizeof(struct dsmil_token_op) as the caller knows it; 0 for
 *	DSMIL_*_OP_ENTRY_SIZE_VER0
 * @reserved: (1.1) 0
 *
 * Every op is validated before any runs.  The ioctl succeeds when the batch
 * ran, whatever the ops' results; it fails (-ENOMEM, since 1.1 also for
 * TOKEN_BATCH) when the batch could not run at all.
 */
struct dsmil_batch_args {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 done;
	__u64 ops;
	__u32 entry_size;
	__u32 reserved;
};
#define DSMIL_BATCH_SIZE_VER0		24
#define DSMIL_BATCH_SIZE_VER1		32

/**
 * struct dsmil_token_args - DSMIL_IOC_TOKEN_READ / DSMIL_IOC_TOKEN_WRITE
 * @size: sizeof(struct dsmil_token_args)
 * @flags: 0
 * @token: the token
 * @reserved: 0
 * @value: out for a read, in for a write
 */
struct dsmil_token_args {
	__u32 size;
	__u32 flags;
	__u16 token;
	__u16 reserved;
	__u32 value;
};
#define DSMIL_TOKEN_SIZE_VER0		16

/* Flags out of struct dsmil_token_info_args. */
#define DSMIL_TOKEN_QUARANTINED	(1U << 0)	/* writes always refused */
#define DSMIL_TOKEN_UNLOCKED	(1U << 1)	/* writes allowed now */

/**
 * struct dsmil_token_info_args - DSMIL_IOC_TOKEN_INFO: a token's policy
 * @size: sizeof(struct dsmil_token_info_args)
 * @flags: 0
 * @token: the token
 * @group: out: its group
 * @index: out: its index in the group
 * @token_flags: out: DSMIL_TOKEN_*
 * @unlock_remaining_ms: out: time left in its group's write window
 * @reserved: 0
 */
struct dsmil_token_info_args {
	__u32 size;
	__u32 flags;
	__u16 token;
	__u8 group;
	__u8 index;
	__u32 token_flags;
	__u32 unlock_remaining_ms;
	__u32 reserved;
};
#define DSMIL_TOKEN_INFO_SIZE_VER0	24

/* Flags of struct dsmil_unlock_args for DSMIL_IOC_RELOCK. */
#define DSMIL_RELOCK_ALL	(1U << 0)	/* every group; @group must be 0 */

/**
 * struct dsmil_unlock_args - DSMIL_IOC_UNLOCK / DSMIL_IOC_RELOCK
 * @size: sizeof(struct dsmil_unlock_args)
 * @flags: UNLOCK: 0; RELOCK: 0 or DSMIL_RELOCK_ALL
 * @group: the group
 * @seconds: UNLOCK: length of the write window, 0 for the default; RELOCK: 0
 * @remaining_ms: out: time left in the group's window afterwards
 * @reserved: 0
 */
struct dsmil_unlock_args {
	__u32 size;
	__u32 flags;
	__u32 group;
	__u32 seconds;
	__u32 remaining_ms;
	__u32 reserved;
};
#define DSMIL_UNLOCK_SIZE_VER0		24

/**
 * struct dsmil_verify_args - DSMIL_IOC_VERIFY: transport self-check
 * @size: sizeof(struct dsmil_verify_args)
 * @flags: 0
 * @latency_ns: out: duration of the check
 * @transport: out: name of the transport, NUL-terminated
 */
struct dsmil_verify_args {
	__u32 size;
	__u32 flags;
	__u64 latency_ns;
	char transport[16];
};
#define DSMIL_VERIFY_SIZE_VER0		32

/*
 * DMA directions (1.1), one set for DSMIL_IOC_DMA_LOCK (what the device
 * does with the buffer), DSMIL_IOC_DMA_XFER (where the data goes; not
 * BIDIRECTIONAL) and DSMIL_IOC_DMA_QUERY.  Their values are new, so that
 * the 1.0 values below keep their meaning where they were accepted.
 */
#define DSMIL_DIR_TO_DEVICE		4
#define DSMIL_DIR_FROM_DEVICE		5
#define DSMIL_DIR_BIDIRECTIONAL		6

/* 1.0 directions of DSMIL_IOC_DMA_LOCK, still accepted. */
#define DSMIL_LOCK_TO_DEVICE		1
#define DSMIL_LOCK_FROM_DEVICE		2
#define DSMIL_LOCK_BIDIRECTIONAL	3

/**
 * struct dsmil_dma_lock_args - DSMIL_IOC_DMA_LOCK: lock a user buffer
 * @size: sizeof(struct dsmil_dma_lock_args)
 * @flags: 0
 * @addr: user address, page-aligned
 * @length: bytes, a multiple of the page size
 * @dir: DSMIL_DIR_* (or a 1.0 DSMIL_LOCK_*)
 * @token: a device of the controller that will move the buffer
 * @reserved0: 0
 * @handle: out: the lock, valid for this open file
 * @reserved1: 0
 */
struct dsmil_dma_lock_args {
	__u32 size;
	__u32 flags;
	__u64 addr;
	__u64 length;
	__u32 dir;
	__u16 token;
	__u16 reserved0;
	__u32 handle;
	__u32 reserved1;
};
#define DSMIL_DMA_LOCK_SIZE_VER0	40

/**
 * struct dsmil_dma_handle_args - DSMIL_IOC_DMA_UNLOCK
 * @size: sizeof(struct dsmil_dma_handle_args)
 * @flags: 0
 * @handle: the lock
 * @reserved: 0
 */
struct dsmil_dma_handle_args {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 reserved;
};
#define DSMIL_DMA_HANDLE_SIZE_VER0	16

/* Directions of DSMIL_IOC_DMA_SYNC: who owns the buffer afterwards. */
#define DSMIL_SYNC_FOR_CPU		0
#define DSMIL_SYNC_FOR_DEVICE		1

/**
 * struct dsmil_dma_sync_args - DSMIL_IOC_DMA_SYNC
 * @size: sizeof(struct dsmil_dma_sync_args)
 * @flags: 0
 * @handle: the lock
 * @dir: DSMIL_SYNC_*
 */
struct dsmil_dma_sync_args {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 dir;
};
#define DSMIL_DMA_SYNC_SIZE_VER0	16

/**
 * struct dsmil_dma_segment_entry - one DMA segment of DSMIL_IOC_DMA_QUERY
 * @dma_addr: bus address for the device that masters the bus for the
 *	controller (the pci backend's PCI device: a physical address, an
 *	IOVA behind an IOMMU, a bounce slot under swiotlb), valid for that
 *	device only; DSMIL_DMA_ADDR_NONE for a CPU-only lock
 * @length: bytes
 */
struct dsmil_dma_segment_entry {
	__u64 dma_addr;
	__u64 length;
};
#define DSMIL_DMA_SEGMENT_ENTRY_SIZE_VER0	16

/* Flags of struct dsmil_dma_query_args (1.1). */
#define DSMIL_QUERY_DIR			(1U << 0)	/* @dir as DSMIL_DIR_* */

/* dma_addr of a segment of a CPU-only lock (1.2). */
#define DSMIL_DMA_ADDR_NONE		(~0ULL)

/* lock_flags of struct dsmil_dma_query_args (1.2). */
/* No device masters the bus (emu): no DMA address, the CPU moves data. */
#define DSMIL_LOCK_CPU_ONLY		(1U << 0)
/* The DMA API bounces the mapping (swiotlb): transfers copy through it. */
#define DSMIL_LOCK_BOUNCED		(1U << 1)

/**
 * struct dsmil_dma_query_args - DSMIL_IOC_DMA_QUERY: describe a lock
 * @size: sizeof(struct dsmil_dma_query_args)
 * @flags: 0 or DSMIL_QUERY_DIR (1.1)
 * @handle: the lock
 * @max_segments: in: entries @segments can hold (0: none wanted)
 * @segments: user pointer to @max_segments struct dsmil_dma_segment_entry,
 *	@entry_size apart
 * @addr: out: user address of the buffer
 * @length: out: bytes locked
 * @nr_pages: out: pages pinned
 * @nr_segments: out: DMA segments (may exceed @max_segments)
 * @token: out: the device given at lock time
 * @reserved: 0
 * @dir: out: with DSMIL_QUERY_DIR in @flags DSMIL_DIR_*, else the 1.0
 *	DSMIL_LOCK_* (what a 1.0 program, recompiled or not, compares with)
 * @entry_size: (1.1) sizeof(struct dsmil_dma_segment_entry) as the caller
 *	knows it, 0 for DSMIL_DMA_SEGMENT_ENTRY_SIZE_VER0; each entry's bytes
 *	past the kernel's struct are zeroed
 * @reserved2: (1.1) 0
 * @lock_flags: (1.2) out: DSMIL_LOCK_CPU_ONLY, DSMIL_LOCK_BOUNCED
 * @reserved3: (1.2) 0
 */
struct dsmil_dma_query_args {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 max_segments;
	__u64 segments;
	__u64 addr;
	__u64 length;
	__u32 nr_pages;
	__u32 nr_segments;
	__u16 token;
	__u16 reserved;
	__u32 dir;
	__u32 entry_size;
	__u32 reserved2;
	__u32 lock_flags;
	__u32 reserved3;
};
#define DSMIL_DMA_QUERY_SIZE_VER0	56
#define DSMIL_DMA_QUERY_SIZE_VER1	64
#define DSMIL_DMA_QUERY_SIZE_VER2	72

/* 1.0 directions of DSMIL_IOC_DMA_XFER, still accepted. */
#define DSMIL_XFER_TO_DEVICE		0
#define DSMIL_XFER_FROM_DEVICE		1

/**
 * struct dsmil_dma_xfer_args - DSMIL_IOC_DMA_XFER: move a locked buffer
 * @size: sizeof(struct dsmil_dma_xfer_args)
 * @flags: 0
 * @handle: the lock
 * @dir: DSMIL_DIR_TO_DEVICE or DSMIL_DIR_FROM_DEVICE (or a 1.0
 *	DSMIL_XFER_*)
 * @offset: byte offset in the locked buffer
 * @length: bytes to move
 * @dev_offset: byte offset in the controller's device memory
 * @reserved: 0
 */
struct dsmil_dma_xfer_args {
	__u32 size;
	__u32 flags;
	__u32 handle;
	__u32 dir;
	__u64 offset;
	__u64 length;
	__u32 dev_offset;
	__u32 reserved;
};
#define DSMIL_DMA_XFER_SIZE_VER0	40

/* Modes and flags of DSMIL_IOC_DMA_CLAIM. */
#define DSMIL_CLAIM_SHARED		0
#define DSMIL_CLAIM_EXCLUSIVE		1
#define DSMIL_CLAIM_NONBLOCK		(1U << 0)

/**
 * struct dsmil_dma_claim_args - DSMIL_IOC_DMA_CLAIM / DSMIL_IOC_DMA_RELEASE
 * @size: sizeof(struct dsmil_dma_claim_args)
 * @flags: CLAIM: 0 or DSMIL_CLAIM_NONBLOCK; RELEASE: 0
 * @token: a device of the controller whose DMA engine is claimed
 * @reserved0: 0
 * @mode: CLAIM: DSMIL_CLAIM_*; RELEASE: 0
 * @timeout_ms: CLAIM: longest wait, 0 = no limit; RELEASE: 0
 * @reserved1: 0
 */
struct dsmil_dma_claim_args {
	__u32 size;
	__u32 flags;
	__u16 token;
	__u16 reserved0;
	__u32 mode;
	__u32 timeout_ms;
	__u32 reserved1;
};
#define DSMIL_DMA_CLAIM_SIZE_VER0	24

/* Thermal states. */
#define DSMIL_THERMAL_STATE_OK		0
#define DSMIL_THERMAL_STATE_EMERGENCY	1
/* The sensor cannot be read: guarded operations are refused (fail closed). */
#define DSMIL_THERMAL_STATE_UNKNOWN	2

/**
 * struct dsmil_thermal_args - DSMIL_IOC_THERMAL: the thermal guard
 * @size: sizeof(struct dsmil_thermal_args)
 * @flags: 0
 * @temp_mc: out: latest reading, millidegrees Celsius
 * @limit_mc: out: the emergency threshold
 * @state: out: DSMIL_THERMAL_STATE_*
 * @hysteresis_mc: out: an emergency clears below @limit_mc - this
 */
struct dsmil_thermal_args {
	__u32 size;
	__u32 flags;
	__s32 temp_mc;
	__s32 limit_mc;
	__u32 state;
	__u32 hysteresis_mc;
};
#define DSMIL_THERMAL_SIZE_VER0		24

/**
 * struct dsmil_stats_args - DSMIL_IOC_STATS: counters since load
 * @size: sizeof(struct dsmil_stats_args)
 * @flags: 0
 * @ioctls: ioctls on /dev/dsmil/ctl
 * @reg_reads: register reads (ioctl and read())
 * @reg_writes: register writes (ioctl and write())
 * @reg_errors: register accesses that failed
 * @mmaps: successful mmap() of device nodes
 * @events: events queued to readers
 * @events_dropped: events lost because a reader's queue was full
 * @refused_perm: operations refused for lack of a capability
 * @refused_lockdown: operations refused by kernel lockdown
 * @smi_calls: token ops asked for (dsmil_smi)
 * @smi_reads: of which reads
 * @smi_writes: of which writes
 * @smi_errors: token ops that failed
 * @smi_denied: refused by the token policy
 * @smi_thermal_refusals: refused during a thermal emergency
 * @smi_rate_limited: refused by the rate limit
 * @smi_timeouts: timed out
 * @smi_late_completions: finished after timing out
 * @smi_transport_calls: reached the transport
 * @smi_transport_errors: failed in the transport
 * @smi_last_latency_ns: latency of the latest transport op
 * @smi_max_latency_ns: largest latency of a transport op
 * @dma_locked_bytes: bytes locked now (dsmil_dmalock, all users)
 * @dma_pinned_pages: pages pinned now
 * @dma_handles: locks held now
 * @dma_segments: DMA segments of the locks held now
 * @dma_owners: open files able to lock
 * @dma_locks: locks made
 * @dma_xfers: transfers completed
 * @dma_xfer_bytes: bytes transferred
 * @dma_claim_waits: claims that waited
 * @dma_claim_timeouts: claims that timed out
 *
 * Token counters are 0 without DSMIL_FEATURE_TOKENS, DMA counters without
 * DSMIL_FEATURE_DMA.
 */
struct dsmil_stats_args {
	__u32 size;
	__u32 flags;
	__u64 ioctls;
	__u64 reg_reads;
	__u64 reg_writes;
	__u64 reg_errors;
	__u64 mmaps;
	__u64 events;
	__u64 events_dropped;
	__u64 refused_perm;
	__u64 refused_lockdown;
	__u64 smi_calls;
	__u64 smi_reads;
	__u64 smi_writes;
	__u64 smi_errors;
	__u64 smi_denied;
	__u64 smi_thermal_refusals;
	__u64 smi_rate_limited;
	__u64 smi_timeouts;
	__u64 smi_late_completions;
	__u64 smi_transport_calls;
	__u64 smi_transport_errors;
	__u64 smi_last_latency_ns;
	__u64 smi_max_latency_ns;
	__u64 dma_locked_bytes;
	__u64 dma_pinned_pages;
	__u64 dma_handles;
	__u64 dma_segments;
	__u64 dma_owners;
	__u64 dma_locks;
	__u64 dma_xfers;
	__u64 dma_xfer_bytes;
	__u64 dma_claim_waits;
	__u64 dma_claim_timeouts;
};
#define DSMIL_STATS_SIZE_VER0		264

/* Event types (struct dsmil_event_record.type). */
#define DSMIL_EV_OVERFLOW		1  /* value: events lost before this one */
#define DSMIL_EV_THERMAL_EMERGENCY	2  /* value: temp_mc; aux: limit_mc */
#define DSMIL_EV_THERMAL_CLEARED	3  /* value: temp_mc; aux: limit_mc */
#define DSMIL_EV_DEVICE_ADDED		4  /* token; value: DSMIL_STATE_* */
#define DSMIL_EV_DEVICE_REMOVED		5  /* token */
#define DSMIL_EV_DEVICE_IRQ		6  /* token; aux: the backend's value */
#define DSMIL_EV_SMI_TIMEOUT		7  /* token; value: timeout_ms; aux: op */
#define DSMIL_EV_SMI_RELOCK		8  /* value: the group */
#define DSMIL_EV_THERMAL_UNKNOWN	9  /* value: last temp_mc; aux: limit_mc */

/**
 * struct dsmil_event_record - one event read() from /dev/dsmil/ctl
 * @timestamp_ns: CLOCK_MONOTONIC time of the event
 * @type: DSMIL_EV_*
 * @seq: sequence number for this open file, from 0; an overflow record
 *	takes the place of the lost events' numbers
 * @token: device and SMI events: the token; else 0
 * @reserved: 0
 * @value: per @type
 * @aux: per @type
 * @reserved2: 0
 */
struct dsmil_event_record {
	__u64 timestamp_ns;
	__u32 type;
	__u32 seq;
	__u16 token;
	__u16 reserved;
	__s32 value;
	__u32 aux;
	__u32 reserved2;
};
#define DSMIL_EVENT_RECORD_SIZE		32

#endif /* _UAPI_LINUX_DSMIL_H */
