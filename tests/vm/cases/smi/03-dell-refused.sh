#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The dell transport cannot run under QEMU (no Dell DMI, no SMM handler):
# transport=dell fails the load with -ENODEV and one line saying why, with
# or without allow_hw=1, and touches nothing (dell-smbios is not even
# loaded).  transport=auto falls back to emu with one line, even with
# allow_hw=1, and that is the transport the frontend reports and checks.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

vendor=$(cat /sys/class/dmi/id/sys_vendor)
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
