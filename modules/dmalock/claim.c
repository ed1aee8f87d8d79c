// SPDX-License-Identifier: GPL-2.0
/*
 * claim.c - arbitration of the controllers' DMA engines.
 *
 * One struct dmalock_arb per controller that has claims or claimants:
 * either one exclusive holder or any number of shared (read-only)
 * holders.  A claimant that cannot get its claim waits on the arb's wait
 * queue (killable, optionally with a timeout) or, non-blocking, gets
 * -EAGAIN.  Every release wakes all waiters, which retry; there is no
 * queueing order.  The arb holds a reference to a device of the
 * controller, which keeps the controller's memory (the key) alive.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "internal.h"

/**
 * struct dmalock_arb - arbitration state of one controller's engine
 * @node: in dmalock_arbs
 * @ctrl: the controller (key; opaque)
 * @ddev: a device of @ctrl, referenced
 * @users: claims held and claimants waiting
 * @shared: shared claims held
 * @exclusive: the exclusive claim is held
 * @wq: claimants waiting
 *
 * @users, @shared and @exclusive are protected by dmalock_arb_lock.
 */
struct dmalock_arb {
	struct list_head node;
	struct dsmil_controller *ctrl;
	struct dsmil_device *ddev;
	unsigned int users;
	unsigned int shared;
	bool exclusive;
	wait_queue_head_t wq;
};

static DEFINE_SPINLOCK(dmalock_arb_lock);
static LIST_HEAD(dmalock_arbs);

static struct dmalock_arb *dmalock_arb_find(struct dsmil_controller *ctrl)
{
	struct dmalock_arb *arb;

	lockdep_assert_held(&dmalock_arb_lock);
	list_for_each_entry(arb, &dmalock_arbs, node)
		if (arb->ctrl == ctrl)
			return arb;
	return NULL;
}

/* The arb of @ddev's controller with one more user, created if needed. */
static struct dmalock_arb *dmalock_arb_get(struct dsmil_device *ddev)
{
	struct dmalock_arb *arb, *new;

	new = kzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return NULL;
	spin_lock(&dmalock_arb_lock);
	arb = dmalock_arb_find(ddev->ctrl);
	if (!arb) {
		arb = new;
		new = NULL;
		arb->ctrl = ddev->ctrl;
		arb->ddev = dsmil_device_get(ddev);
		init_waitqueue_head(&arb->wq);
		list_add(&arb->node, &dmalock_arbs);
	}
	arb->users++;
	spin_unlock(&dmalock_arb_lock);
	kfree(new);
	return arb;
}

static void dmalock_arb_put(struct dmalock_arb *arb)
{
	bool last;

	spin_lock(&dmalock_arb_lock);
	last = --arb->users == 0;
	if (last) {
		DSMIL_ASSERT(!arb->exclusive && !arb->shared);
		list_del(&arb->node);
	}
	spin_unlock(&dmalock_arb_lock);
	if (last) {
		dsmil_device_put(arb->ddev);
		kfree(arb);
	}
}

static bool dmalock_arb_try(struct dmalock_arb *arb,
			    enum dsmil_dma_claim_mode mode)
{
	bool got = false;

	spin_lock(&dmalock_arb_lock);
	if (mode == DSMIL_DMA_CLAIM_EXCLUSIVE) {
		if (!arb->exclusive && !arb->shared) {
			arb->exclusive = true;
			got = true;
		}
	} else if (!arb->exclusive) {
		arb->shared++;
		got = true;
	}
	spin_unlock(&dmalock_arb_lock);
	return got;
}

/**
 * dmalock_claim_get() - get a claim on @ddev's controller's engine
 * @ddev: a device of the controller (a reference held)
 * @mode: shared or exclusive
 * @flags: DSMIL_DMA_CLAIM_NONBLOCK or 0
 * @timeout_ms: most time to wait; 0 waits until the claim is granted
 * @arbp: receives the arb to give to dmalock_claim_put()
 *
 * Context: process context; sleeps (killable) unless non-blocking.
 * Return: 0, -EAGAIN, -ETIMEDOUT, -EINTR (fatal signal), -ENOMEM.
 */
int dmalock_claim_get(struct dsmil_device *ddev, enum dsmil_dma_claim_mode mode,
		      unsigned int flags, unsigned int timeout_ms,
		      struct dmalock_arb **arbp)
{
	struct dmalock_arb *arb;
	long left;
	int ret = 0;

	arb = dmalock_arb_get(ddev);
	if (!arb)
		return -ENOMEM;
	if (dmalock_arb_try(arb, mode))
		goto out;
	if (flags & DSMIL_DMA_CLAIM_NONBLOCK) {
		ret = -EAGAIN;
		goto err_put_arb;
	}

	atomic64_inc(&dmalock_counters.claim_waits);
	if (!timeout_ms) {
		if (wait_event_killable(arb->wq, dmalock_arb_try(arb, mode)))
			ret = -EINTR;
	} else {
		left = wait_event_killable_timeout(arb->wq,
						   dmalock_arb_try(arb, mode),
						   msecs_to_jiffies(timeout_ms));
		if (left < 0) {
			ret = -EINTR;
		} else if (!left) {
			atomic64_inc(&dmalock_counters.claim_timeouts);
			ret = -ETIMEDOUT;
		}
	}
	if (ret)
		goto err_put_arb;
out:
	*arbp = arb;
	return 0;

err_put_arb:
	dmalock_arb_put(arb);
	return ret;
}

/**
 * dmalock_claim_put() - release a claim and wake the claimants
 * @arb: from dmalock_claim_get()
 * @mode: the mode it was granted in
 */
void dmalock_claim_put(struct dmalock_arb *arb, enum dsmil_dma_claim_mode mode)
{
	spin_lock(&dmalock_arb_lock);
	if (mode == DSMIL_DMA_CLAIM_EXCLUSIVE) {
		DSMIL_ASSERT(arb->exclusive);
		arb->exclusive = false;
	} else {
		DSMIL_ASSERT(arb->shared > 0);
		arb->shared--;
	}
	spin_unlock(&dmalock_arb_lock);
	wake_up_all(&arb->wq);
	dmalock_arb_put(arb);
}

/**
 * dmalock_owner_claim() - the claim @owner holds on @ddev's controller
 * @owner: the owner; owner->lock held
 * @ddev: a device of the controller
 *
 * Return: the claim or NULL.
 */
struct dmalock_claim *dmalock_owner_claim(struct dsmil_dma_owner *owner,
					  struct dsmil_device *ddev)
{
	struct dmalock_claim *claim;

	lockdep_assert_held(&owner->lock);
	list_for_each_entry(claim, &owner->claims, node)
		if (claim->arb->ctrl == ddev->ctrl)
			return claim;
	return NULL;
}

/**
 * dsmil_dma_claim() - claim a controller's DMA engine
 * @owner: the owner
 * @token: a device of the controller
 * @mode: DSMIL_DMA_CLAIM_SHARED (read-only: xfers from device memory
 *	only; coexists with other shared claims) or DSMIL_DMA_CLAIM_EXCLUSIVE
 *	(any xfer; no other claim at the same time)
 * @flags: DSMIL_DMA_CLAIM_NONBLOCK: fail with -EAGAIN instead of waiting
 * @timeout_ms: most milliseconds to wait; 0 waits until granted
 *
 * The claim lasts until dsmil_dma_release_claim() or the owner's release.
 * Waiting is killable only: other signals do not interrupt it.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL for a bad @mode or @flags; -ENODEV if no live device
 * has @token; -EALREADY if @owner already holds a claim on the
 * controller; -EAGAIN if busy and non-blocking; -ETIMEDOUT if still busy
 * after @timeout_ms; -EINTR on a fatal signal; -ENOMEM.
 */
int dsmil_dma_claim(struct dsmil_dma_owner *owner, u16 token,
		    enum dsmil_dma_claim_mode mode, unsigned int flags,
		    unsigned int timeout_ms)
{
	struct dmalock_claim *claim;
	struct dsmil_device *ddev;
	bool dup;
	int ret;

	if (mode != DSMIL_DMA_CLAIM_SHARED && mode != DSMIL_DMA_CLAIM_EXCLUSIVE)
		return -EINVAL;
	if (flags & ~DSMIL_DMA_CLAIM_NONBLOCK)
		return -EINVAL;
	ddev = dsmil_device_find(token);
	if (!ddev)
		return -ENODEV;

	mutex_lock(&owner->lock);
	dup = dmalock_owner_claim(owner, ddev);
	mutex_unlock(&owner->lock);
	if (dup) {
		ret = -EALREADY;
		goto out_put_dev;
	}
	claim = kzalloc(sizeof(*claim), GFP_KERNEL_ACCOUNT);
	if (!claim) {
		ret = -ENOMEM;
		goto out_put_dev;
	}
	claim->mode = mode;
	claim->token = token;
	ret = dmalock_claim_get(ddev, mode, flags, timeout_ms, &claim->arb);
	if (ret)
		goto err_free_claim;

	/* Another thread of the owner may have claimed while we waited. */
	mutex_lock(&owner->lock);
	dup = dmalock_owner_claim(owner, ddev);
	if (!dup)
		list_add(&claim->node, &owner->claims);
	mutex_unlock(&owner->lock);
	if (dup) {
		dmalock_claim_put(claim->arb, mode);
		ret = -EALREADY;
		goto err_free_claim;
	}
	dsmil_device_put(ddev);
	return 0;

err_free_claim:
	kfree(claim);
out_put_dev:
	dsmil_device_put(ddev);
	return ret;
}
DSMIL_EXPORT(dsmil_dma_claim);

static struct dmalock_claim *dmalock_claim_by_token(struct dsmil_dma_owner *owner,
						    u16 token)
{
	struct dmalock_claim *claim, *found = NULL;
	struct dsmil_device *ddev;

	lockdep_assert_held(&owner->lock);
	ddev = dsmil_device_find(token);
	if (ddev) {
		found = dmalock_owner_claim(owner, ddev);
		dsmil_device_put(ddev);
		return found;
	}
	/* The controller is gone: the claim can still be named by its token. */
	list_for_each_entry(claim, &owner->claims, node)
		if (claim->token == token)
			return claim;
	return NULL;
}

/**
 * dsmil_dma_release_claim() - release a claim, waking waiting claimants
 * @owner: the owner
 * @token: a device of the controller (or, once the controller is gone,
 *	the token the claim was made with)
 *
 * Context: process context.
 * Return: 0; -ENOENT if @owner holds no claim on the controller; -EBUSY
 * while an xfer of @owner runs under the claim.
 */
int dsmil_dma_release_claim(struct dsmil_dma_owner *owner, u16 token)
{
	struct dmalock_claim *claim;

	mutex_lock(&owner->lock);
	claim = dmalock_claim_by_token(owner, token);
	if (claim && claim->xfers)
		claim = ERR_PTR(-EBUSY);
	else if (claim)
		list_del(&claim->node);
	mutex_unlock(&owner->lock);
	if (IS_ERR(claim))
		return PTR_ERR(claim);
	if (!claim)
		return -ENOENT;
	dmalock_claim_put(claim->arb, claim->mode);
	kfree(claim);
	return 0;
}
DSMIL_EXPORT(dsmil_dma_release_claim);

/**
 * dmalock_owner_release_claims() - release every claim of an owner
 * @owner: the owner being released (no call on it runs)
 */
void dmalock_owner_release_claims(struct dsmil_dma_owner *owner)
{
	struct dmalock_claim *claim, *tmp;

	list_for_each_entry_safe(claim, tmp, &owner->claims, node) {
		DSMIL_ASSERT(!claim->xfers);
		list_del(&claim->node);
		dmalock_claim_put(claim->arb, claim->mode);
		kfree(claim);
	}
}
