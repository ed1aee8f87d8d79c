// SPDX-License-Identifier: GPL-2.0
/*
 * node.c - the driver "dsmil" of the dsmil bus: one node
 * /dev/dsmil/<device> per device it is bound to.
 *
 * The frontend binds to every device (DSMIL_MATCH_ANY) through the driver
 * model: registering the driver probes the devices that exist, the core's
 * device_add() probes new ones, and "bind"/"unbind" in
 * /sys/bus/dsmil/drivers/dsmil/ work as on any bus.  probe creates the
 * node; remove, which the core runs before it lets the backend release
 * anything of the device (dsmil_controller_unregister()), marks the node
 * gone under node->lock held for write, so that no operation through the
 * node is running when it returns and none starts afterwards (-ENODEV),
 * revokes every user mapping (later accesses fault with SIGBUS) and
 * destroys the char device.  The frontend allocates nothing on the
 * removal path, so no allocation failure can lose a removal.
 * The core's device notifier only carries the devices' interrupts to the
 * event queues.
 *
 * A node holds a device reference on its dsmil device, not a user
 * reference: the device shows "active" in sysfs only while a node file is
 * open.  Open files of a removed node keep the node's memory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "frontend.h"

static const char *const dsmil_fe_state_names[] = {
	[DSMIL_STATE_PRESENT] = "present",
	[DSMIL_STATE_ACTIVE] = "active",
	[DSMIL_STATE_QUARANTINED] = "quarantined",
	[DSMIL_STATE_ABSENT] = "absent",
	[DSMIL_STATE_ERROR] = "error",
};

/**
 * dsmil_fe_state() - a device's state as a DSMIL_STATE_* value
 * @ddev: the device (a reference held)
 *
 * Context: any.
 * Return: the state; DSMIL_STATE_ERROR for a state this ABI does not know.
 */
u32 dsmil_fe_state(struct dsmil_device *ddev)
{
	int i = match_string(dsmil_fe_state_names,
			     ARRAY_SIZE(dsmil_fe_state_names),
			     dsmil_device_state(ddev));

	return i < 0 ? DSMIL_STATE_ERROR : i;
}

static void dsmil_fe_node_release(struct kref *ref)
{
	struct dsmil_fe_node *node = container_of(ref, struct dsmil_fe_node, ref);

	put_device(&node->ddev->dev);
	/* Lookups by token may still be looking at it. */
	kfree_rcu(node, rcu);
}

/**
 * dsmil_fe_node_put() - drop a reference on a node
 * @node: the node, or NULL
 *
 * Context: process context.
 */
void dsmil_fe_node_put(struct dsmil_fe_node *node)
{
	if (node)
		kref_put(&node->ref, dsmil_fe_node_release);
}

/**
 * dsmil_fe_node_get_minor() - the node of a minor number
 * @minor: minor of an opened inode
 *
 * Context: process context.
 * Return: the node with a reference, or NULL if there is none or it is gone.
 */
struct dsmil_fe_node *dsmil_fe_node_get_minor(unsigned int minor)
{
	struct dsmil_fe_node *node;

	mutex_lock(&dsmil_fe.lock);
	node = xa_load(&dsmil_fe.nodes, minor);
	if (node && !node->gone)
		kref_get(&node->ref);
	else
		node = NULL;
	mutex_unlock(&dsmil_fe.lock);
	return node;
}

/**
 * dsmil_fe_node_get_token() - the node of a token
 * @token: the token
 *
 * With several controllers, the first one that has @token wins.
 *
 * Context: any (RCU lookup).
 * Return: the node with a reference, or NULL if no live node has @token.
 */
struct dsmil_fe_node *dsmil_fe_node_get_token(u16 token)
{
	struct dsmil_fe_node *node;

	rcu_read_lock();
	node = xa_load(&dsmil_fe.tokens, token);
	if (node && (READ_ONCE(node->gone) || !kref_get_unless_zero(&node->ref)))
		node = NULL;
	rcu_read_unlock();
	return node;
}

/* Called with dsmil_fe.lock held after the registry changed. */
static void dsmil_fe_layout_update(void)
{
	unsigned int nr = 0, groups = 0, per_group = 0;
	struct dsmil_fe_node *node;
	unsigned long minor;

	xa_for_each(&dsmil_fe.nodes, minor, node) {
		nr++;
		groups = max_t(unsigned int, groups, node->ddev->group + 1);
		per_group = max_t(unsigned int, per_group, node->ddev->index + 1);
	}
	WRITE_ONCE(dsmil_fe.nr_nodes, nr);
	WRITE_ONCE(dsmil_fe.groups, groups);
	WRITE_ONCE(dsmil_fe.per_group, per_group);
}

/* Called with dsmil_fe.lock held. */
static int dsmil_fe_node_create(struct dsmil_device *ddev)
{
	struct dsmil_fe_node *node;
	struct device *dev;
	u32 minor;
	int ret;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;
	kref_init(&node->ref);
	node->ddev = ddev;
	get_device(&ddev->dev);
	mutex_init(&node->files_lock);
	INIT_LIST_HEAD(&node->files);
	init_rwsem(&node->lock);

	ret = xa_alloc(&dsmil_fe.nodes, &minor, node,
		       XA_LIMIT(1, DSMIL_FE_MINORS - 1), GFP_KERNEL);
	if (ret)
		goto err_put_node;
	node->minor = minor;
	dev = device_create(&dsmil_fe_class, NULL,
			    MKDEV(MAJOR(dsmil_fe.devt), minor), node, "%s",
			    dev_name(&ddev->dev));
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		goto err_erase_minor;
	}
	node->dev = dev;
	/* -EBUSY: another controller has the token and keeps it. */
	ret = xa_insert(&dsmil_fe.tokens, ddev->token, node, GFP_KERNEL);
	if (ret && ret != -EBUSY)
		goto err_destroy_dev;
	dev_set_drvdata(&ddev->dev, node);
	dsmil_fe_layout_update();
	return 0;

err_destroy_dev:
	device_destroy(&dsmil_fe_class, MKDEV(MAJOR(dsmil_fe.devt), minor));
err_erase_minor:
	xa_erase(&dsmil_fe.nodes, minor);
err_put_node:
	dsmil_fe_node_put(node);
	dev_err(&ddev->dev, "cannot create its node: %d\n", ret);
	return ret;
}

/* Called with dsmil_fe.lock held. */
static void dsmil_fe_node_remove(struct dsmil_fe_node *node)
{
	struct dsmil_fe_node *other;
	u16 token = node->ddev->token;
	unsigned long minor;

	/*
	 * Waits for the operations and faults in progress; none starts once
	 * this is seen under node->lock.
	 */
	down_write(&node->lock);
	WRITE_ONCE(node->gone, true);
	up_write(&node->lock);
	dsmil_fe_node_revoke(node);

	device_destroy(&dsmil_fe_class, MKDEV(MAJOR(dsmil_fe.devt), node->minor));
	node->dev = NULL;
	xa_erase(&dsmil_fe.nodes, node->minor);
	if (xa_load(&dsmil_fe.tokens, token) == node) {
		xa_erase(&dsmil_fe.tokens, token);
		xa_for_each(&dsmil_fe.nodes, minor, other) {
			if (other->ddev->token == token) {
				xa_store(&dsmil_fe.tokens, token, other,
					 GFP_KERNEL);
				break;
			}
		}
	}
	dsmil_fe_layout_update();
	dsmil_fe_node_put(node);
}

static int dsmil_fe_probe(struct dsmil_device *ddev,
			  const struct dsmil_device_id *id)
{
	int ret;

	/* A device of a controller being removed: it will not stay. */
	if (dsmil_fe_state(ddev) == DSMIL_STATE_ERROR)
		return -ENODEV;
	mutex_lock(&dsmil_fe.lock);
	ret = dsmil_fe_node_create(ddev);
	mutex_unlock(&dsmil_fe.lock);
	if (ret)
		return ret;
	dsmil_fe_event_post(DSMIL_EV_DEVICE_ADDED, ddev->token,
			    dsmil_fe_state(ddev), 0);
	return 0;
}

static void dsmil_fe_remove(struct dsmil_device *ddev)
{
	struct dsmil_fe_node *node = dev_get_drvdata(&ddev->dev);

	mutex_lock(&dsmil_fe.lock);
	dsmil_fe_node_remove(node);
	mutex_unlock(&dsmil_fe.lock);
	dev_set_drvdata(&ddev->dev, NULL);
	dsmil_fe_event_post(DSMIL_EV_DEVICE_REMOVED, ddev->token, 0, 0);
}

static const struct dsmil_device_id dsmil_fe_ids[] = {
	{ .match_flags = DSMIL_MATCH_ANY },
	{ }
};

static struct dsmil_driver dsmil_fe_driver = {
	.driver.name = "dsmil",
	.id_table = dsmil_fe_ids,
	/* A node offers the device; its open files hold it ("active"). */
	.passive = true,
	.probe = dsmil_fe_probe,
	.remove = dsmil_fe_remove,
};

/* The core's device notifier: only interrupts (atomic context, IRQs). */
static int dsmil_fe_device_event(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct dsmil_event_data *ev = data;

	if (action == DSMIL_EVENT_IRQ)
		dsmil_fe_event_post(DSMIL_EV_DEVICE_IRQ, ev->ddev->token, 0,
				    ev->value);
	return NOTIFY_DONE;
}

static struct notifier_block dsmil_fe_device_nb = {
	.notifier_call = dsmil_fe_device_event,
};

/**
 * dsmil_fe_nodes_init() - register the driver: a node for every device
 *
 * A device whose probe fails (no memory, no minor left) stays unbound and
 * gets no node; the kernel log says why.
 *
 * Return: 0 or a negative errno (nothing left registered).
 */
int dsmil_fe_nodes_init(void)
{
	int ret;

	ret = dsmil_register_device_notifier(&dsmil_fe_device_nb);
	if (ret)
		return ret;
	ret = dsmil_driver_register(&dsmil_fe_driver);
	if (ret)
		dsmil_unregister_device_notifier(&dsmil_fe_device_nb);
	return ret;
}

/**
 * dsmil_fe_nodes_exit() - unregister the driver: every node removed
 *
 * No node file may be open (they pin the module).
 */
void dsmil_fe_nodes_exit(void)
{
	dsmil_driver_unregister(&dsmil_fe_driver);
	dsmil_unregister_device_notifier(&dsmil_fe_device_nb);
	WARN_ON(!xa_empty(&dsmil_fe.nodes));
	xa_destroy(&dsmil_fe.nodes);
	xa_destroy(&dsmil_fe.tokens);
}

/**
 * dsmil_fe_nodes_revoke_all() - revoke the mappings of every node
 *
 * Context: process context; takes dsmil_fe.lock.
 */
void dsmil_fe_nodes_revoke_all(void)
{
	struct dsmil_fe_node *node;
	unsigned long minor;

	mutex_lock(&dsmil_fe.lock);
	xa_for_each(&dsmil_fe.nodes, minor, node)
		dsmil_fe_node_revoke(node);
	mutex_unlock(&dsmil_fe.lock);
}

/**
 * dsmil_fe_layout() - how many devices have nodes, in which layout
 * @nr: receives the number of nodes
 * @groups: receives the highest group number + 1 (0 without nodes)
 * @per_group: receives the highest index + 1 (0 without nodes)
 *
 * Context: any; the three values may come from two sides of a change.
 */
void dsmil_fe_layout(u32 *nr, u32 *groups, u32 *per_group)
{
	*nr = READ_ONCE(dsmil_fe.nr_nodes);
	*groups = READ_ONCE(dsmil_fe.groups);
	*per_group = READ_ONCE(dsmil_fe.per_group);
}

static int dsmil_fe_count_device(struct dsmil_device *ddev, void *data)
{
	u32 *l = data;

	if (dsmil_fe_state(ddev) == DSMIL_STATE_ERROR)
		return 0;
	l[0]++;
	l[1] = max_t(u32, l[1], ddev->group + 1);
	l[2] = max_t(u32, l[2], ddev->index + 1);
	return 0;
}

/**
 * dsmil_fe_core_layout() - dsmil_fe_layout() of the core's devices
 * @nr: receives the number of devices (not in state "error")
 * @groups: receives the highest group number + 1 (0 without devices)
 * @per_group: receives the highest index + 1 (0 without devices)
 *
 * For the layout check at load, before any node exists.
 *
 * Context: process context.
 */
void dsmil_fe_core_layout(u32 *nr, u32 *groups, u32 *per_group)
{
	u32 l[3] = { 0, 0, 0 };

	dsmil_device_iterate(dsmil_fe_count_device, l);
	*nr = l[0];
	*groups = l[1];
	*per_group = l[2];
}
