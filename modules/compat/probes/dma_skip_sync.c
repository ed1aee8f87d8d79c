// SPDX-License-Identifier: GPL-2.0
/*
 * struct device's dma_skip_sync (6.11, CONFIG_DMA_NEED_SYNC): from then on
 * dma_need_sync() is exact behind an IOMMU too (on a coherent machine,
 * true only for a mapping that bounces).  Before, it is true for every
 * mapping of a device whose DMA ops have sync hooks (iommu-dma), bounced
 * or not.
 */
#include <linux/device.h>

bool dsmil_probe_dma_skip_sync(struct device *dev);
bool dsmil_probe_dma_skip_sync(struct device *dev)
{
	return dev->dma_skip_sync;
}
