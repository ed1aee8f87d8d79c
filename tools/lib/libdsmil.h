/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libdsmil.h - C library over the dsmil ioctl ABI (<dsmil/dsmil.h>).
 *
 * The library owns the ioctl details: argument sizes, flags, reserved
 * fields.  Every function that can fail returns 0 or a negative errno (the
 * kernel's, unchanged, or one of its own documented with the function) and
 * leaves its outputs untouched on error; errno itself is not used.
 *
 * Thread safety: the library keeps no global state.  A struct dsmil may be
 * used by several threads at once (every call is one or a few ioctls on
 * its file descriptor) but not while dsmil_close() runs.
 *
 * See libdsmil(3) and Documentation/userspace-api/dsmil.rst.
 */
#ifndef LIBDSMIL_H
#define LIBDSMIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dsmil/dsmil.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this library's API (the soname is libdsmil.so.MAJOR). */
#define LIBDSMIL_VERSION_MAJOR	1
#define LIBDSMIL_VERSION_MINOR	0

#define DSMIL_CTL_PATH		"/dev/dsmil/ctl"
#define DSMIL_DEV_DIR		"/dev/dsmil"

/* Flags of dsmil_open(). */
#define DSMIL_OPEN_WRITE	(1U << 0)	/* open for writing (privileged ops) */
#define DSMIL_OPEN_NONBLOCK	(1U << 1)	/* dsmil_event_read() never blocks */

/* An open /dev/dsmil/ctl. */
struct dsmil;

/*
 * dsmil_open() - open the control node
 * @path: NULL for DSMIL_CTL_PATH
 * @flags: DSMIL_OPEN_*
 * @out: receives the handle
 *
 * Return: 0, -EINVAL (unknown flag), -ENOMEM, the errno of open(2)
 * (-ENOENT: the dsmil module is not loaded), or -EPROTO if the kernel's
 * ABI major version is not the one this library speaks.
 */
int dsmil_open(const char *path, unsigned int flags, struct dsmil **out);

/* dsmil_close() - close a handle (NULL is ignored). */
void dsmil_close(struct dsmil *d);

/* dsmil_fd() - the file descriptor, for poll(2). */
int dsmil_fd(const struct dsmil *d);

/* Versions, features and layout (DSMIL_IOC_INFO). */
struct dsmil_info {
	uint32_t abi_major;
	uint32_t abi_minor;
	uint32_t features;		/* DSMIL_FEATURE_* */
	uint32_t nr_devices;
	uint32_t groups;
	uint32_t devices_per_group;
	char version[DSMIL_NAME_LEN];
	char smi_transport[16];
};

int dsmil_get_info(struct dsmil *d, struct dsmil_info *info);

/* One device (DSMIL_IOC_DEV_LIST). */
struct dsmil_device_info {
	uint16_t token;
	uint8_t group;
	uint8_t index;
	uint32_t state;			/* DSMIL_STATE_* */
	bool quarantined;
	bool absent;
	bool mappable;
	uint32_t mmio_size;
	uint32_t controller;
	char name[DSMIL_NAME_LEN];	/* also /dev/dsmil/<name> */
};

/*
 * dsmil_list_devices() - every device, in registration order
 * @devs: receives a malloc()ed array (free() it); NULL when @count is 0
 * @count: receives the number of devices
 */
int dsmil_list_devices(struct dsmil *d, struct dsmil_device_info **devs,
		       size_t *count);

/*
 * dsmil_match_device() - find a device in a list by what a user typed
 * @spec: a device name ("dsmil0:g2d05"), a position ("g2d05", "g2d5"),
 *	or a token, decimal or 0x-hex ("0x801d", "32797")
 *
 * A position or token matches the first device in @devs that has it.
 * Return: the index in @devs, -EINVAL for a malformed @spec, -ENOENT if
 * no device matches.
 */
int dsmil_match_device(const struct dsmil_device_info *devs, size_t count,
		       const char *spec);

/* dsmil_find_device() - dsmil_list_devices() + dsmil_match_device(). */
int dsmil_find_device(struct dsmil *d, const char *spec,
		      struct dsmil_device_info *dev);

/* "present", "active", "quarantined", "absent", "error" or "unknown". */
const char *dsmil_state_name(uint32_t state);

/* Registers (DSMIL_IOC_REG_*). */
int dsmil_reg_read(struct dsmil *d, uint16_t token, uint32_t offset,
		   uint32_t *value);
int dsmil_reg_write(struct dsmil *d, uint16_t token, uint32_t offset,
		    uint32_t value);
/*
 * dsmil_reg_batch() - run @count ops; each op's result is in ops[i].result
 * @flags: 0 or DSMIL_BATCH_STOP_ON_ERROR
 * @done: if not NULL, receives the number of ops attempted
 *
 * Return: 0 when the batch ran (whatever the ops' results), or the
 * batch's errno (-EINVAL, -EPERM, ...: then no op ran).
 */
int dsmil_reg_batch(struct dsmil *d, struct dsmil_reg_op *ops, uint32_t count,
		    unsigned int flags, uint32_t *done);

/*
 * dsmil_dev_open() - open a device node /dev/dsmil/<name>
 * @write: open for writing (needs CAP_SYS_RAWIO)
 *
 * Return: the file descriptor (pread/pwrite of registers, mmap), or a
 * negative errno.
 */
int dsmil_dev_open(const struct dsmil_device_info *dev, bool write);

/*
 * dsmil_dev_map() - mmap a device's register window (MAP_SHARED)
 * @fd: from dsmil_dev_open()
 * @len: bytes, at most mmio_size
 * @write: map writable (fd open for writing, device not quarantined)
 * @regs: receives the mapping; unmap with munmap(2)
 */
int dsmil_dev_map(int fd, size_t len, bool write, volatile uint32_t **regs);

/* Firmware tokens (DSMIL_IOC_TOKEN_*, UNLOCK, RELOCK, VERIFY). */
int dsmil_token_read(struct dsmil *d, uint16_t token, uint32_t *value);
int dsmil_token_write(struct dsmil *d, uint16_t token, uint32_t value);
/* As dsmil_reg_batch(), at most DSMIL_TOKEN_BATCH_MAX ops, no flags. */
int dsmil_token_batch(struct dsmil *d, struct dsmil_token_op *ops,
		      uint32_t count, uint32_t *done);

struct dsmil_token_info {
	uint16_t token;
	uint8_t group;
	uint8_t index;
	bool quarantined;
	bool unlocked;
	uint32_t unlock_remaining_ms;
};

int dsmil_token_info(struct dsmil *d, uint16_t token,
		     struct dsmil_token_info *info);
/* @seconds 0: the module's default; @remaining_ms may be NULL. */
int dsmil_unlock(struct dsmil *d, uint32_t group, uint32_t seconds,
		 uint32_t *remaining_ms);
int dsmil_relock(struct dsmil *d, uint32_t group);
int dsmil_relock_all(struct dsmil *d);
/* @transport (may be NULL) receives the transport's name. */
int dsmil_verify(struct dsmil *d, char *transport, size_t transport_len,
		 uint64_t *latency_ns);

/*
 * DMA (DSMIL_IOC_DMA_*); locks and claims belong to the handle.  @dir of
 * dsmil_dma_lock() and dsmil_dma_xfer() is DSMIL_DIR_* (translated for a
 * kernel of ABI 1.0) or the command's 1.0 value.
 */
int dsmil_dma_lock(struct dsmil *d, void *addr, size_t len, uint32_t dir,
		   uint16_t token, uint32_t *handle);
int dsmil_dma_unlock(struct dsmil *d, uint32_t handle);
int dsmil_dma_sync(struct dsmil *d, uint32_t handle, uint32_t dir);

struct dsmil_dma_info {
	uint64_t addr;
	uint64_t length;
	uint32_t nr_pages;
	uint32_t nr_segments;
	uint16_t token;
	uint32_t dir;		/* the 1.0 DSMIL_LOCK_* */
	uint32_t lock_flags;	/* DSMIL_LOCK_CPU_ONLY, _BOUNCED (0 before 1.2) */
};

/* @segs may be NULL when @max_segs is 0. */
int dsmil_dma_query(struct dsmil *d, uint32_t handle,
		    struct dsmil_dma_info *info,
		    struct dsmil_dma_segment_entry *segs, uint32_t max_segs);
int dsmil_dma_xfer(struct dsmil *d, uint32_t handle, uint32_t dir,
		   uint64_t offset, uint32_t dev_offset, uint64_t len);
/* @timeout_ms 0: wait without limit; @flags: DSMIL_CLAIM_NONBLOCK. */
int dsmil_dma_claim(struct dsmil *d, uint16_t token, uint32_t mode,
		    unsigned int flags, uint32_t timeout_ms);
int dsmil_dma_release(struct dsmil *d, uint16_t token);

/* Thermal guard (DSMIL_IOC_THERMAL). */
struct dsmil_thermal {
	int32_t temp_mc;
	int32_t limit_mc;
	int32_t hysteresis_mc;
	bool emergency;
	/* The sensor cannot be read (temp_mc: the last good reading). */
	bool unknown;
};

int dsmil_get_thermal(struct dsmil *d, struct dsmil_thermal *t);

/* Counters (DSMIL_IOC_STATS); the library sets size and flags. */
int dsmil_get_stats(struct dsmil *d, struct dsmil_stats_args *stats);

/*
 * dsmil_event_read() - the next event of the stream
 * @timeout_ms: -1 to wait without limit, 0 not to wait
 *
 * Return: 0, -EAGAIN if none came in time, -EINTR, or read(2)'s errno.
 */
int dsmil_event_read(struct dsmil *d, struct dsmil_event_record *ev,
		     int timeout_ms);

/* "thermal-emergency", "device-added", ... or "unknown". */
const char *dsmil_event_name(uint32_t type);

#ifdef __cplusplus
}
#endif

#endif /* LIBDSMIL_H */
