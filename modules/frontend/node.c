// SPDX-License-Identifier: GPL-2.0
/*
 * node.c - one node /dev/dsmil/<device> per dsmil device.
 *
 * The core's device notifier runs in atomic context, so it only queues the
 * event; node_work creates and removes the nodes in process context, in
 * the order the events came.  At load the devices that already exist get
 * their nodes from a walk of the bus, after the notifier is registered, so
 * that no device is missed; a device seen twice gets one node.
 *
 * A node holds a device reference on its dsmil device, not a user
 * reference: the device shows "active" in sysfs only while a node file is
 * open.  A removed device's node is marked gone, its mappings revoked and
 * its char device destroyed; open files keep the node's memory and get
 * -ENODEV.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "frontend.h"

/**
 * struct dsmil_fe_pending - a device event waiting for node_work
 * @link: in dsmil_fe.pending
 * @action: DSMIL_EVENT_ADD or DSMIL_EVENT_REMOVE
 * @ddev: the device (a device reference held)
 */
struct dsmil_fe_pending {
	struct list_head link;
	unsigned long action;
	struct dsmil_device *ddev;
};

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

/* Called with dsmil_fe.lock held. */
static struct dsmil_fe_node *dsmil_fe_node_find(struct dsmil_device *ddev)
{
	struct dsmil_fe_node *node;
	unsigned long minor;

	xa_for_each(&dsmil_fe.nodes, minor, node)
		if (node->ddev == ddev)
			return node;
	return NULL;
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

	if (dsmil_fe_node_find(ddev))
		return 0;
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return -ENOMEM;
	kref_init(&node->ref);
	node->ddev = ddev;
	get_device(&ddev->dev);
	mutex_init(&node->files_lock);
	INIT_LIST_HEAD(&node->files);
	init_rwsem(&node->map_lock);

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

	/* No fault maps the window once this is seen under map_lock. */
	down_write(&node->map_lock);
	WRITE_ONCE(node->gone, true);
	up_write(&node->map_lock);
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

static void dsmil_fe_node_work(struct work_struct *work)
{
	struct dsmil_fe_pending *p;
	struct dsmil_fe_node *node;

	for (;;) {
		spin_lock_irq(&dsmil_fe.pending_lock);
		p = list_first_entry_or_null(&dsmil_fe.pending,
					     struct dsmil_fe_pending, link);
		if (p)
			list_del(&p->link);
		spin_unlock_irq(&dsmil_fe.pending_lock);
		if (!p)
			break;

		mutex_lock(&dsmil_fe.lock);
		if (p->action == DSMIL_EVENT_ADD) {
			dsmil_fe_node_create(p->ddev);
		} else {
			node = dsmil_fe_node_find(p->ddev);
			if (node)
				dsmil_fe_node_remove(node);
		}
		mutex_unlock(&dsmil_fe.lock);
		put_device(&p->ddev->dev);
		kfree(p);
	}
}

static void dsmil_fe_queue_node_event(unsigned long action,
				      struct dsmil_device *ddev)
{
	struct dsmil_fe_pending *p;
	unsigned long flags;

	/*
	 * The allocator reports a failure itself.  Safe either way: a lost
	 * ADD leaves the device without a node, a lost REMOVE leaves a node
	 * whose every operation fails with -ENODEV until unload.
	 */
	p = kmalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		return;
	p->action = action;
	p->ddev = ddev;
	get_device(&ddev->dev);
	spin_lock_irqsave(&dsmil_fe.pending_lock, flags);
	list_add_tail(&p->link, &dsmil_fe.pending);
	spin_unlock_irqrestore(&dsmil_fe.pending_lock, flags);
	schedule_work(&dsmil_fe.node_work);
}

/* The core's device notifier: atomic context, DSMIL_EVENT_IRQ from IRQs. */
static int dsmil_fe_device_event(struct notifier_block *nb,
				 unsigned long action, void *data)
{
	struct dsmil_event_data *ev = data;
	struct dsmil_device *ddev = ev->ddev;

	switch (action) {
	case DSMIL_EVENT_ADD:
		dsmil_fe_event_post(DSMIL_EV_DEVICE_ADDED, ddev->token,
				    dsmil_fe_state(ddev), 0);
		dsmil_fe_queue_node_event(action, ddev);
		break;
	case DSMIL_EVENT_REMOVE:
		dsmil_fe_event_post(DSMIL_EV_DEVICE_REMOVED, ddev->token, 0, 0);
		dsmil_fe_queue_node_event(action, ddev);
		break;
	case DSMIL_EVENT_IRQ:
		dsmil_fe_event_post(DSMIL_EV_DEVICE_IRQ, ddev->token, 0,
				    ev->value);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block dsmil_fe_device_nb = {
	.notifier_call = dsmil_fe_device_event,
};

static int dsmil_fe_node_add_existing(struct dsmil_device *ddev, void *data)
{
	/*
	 * A device already in error may belong to a controller being
	 * removed whose REMOVE came before the notifier was registered:
	 * its node would never go away.
	 */
	if (dsmil_fe_state(ddev) == DSMIL_STATE_ERROR)
		return 0;
	return dsmil_fe_node_create(ddev);
}

/**
 * dsmil_fe_nodes_init() - create the nodes and follow the devices
 *
 * Devices that are in state "error" at this moment get no node.
 *
 * Return: 0 or a negative errno (nothing left registered).
 */
int dsmil_fe_nodes_init(void)
{
	int ret;

	INIT_WORK(&dsmil_fe.node_work, dsmil_fe_node_work);
	ret = dsmil_register_device_notifier(&dsmil_fe_device_nb);
	if (ret)
		return ret;
	mutex_lock(&dsmil_fe.lock);
	ret = dsmil_device_iterate(dsmil_fe_node_add_existing, NULL);
	mutex_unlock(&dsmil_fe.lock);
	if (ret)
		dsmil_fe_nodes_exit();
	return ret;
}

/**
 * dsmil_fe_nodes_exit() - stop following the devices, remove every node
 *
 * No node file may be open (they pin the module).
 */
void dsmil_fe_nodes_exit(void)
{
	struct dsmil_fe_pending *p, *tmp;
	struct dsmil_fe_node *node;
	unsigned long minor;

	dsmil_unregister_device_notifier(&dsmil_fe_device_nb);
	cancel_work_sync(&dsmil_fe.node_work);
	list_for_each_entry_safe(p, tmp, &dsmil_fe.pending, link) {
		list_del(&p->link);
		put_device(&p->ddev->dev);
		kfree(p);
	}

	mutex_lock(&dsmil_fe.lock);
	xa_for_each(&dsmil_fe.nodes, minor, node)
		dsmil_fe_node_remove(node);
	mutex_unlock(&dsmil_fe.lock);
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
