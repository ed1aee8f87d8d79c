// SPDX-License-Identifier: GPL-2.0
/*
 * WQ_PERCPU appeared in 6.17 (and in Debian's 6.12.y); since 7.x
 * alloc_workqueue() warns when a caller passes neither WQ_PERCPU nor
 * WQ_UNBOUND (the default is to become unbound).
 */
#include <linux/workqueue.h>

unsigned int dsmil_probe_wq_flags = WQ_HIGHPRI | WQ_PERCPU;
