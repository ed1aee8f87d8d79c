/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core.h - what the files of dsmil_core share (not exported).
 *
 * Who owns what:
 *  - params.c: module parameters, validated once at load (dsmil_params).
 *  - bus.c: the dsmil bus type and driver registration.
 *  - controller.c: controllers (one per backend instance) and their
 *    devices, the liveness rule (dsmil_srcu + ctrl->dead).
 *  - device.c: the exported device API (lookup, registers, DMA, windows,
 *    notifiers).
 *  - sysfs.c, debugfs.c: attributes.
 *  - thermal.c: the sensor, the guard and its monitor.
 *  - chunk.c: lazily ioremapped chunks of a large MMIO region.
 *  - layout.c: token ids, window arithmetic, parameter checks (pure).
 *  - backend_*.c: one file per backend.
 */
#ifndef _DSMIL_CORE_INTERNAL_H
#define _DSMIL_CORE_INTERNAL_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/srcu.h>
#include <linux/types.h>

#include <dsmil/build.h>
#include <dsmil/core.h>
#include <dsmil_compat.h>

#define DSMIL_QUARANTINE_MAX	32
#define DSMIL_EMU_WINDOW_SIZE	0x1000
#define DSMIL_EMU_DMA_DELAY_MAX_MS	10000

enum dsmil_backend {
	DSMIL_BACKEND_AUTO,
	DSMIL_BACKEND_EMU,
	DSMIL_BACKEND_PCI,
	DSMIL_BACKEND_PLATFORM,
};

/* Validated module parameters; read-only after dsmil_params_validate(). */
struct dsmil_params {
	enum dsmil_backend backend;
	unsigned int groups;
	unsigned int devices_per_group;
	phys_addr_t mmio_base;
	u64 mmio_size;
	u32 chunk_size;
	unsigned int max_mapped_chunks;
	unsigned int pci_dma_bits;
	unsigned int nr_quarantine;
	u16 quarantine[DSMIL_QUARANTINE_MAX];
	int thermal_limit_mc;
	const char *thermal_zone;	/* "" = the emulated sensor */
	bool thermal_fail_open;
};

extern struct dsmil_params dsmil_params;

int dsmil_params_validate(void);
const char *dsmil_backend_name(enum dsmil_backend backend);
bool dsmil_token_quarantined(u16 token);

/**
 * struct dsmil_controller_ops - what a backend provides
 * @backend: which backend this is (for sysfs "backend")
 * @read32: read the register at @offset of @ddev's window; @offset is
 *	checked (aligned, inside the window, device not absent)
 * @write32: write it; the core has already refused quarantined devices and
 *	thermal emergencies
 * @window: physical address of @ddev's window; NULL if not mappable
 * @dma: copy @len bytes (at most ctrl->dma_size - @dev_offset) between
 *	@buf and device memory; NULL if the controller has no DMA engine.
 *	Called with ctrl->dma_lock held.
 * @dma_bus: have the engine move @len bytes between device memory and bus
 *	address @addr of a streaming mapping made on ctrl->dma_dev; NULL if
 *	no device of the controller masters the bus.  Called with
 *	ctrl->dma_lock held.
 *
 * Every op runs inside an SRCU read section of dsmil_srcu, with
 * ctrl->dead false when it started: a backend may touch its hardware
 * until dsmil_controller_unregister() returns.  Ops may sleep.
 */
struct dsmil_controller_ops {
	enum dsmil_backend backend;
	int (*read32)(struct dsmil_controller *ctrl, struct dsmil_device *ddev,
		      u32 offset, u32 *val);
	int (*write32)(struct dsmil_controller *ctrl, struct dsmil_device *ddev,
		       u32 offset, u32 val);
	int (*window)(struct dsmil_controller *ctrl, struct dsmil_device *ddev,
		      struct dsmil_window *win);
	int (*dma)(struct dsmil_controller *ctrl, enum dsmil_dma_dir dir,
		   u32 dev_offset, void *buf, size_t len);
	int (*dma_bus)(struct dsmil_controller *ctrl, enum dsmil_dma_dir dir,
		       u32 dev_offset, dma_addr_t addr, size_t len);
};

/**
 * struct dsmil_controller - one backend instance and its devices
 * @dev: the controller device (class "dsmil_controller", name "dsmil<N>")
 * @id: N of the name
 * @ops: the backend
 * @owner: module of the backend, pinned while a dsmil driver is bound
 * @dead: set once by dsmil_controller_unregister(); read under dsmil_srcu
 * @failed: the backend saw its hardware stop answering (devices: "error")
 * @registered: device_add() of @dev succeeded
 * @groups: layout, copied from the parameters at creation
 * @devices_per_group: layout
 * @nr_devs: groups * devices_per_group
 * @win_size: size of every device window
 * @region_size: size of the region the windows are laid over
 * @dma_size: size of the device memory reachable by @ops->dma (0: none)
 * @dma_lock: serializes @ops->dma
 * @engine_start: region offset of the registers the backend's own engine
 *	owns (pci: edu's interrupt and DMA registers), which nobody else may
 *	write: the API refuses writes to them and writable windows holding
 *	them (-EACCES)
 * @engine_size: bytes of those registers (0: none)
 * @devs: the devices, index g * devices_per_group + i; references owned
 *	by the controller until dsmil_controller_unregister()
 * @node: in the list of live controllers
 * @debugfs: the controller's debugfs directory (may be an error pointer)
 * @priv: the backend's data, allocated with the controller
 * @dma_dev: the device that masters the bus for @ops->dma_bus (pci: the
 *	pci_dev), on which host memory is mapped; NULL if none
 */
struct dsmil_controller {
	struct device dev;
	int id;
	const struct dsmil_controller_ops *ops;
	struct module *owner;
	bool dead;
	bool failed;
	bool registered;
	unsigned int groups;
	unsigned int devices_per_group;
	unsigned int nr_devs;
	u32 win_size;
	u64 region_size;
	size_t dma_size;
	struct mutex dma_lock;	/* serializes ops->dma */
	u64 engine_start;
	u32 engine_size;
	struct dsmil_device **devs;
	struct list_head node;
	struct dentry *debugfs;
	void *priv;
	struct device *dma_dev;
};

#define to_dsmil_controller(d) container_of(d, struct dsmil_controller, dev)

extern struct srcu_struct dsmil_srcu;

/* bus.c */
extern DSMIL_BUS_TYPE(dsmil_bus_type);
int dsmil_bus_init(void);
void dsmil_bus_exit(void);

/* controller.c */
struct dsmil_controller *dsmil_controller_alloc(struct device *parent,
						const struct dsmil_controller_ops *ops,
						u64 region_size, u32 win_size,
						size_t priv_size);
int dsmil_controller_register(struct dsmil_controller *ctrl);
void dsmil_controller_unregister(struct dsmil_controller *ctrl);
void dsmil_controller_put(struct dsmil_controller *ctrl);
void dsmil_controller_event(struct dsmil_controller *ctrl, unsigned int nr,
			    u32 value);
u64 dsmil_window_offset(struct dsmil_device *ddev);
u32 dsmil_window_size(u64 region_size);
unsigned int dsmil_controller_count(void);
int dsmil_controller_class_init(void);
void dsmil_controller_class_exit(void);

/* device.c */
void dsmil_notify_device(enum dsmil_event event, struct dsmil_device *ddev,
			 u32 value);

/* sysfs.c */
extern const struct attribute_group *dsmil_device_groups[];
extern const struct attribute_group *dsmil_controller_groups[];
const char *dsmil_device_state(struct dsmil_device *ddev);

/* debugfs.c */
void dsmil_debugfs_init(void);
void dsmil_debugfs_exit(void);
struct dentry *dsmil_debugfs_root(void);
void dsmil_debugfs_add_controller(struct dsmil_controller *ctrl);
void dsmil_debugfs_remove_controller(struct dsmil_controller *ctrl);

/* thermal.c */
int dsmil_thermal_init(void);
void dsmil_thermal_exit(void);
int dsmil_thermal_guard(void);
int dsmil_thermal_emu_set(int temp_mc);
int dsmil_thermal_emu_get(void);
void dsmil_thermal_emu_set_error(int err);
int dsmil_thermal_emu_get_error(void);
const char *dsmil_thermal_state_name(enum dsmil_thermal_state state);

/* layout.c: pure arithmetic and parameter checks */
u16 dsmil_layout_token(unsigned int devices_per_group, unsigned int group,
		       unsigned int index);
u32 dsmil_layout_window_size(u64 region_size, unsigned int nr_devs);
u64 dsmil_layout_window_offset(unsigned int devices_per_group,
			       unsigned int group, unsigned int index,
			       u32 win_size);
bool dsmil_layout_window_fits(unsigned int devices_per_group,
			      unsigned int group, unsigned int index,
			      u32 win_size, u64 region_size);
bool dsmil_layout_mmio_size_ok(u64 size);
bool dsmil_layout_mmio_base_ok(u64 base, u64 size, bool required);
bool dsmil_layout_chunk_size_ok(u64 chunk_size);
int dsmil_layout_parse_tokens(char *list, u16 *tokens, unsigned int max,
			      unsigned int *nr, const char **bad);

/* chunk.c */
struct dsmil_chunk_map;
struct dsmil_chunk_map *dsmil_chunk_map_create(phys_addr_t base, u64 size,
					       u32 chunk_size,
					       unsigned int max_live);
void dsmil_chunk_map_destroy(struct dsmil_chunk_map *map);
int dsmil_chunk_read32(struct dsmil_chunk_map *map, u64 offset, u32 *val);
int dsmil_chunk_write32(struct dsmil_chunk_map *map, u64 offset, u32 val);
void dsmil_chunk_map_debugfs(struct dsmil_chunk_map *map,
			     struct dentry *dir);

/* backend_*.c: start returns 0 with at least one controller, or -errno */
extern u32 dsmil_emu_dma_delay_ms;
int dsmil_emu_start(void);
void dsmil_emu_stop(void);
int dsmil_pci_start(void);
void dsmil_pci_stop(void);
int dsmil_platform_start(void);
void dsmil_platform_stop(void);

#endif /* _DSMIL_CORE_INTERNAL_H */
