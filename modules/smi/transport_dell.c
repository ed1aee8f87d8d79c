// SPDX-License-Identifier: GPL-2.0
/*
 * transport_dell.c - tokens through Dell's SMBIOS calling interface.
 *
 * dell-smbios (drivers/platform/x86/dell/) owns the firmware interface: it
 * parses the DMI table of tokens (type 0xDA), picks a backend (WMI or the
 * SMM port of dcdbas, which raises the SMI on CPU 0 with a buffer below
 * 4 GiB) and serializes calls under its own mutex.  This file only builds
 * requests for it:
 *
 *   read   class 0 (CLASS_TOKEN_READ), select 0 (SELECT_TOKEN_STD),
 *          input[0] = the token's location; value in output[1]
 *   write  class 1 (CLASS_TOKEN_WRITE), select 0, input[0] = location,
 *          input[1] = the value
 *   output[0] is the firmware's status: 0 success, -1 error, -2 not
 *   supported; anything but 0 is -EIO here.
 *
 * dell-smbios is not a dependency of this module: its symbols are taken
 * with symbol_get() (loading it with request_module() first) only when
 * this transport is chosen, and put back at unload.
 *
 * Deny-lists: dell-smbios filters what userspace may send through its WMI
 * character device with dell_smbios_call_filter() (class/select and token
 * block- and allow-lists, capability checks), but dell_smbios_call()
 * itself filters nothing.  This transport runs the filter on every op, in
 * the caller's context (->check) so that the capability checks see the
 * caller's credentials and not those of the service's kernel worker; a
 * refused op fails with -EPERM and never reaches firmware.  The self-check
 * (verify) reads a token and is filtered as that read.
 *
 * Safety gates at load: DMI must say Dell (sys_vendor containing "Dell",
 * or one of the OEM strings dell-smbios itself accepts), allow_hw=1, and
 * the firmware must know at least one token of DSMIL_TOKEN_BASE..LAST.
 *
 * None of this can be exercised under QEMU (no Dell DMI, no SMM handler):
 * the VM tests only check that the transport is refused cleanly there.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dmi.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/string.h>
#include <uapi/linux/wmi.h>

#include "dell_smbios.h"
#include "internal.h"

static int (*smi_dell_call)(struct calling_interface_buffer *buffer);
static struct calling_interface_token *(*smi_dell_find)(int tokenid);
static int (*smi_dell_filter)(struct device *d,
			      struct calling_interface_buffer *buffer);
static struct platform_device *smi_dell_pdev;
static u16 smi_dell_verify_token;
static char smi_dell_why[128];

static bool smi_dell_dmi(void)
{
	const char *vendor = dmi_get_system_info(DMI_SYS_VENDOR);

	if (vendor && strstr(vendor, "Dell"))
		return true;
	return dmi_find_device(DMI_DEV_TYPE_OEM_STRING, "Dell System", NULL) ||
	       dmi_find_device(DMI_DEV_TYPE_OEM_STRING, "Alienware", NULL) ||
	       dmi_find_device(DMI_DEV_TYPE_OEM_STRING, "www.dell.com", NULL);
}

static void smi_dell_put_symbols(void)
{
	if (smi_dell_call)
		symbol_put(dell_smbios_call);
	if (smi_dell_find)
		symbol_put(dell_smbios_find_token);
	if (smi_dell_filter)
		symbol_put(dell_smbios_call_filter);
	smi_dell_call = NULL;
	smi_dell_find = NULL;
	smi_dell_filter = NULL;
}

static int smi_dell_get_symbols(void)
{
	smi_dell_call = symbol_get(dell_smbios_call);
	if (!smi_dell_call) {
		request_module("dell-smbios");
		smi_dell_call = symbol_get(dell_smbios_call);
	}
	smi_dell_find = symbol_get(dell_smbios_find_token);
	smi_dell_filter = symbol_get(dell_smbios_call_filter);
	if (smi_dell_call && smi_dell_find && smi_dell_filter)
		return 0;
	smi_dell_put_symbols();
	return -ENODEV;
}

static void smi_dell_request(struct calling_interface_buffer *buf,
			     u16 class, u16 location, u32 value)
{
	memset(buf, 0, sizeof(*buf));
	buf->cmd_class = class;
	buf->cmd_select = SELECT_TOKEN_STD;
	buf->input[0] = location;
	buf->input[1] = value;
}

static int smi_dell_init(const char **why)
{
	const char *vendor;
	unsigned int t;
	int ret;

	*why = smi_dell_why;
	if (!smi_dell_dmi()) {
		vendor = dmi_get_system_info(DMI_SYS_VENDOR);
		snprintf(smi_dell_why, sizeof(smi_dell_why),
			 "not a Dell system (DMI sys_vendor \"%s\")",
			 vendor ?: "");
		return -ENODEV;
	}
	if (!smi_param_allow_hw()) {
		strscpy(smi_dell_why,
			"allow_hw=0: the dell transport raises real SMIs and needs allow_hw=1",
			sizeof(smi_dell_why));
		return -EPERM;
	}
	if (smi_dell_get_symbols()) {
		strscpy(smi_dell_why, "dell-smbios is not available",
			sizeof(smi_dell_why));
		return -ENODEV;
	}
	for (t = DSMIL_TOKEN_BASE; t <= DSMIL_TOKEN_LAST; t++)
		if (smi_dell_find(t))
			break;
	if (t > DSMIL_TOKEN_LAST) {
		snprintf(smi_dell_why, sizeof(smi_dell_why),
			 "the firmware knows none of the tokens %#x-%#x",
			 DSMIL_TOKEN_BASE, DSMIL_TOKEN_LAST);
		ret = -ENODEV;
		goto err_put;
	}
	smi_dell_verify_token = t;

	/* dell_smbios_call_filter() logs against a device: ours. */
	smi_dell_pdev = platform_device_register_simple("dsmil-smi-dell",
							PLATFORM_DEVID_NONE,
							NULL, 0);
	if (IS_ERR(smi_dell_pdev)) {
		ret = PTR_ERR(smi_dell_pdev);
		snprintf(smi_dell_why, sizeof(smi_dell_why),
			 "cannot register a platform device: %d", ret);
		goto err_put;
	}
	pr_info("dell transport: dell-smbios attached, verify token %#06x\n",
		smi_dell_verify_token);
	return 0;

err_put:
	smi_dell_put_symbols();
	return ret;
}

static void smi_dell_exit(void)
{
	platform_device_unregister(smi_dell_pdev);
	smi_dell_pdev = NULL;
	smi_dell_put_symbols();
}

/*
 * Caller's context: is the token known, and does dell-smbios allow it?  A
 * verify is the read of smi_dell_verify_token: checked as that read.
 */
static int smi_dell_check(u16 token, u16 opcode)
{
	struct calling_interface_buffer buf;
	struct calling_interface_token *tok;

	if (opcode == SMI_OP_VERIFY) {
		token = smi_dell_verify_token;
		opcode = DSMIL_SMI_OP_READ;
	}

	tok = smi_dell_find(token);
	if (!tok)
		return -ENOENT;
	smi_dell_request(&buf, opcode == DSMIL_SMI_OP_WRITE ?
			 CLASS_TOKEN_WRITE : CLASS_TOKEN_READ,
			 tok->location, 0);
	if (smi_dell_filter(&smi_dell_pdev->dev, &buf))
		return -EPERM;
	return 0;
}

/* Worker: one SMBIOS call; every failure is a firmware error (-EIO). */
static int smi_dell_do(u16 class, u16 token, u32 in, u32 *out)
{
	struct calling_interface_buffer buf;
	struct calling_interface_token *tok;
	int ret;

	tok = smi_dell_find(token);
	if (!tok)
		return -EIO;
	smi_dell_request(&buf, class, tok->location, in);
	ret = smi_dell_call(&buf);
	if (ret) {
		pr_warn_ratelimited("token %#06x: dell_smbios_call failed: %d\n",
				    token, ret);
		return -EIO;
	}
	if (buf.output[0]) {
		pr_debug("token %#06x class %u: firmware status %d\n", token,
			 class, (int)buf.output[0]);
		return -EIO;
	}
	if (out)
		*out = buf.output[1];
	return 0;
}

static int smi_dell_read(u16 token, u32 *value)
{
	return smi_dell_do(CLASS_TOKEN_READ, token, 0, value);
}

static int smi_dell_write(u16 token, u32 value)
{
	return smi_dell_do(CLASS_TOKEN_WRITE, token, value, NULL);
}

static int smi_dell_verify(void)
{
	u32 value;

	return smi_dell_do(CLASS_TOKEN_READ, smi_dell_verify_token, 0, &value);
}

const struct smi_transport_ops smi_transport_dell = {
	.name = "dell",
	.init = smi_dell_init,
	.exit = smi_dell_exit,
	.check = smi_dell_check,
	.read = smi_dell_read,
	.write = smi_dell_write,
	.verify = smi_dell_verify,
};
