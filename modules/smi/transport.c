// SPDX-License-Identifier: GPL-2.0
/*
 * transport.c - the choice of a transport, made once at load.
 *
 *   transport=emu   the emulated token store (transport_emu.c)
 *   transport=dell  Dell's SMBIOS calling interface (transport_dell.c);
 *                   the load fails, with one line saying why, unless this
 *                   is a Dell system, allow_hw=1 and dell-smbios is there
 *   transport=auto  dell when it could be used, else emu, saying why in one
 *                   line (the default; under QEMU it is always emu)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>

#include "internal.h"

/* Never NULL: name lookups may come before the choice is made. */
const struct smi_transport_ops *smi_transport = &smi_transport_emu;

/**
 * smi_transport_init() - pick and attach the transport
 *
 * Return: 0, or the errno of transport=dell's failure (-ENODEV, -EPERM).
 */
int smi_transport_init(void)
{
	const char *why = NULL;
	int ret;

	switch (smi_param_transport()) {
	case SMI_TRANSPORT_DELL:
		ret = smi_transport_dell.init(&why);
		if (ret) {
			pr_err("transport=dell refused: %s\n", why);
			return ret;
		}
		smi_transport = &smi_transport_dell;
		break;
	case SMI_TRANSPORT_AUTO:
		ret = smi_transport_dell.init(&why);
		if (!ret) {
			smi_transport = &smi_transport_dell;
			break;
		}
		pr_info("transport=auto: using emu: %s\n", why);
		fallthrough;
	default:
		ret = smi_transport_emu.init(&why);
		if (ret) {
			pr_err("transport=emu: %s\n", why);
			return ret;
		}
		smi_transport = &smi_transport_emu;
		break;
	}
	return 0;
}

/**
 * smi_transport_exit() - detach the transport; nothing runs in it any more
 */
void smi_transport_exit(void)
{
	if (smi_transport->exit)
		smi_transport->exit();
}
