/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dell_smbios.h - what transport_dell.c needs of dell-smbios.
 *
 * drivers/platform/x86/dell/dell-smbios.h is not installed with the kernel
 * headers; these declarations repeat the part of it this module uses (the
 * buffer layout, struct calling_interface_buffer, comes from
 * <uapi/linux/wmi.h>).  The functions are EXPORT_SYMBOL_GPL in the
 * dell-smbios module and are only ever reached through symbol_get(), never
 * linked against, so dsmil_smi loads without dell-smbios.
 */
#ifndef _DSMIL_SMI_DELL_SMBIOS_H
#define _DSMIL_SMI_DELL_SMBIOS_H

#include <linux/device.h>
#include <linux/types.h>
#include <uapi/linux/wmi.h>

/* An entry of the DMI calling-interface token table (type 0xDA). */
struct calling_interface_token {
	u16 tokenID;
	u16 location;
	union {
		u16 value;
		u16 stringlength;
	};
};

int dell_smbios_call(struct calling_interface_buffer *buffer);
struct calling_interface_token *dell_smbios_find_token(int tokenid);
int dell_smbios_call_filter(struct device *d,
			    struct calling_interface_buffer *buffer);

#endif /* _DSMIL_SMI_DELL_SMBIOS_H */
