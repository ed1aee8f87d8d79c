/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dsmil/core.h - the in-kernel API of dsmil_core.
 *
 * dsmil_core owns the hardware: every other module of the suite reaches a
 * dsmil device only through the functions declared here (exported in the
 * DSMIL symbol namespace; users say DSMIL_IMPORT_NS()).  The model, the
 * naming scheme and the error codes are described in
 * Documentation/driver-api/dsmil-core.rst.
 */
#ifndef _DSMIL_CORE_H
#define _DSMIL_CORE_H

#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/notifier.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

/*
 * Version of this API.  Bumped on every incompatible change; a user can
 * refuse to build against a version it does not know with
 * BUILD_BUG_ON(DSMIL_CORE_API_VERSION != 1).
 */
#define DSMIL_CORE_API_VERSION	1

/* First token; device (g, i) has token DSMIL_TOKEN_BASE + g * dpg + i. */
#define DSMIL_TOKEN_BASE	0x8000
/* Layout limits: groups 1-16, devices per group 1-32. */
#define DSMIL_MAX_GROUPS	16
#define DSMIL_MAX_DEVICES_PER_GROUP 32
#define DSMIL_TOKEN_LAST	(DSMIL_TOKEN_BASE + \
				 DSMIL_MAX_GROUPS * DSMIL_MAX_DEVICES_PER_GROUP - 1)

/*
 * Errno of a guarded operation (register write, DMA) refused because a
 * thermal emergency is latched.
 */
#define DSMIL_THERMAL_ERRNO	EHOSTDOWN

struct dsmil_controller;

/**
 * struct dsmil_device - one device of a dsmil controller, on the dsmil bus
 * @dev: the driver-model device; its name is "dsmil<C>:g<G>d<II>"
 *	(controller number, group, two-digit index), e.g. "dsmil0:g2d05"
 * @ctrl: the controller the device belongs to (opaque)
 * @token: token id, DSMIL_TOKEN_BASE + @group * devices_per_group + @index
 * @group: group number, 0 .. groups - 1
 * @index: index within the group, 0 .. devices_per_group - 1
 * @quarantined: the token is on the quarantine list: nothing writes it
 * @absent: the controller's region has no window for this device
 * @mmio_size: size in bytes of the device's register window (0 if absent)
 * @users: holders through dsmil_device_get() and lookups (see "active")
 *
 * All fields but @users are set before the device is registered and never
 * change; they may be read without locking while a reference is held.
 */
struct dsmil_device {
	struct device dev;
	struct dsmil_controller *ctrl;
	u16 token;
	u8 group;
	u8 index;
	bool quarantined;
	bool absent;
	u32 mmio_size;
	atomic_t users;
};

#define to_dsmil_device(d) container_of(d, struct dsmil_device, dev)

/* Match flags of struct dsmil_device_id. */
#define DSMIL_MATCH_TOKEN	BIT(0)
#define DSMIL_MATCH_GROUP	BIT(1)
#define DSMIL_MATCH_INDEX	BIT(2)
/* Every device (the frontend, which gives each one a node). */
#define DSMIL_MATCH_ANY		BIT(3)

/**
 * struct dsmil_device_id - an entry of a dsmil driver's id table
 * @match_flags: which of the fields below must match (DSMIL_MATCH_*);
 *	0 terminates the table
 * @token: token to match with DSMIL_MATCH_TOKEN
 * @group: group to match with DSMIL_MATCH_GROUP
 * @index: index to match with DSMIL_MATCH_INDEX
 * @driver_data: private to the driver
 *
 * The MODALIAS of a device is "dsmil:t%04Xg%02ui%02u" (token, group,
 * index), e.g. "dsmil:t8005g00i05"; drivers get autoloaded with
 * MODULE_ALIAS("dsmil:t8005*") or MODULE_ALIAS("dsmil:t*g01i*").
 */
struct dsmil_device_id {
	u32 match_flags;
	u16 token;
	u8 group;
	u8 index;
	kernel_ulong_t driver_data;
};

/**
 * struct dsmil_driver - a driver of dsmil devices
 * @driver: the driver-model driver; set .name
 * @id_table: devices the driver handles, terminated by a zero entry
 * @probe: bind to a device; @id is the matching table entry
 * @passive: binding does not make the device "active": the driver only
 *	offers the device to userspace (the frontend), and whoever uses it
 *	through the driver holds it with dsmil_device_get()
 * @remove: unbind; the device may already be dead (calls return -ENODEV).
 *	Runs to its end before the backend releases anything of the device:
 *	on removal dsmil_controller_unregister() unbinds every driver (after
 *	marking the controller dead and waiting for running operations) before
 *	it returns to the backend.  A driver that gave userspace a way to the
 *	device (a mapping, a file) must close it here: after @remove returns,
 *	nothing of the driver may touch the device.
 */
struct dsmil_driver {
	struct device_driver driver;
	const struct dsmil_device_id *id_table;
	bool passive;
	int (*probe)(struct dsmil_device *ddev, const struct dsmil_device_id *id);
	void (*remove)(struct dsmil_device *ddev);
};

#define to_dsmil_driver(d) container_of(d, struct dsmil_driver, driver)

int __dsmil_driver_register(struct dsmil_driver *drv, struct module *owner);
#define dsmil_driver_register(drv) __dsmil_driver_register(drv, THIS_MODULE)
void dsmil_driver_unregister(struct dsmil_driver *drv);

/*
 * module_dsmil_driver() - boilerplate of a module that only registers a
 * dsmil driver.
 */
#define module_dsmil_driver(__drv) \
	module_driver(__drv, dsmil_driver_register, dsmil_driver_unregister)

/* Lookup, references, iteration. */
struct dsmil_device *dsmil_device_find(u16 token);
struct dsmil_device *dsmil_device_find_by_pos(unsigned int group,
					      unsigned int index);
struct dsmil_device *dsmil_device_get(struct dsmil_device *ddev);
void dsmil_device_put(struct dsmil_device *ddev);
/* "error", "absent", "quarantined", "active" or "present", as in sysfs. */
const char *dsmil_device_state(struct dsmil_device *ddev);
/* Callback of dsmil_device_iterate(); non-zero stops the walk. */
typedef int (*dsmil_device_fn)(struct dsmil_device *ddev, void *data);
int dsmil_device_iterate(dsmil_device_fn fn, void *data);

/* Registers: 32-bit, 4-byte aligned, inside the device's window. */
int dsmil_dev_read32(struct dsmil_device *ddev, u32 offset, u32 *val);
int dsmil_dev_write32(struct dsmil_device *ddev, u32 offset, u32 val);

/**
 * struct dsmil_window - where a device's register window lives, for mmap
 * @phys: CPU physical address of the window's first byte
 * @size: size in bytes (a multiple of PAGE_SIZE)
 *
 * Map it uncached (pgprot_noncached).  The core cannot guard accesses made
 * through such a mapping: a user that maps windows must revoke its
 * mappings on DSMIL_EVENT_REMOVE and on a thermal emergency.
 */
struct dsmil_window {
	phys_addr_t phys;
	resource_size_t size;
};

int dsmil_dev_window(struct dsmil_device *ddev, struct dsmil_window *win);
int dsmil_dev_window_readonly(struct dsmil_device *ddev,
			      struct dsmil_window *win);

/**
 * enum dsmil_dma_dir - direction of a controller DMA transfer
 * @DSMIL_DMA_TO_DEVICE: from host memory into device memory
 * @DSMIL_DMA_FROM_DEVICE: from device memory into host memory
 */
enum dsmil_dma_dir {
	DSMIL_DMA_TO_DEVICE,
	DSMIL_DMA_FROM_DEVICE,
};

int dsmil_dev_dma_size(struct dsmil_device *ddev, size_t *size);
int dsmil_dev_dma(struct dsmil_device *ddev, enum dsmil_dma_dir dir,
		  u32 dev_offset, void *buf, size_t len);
int dsmil_dev_dma_sg(struct dsmil_device *ddev, enum dsmil_dma_dir dir,
		     u32 dev_offset, struct scatterlist *sgl,
		     unsigned int nents, size_t len);
int dsmil_dev_dma_bus(struct dsmil_device *ddev, enum dsmil_dma_dir dir,
		      u32 dev_offset, dma_addr_t addr, size_t len);
struct device *dsmil_dev_dma_device(struct dsmil_device *ddev);

struct module;
int dsmil_devm_add_action(struct device *dev, void (*action)(void *data),
			  void *data, struct module *owner);
int dsmil_devm_release_action(struct device *dev, void (*action)(void *data),
			      void *data);

/**
 * enum dsmil_event - actions of the device notifier chain
 * @DSMIL_EVENT_ADD: a device was registered (data: struct dsmil_event)
 * @DSMIL_EVENT_REMOVE: a device is going away; its controller is already
 *	dead, every call on it returns -ENODEV
 * @DSMIL_EVENT_IRQ: the device raised an event (an interrupt of the
 *	controller, an emulated doorbell); @value says which
 */
enum dsmil_event {
	DSMIL_EVENT_ADD,
	DSMIL_EVENT_REMOVE,
	DSMIL_EVENT_IRQ,
};

/**
 * struct dsmil_event_data - what a device notifier receives as data
 * @ddev: the device (valid during the call only; take a reference with
 *	dsmil_device_get() to keep it)
 * @value: DSMIL_EVENT_IRQ: the backend's event value (emu: the doorbell
 *	value written; pci: the edu interrupt status); 0 otherwise
 */
struct dsmil_event_data {
	struct dsmil_device *ddev;
	u32 value;
};

int dsmil_register_device_notifier(struct notifier_block *nb);
int dsmil_unregister_device_notifier(struct notifier_block *nb);

/* An emergency clears below thermal_limit_mc minus this (m°C). */
#define DSMIL_THERMAL_HYSTERESIS_MC	5000

/**
 * enum dsmil_thermal_state - state of the thermal guard
 * @DSMIL_THERMAL_OK: guarded operations are allowed
 * @DSMIL_THERMAL_EMERGENCY: the sensor reached thermal_limit_mc; guarded
 *	operations fail with -DSMIL_THERMAL_ERRNO until it falls below
 *	thermal_limit_mc - 5000
 * @DSMIL_THERMAL_UNKNOWN: the sensor cannot be read (an error, its zone
 *	gone or no longer the only one of its type); guarded operations fail
 *	with -DSMIL_THERMAL_ERRNO until it reads again, unless dsmil_core
 *	was loaded with thermal_fail_open=1 (dsmil_thermal_refuses())
 */
enum dsmil_thermal_state {
	DSMIL_THERMAL_OK,
	DSMIL_THERMAL_EMERGENCY,
	DSMIL_THERMAL_UNKNOWN,
};

enum dsmil_thermal_state dsmil_thermal_status(int *temp_mc);
bool dsmil_thermal_refuses(enum dsmil_thermal_state state);
int dsmil_thermal_check(void);
int dsmil_thermal_limit_mc(void);
int dsmil_register_thermal_notifier(struct notifier_block *nb);
int dsmil_unregister_thermal_notifier(struct notifier_block *nb);

#endif /* _DSMIL_CORE_H */
