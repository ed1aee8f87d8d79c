#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dell transport cannot run under QEMU (no Dell DMI, no SMM handler):
# transport=dell fails the load with -ENODEV and one line saying why, with
# or without allow_hw=1, and touches nothing (dell-smbios is not even
# loaded).  transport=auto falls back to emu with one line, even with
# allow_hw=1, and that is the transport the frontend reports and checks.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

# sys_vendor of the SMBIOS system information (type 1, the string its
# byte 4 names), from the raw table: for a kernel without CONFIG_DMIID (no
# /sys/class/dmi/id, such as the debug kernel of scripts/debug-kernel).
dmi_table_sys_vendor()
{
	od -An -v -tu1 /sys/firmware/dmi/tables/DMI | awk '
	{ for (f = 1; f <= NF; f++) b[n++] = $f }
	END {
		i = 0
		while (i + 4 < n) {
			t = b[i]; j = i + b[i + 1]; k = 0; s = ""
			split("", str)
			while (j + 1 < n && !(b[j] == 0 && b[j + 1] == 0)) {
				if (b[j] == 0) { str[++k] = s; s = "" }
				else s = s sprintf("%c", b[j])
				j++
			}
			if (s != "") str[++k] = s
			if (t == 1) { if (b[i + 4] in str) print str[b[i + 4]]; exit }
			if (t == 127) exit
			i = j + 2
		}
	}'
}

if [ -r /sys/class/dmi/id/sys_vendor ]; then
	vendor=$(cat /sys/class/dmi/id/sys_vendor)
else
	vendor=$(dmi_table_sys_vendor) ||
		fail "no /sys/class/dmi/id/sys_vendor and no readable DMI table"
fi
note "DMI sys_vendor \"$vendor\""
case $vendor in
*Dell*) skip "this machine is a Dell ($vendor)" ;;
esac

load dsmil_core backend=emu
for hw in 0 1; do
	dmesg_mark
	load_fails "No such device" dsmil_smi transport=dell allow_hw=$hw
	assert_dmesg "dsmil_smi: " 1
	assert_dmesg "^\[ *[0-9.]+\] dsmil_smi: transport=dell refused: not a Dell system \(DMI sys_vendor \"$vendor\"\)$" 1
	assert_not_loaded dell_smbios
done

dmesg_mark
load dsmil_smi transport=auto allow_hw=1
assert_dmesg "^\[ *[0-9.]+\] dsmil_smi: transport=auto: using emu: not a Dell system \(DMI sys_vendor \"$vendor\"\)$" 1
assert_eq "$(cat $SMI_MOD/status/transport)" emu "status/transport"
load dsmil
assert_eq "$(ctl --json info | json .smi_transport)" '"emu"' "transport through DSMIL_IOC_INFO"
assert_eq "$(ctl --json verify | json '[.ok, .transport]')" '[true,"emu"]' "verify"
assert_eq "$(cat $SMI_DBG/emu_calls)" 1 "emu transport calls after verify"
assert_not_loaded dell_smbios
unload dsmil dsmil_dmalock dsmil_smi

dmesg_mark
load dsmil_smi transport=emu
assert_dmesg "dsmil_smi: transport=auto" 0
assert_eq "$(cat $SMI_MOD/status/transport)" emu "status/transport"
