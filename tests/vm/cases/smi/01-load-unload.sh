#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dsmil_smi loads on top of dsmil_core with the emu transport (auto picks
# it under QEMU, saying why in one line), publishes its counters and
# status in sysfs, pins the core while loaded; the frontend reaches it
# (transport name, self-check, counters equal to sysfs) and pins it in
# turn; everything unloads cleanly, and "modprobe dsmil" alone pulls the
# stack in again.
# dsmil-matrix: load/unload; compat: wq_percpu
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

dmesg_mark
load dsmil_core backend=emu
load dsmil_smi
assert_loaded dsmil_smi
assert_dmesg '^\[ *[0-9.]+\] dsmil_smi: transport=auto: using emu: not a Dell system \(DMI sys_vendor "QEMU"\)$' 1
assert_dmesg '^\[ *[0-9.]+\] dsmil_smi: emu transport ready \(timeout 100 ms, at most 1000 calls/s\)$' 1
assert_eq "$(dmesg_since | grep -c 'dsmil_smi: ')" 2 "dsmil_smi log lines at load"
assert_eq "$(cat $SMI_MOD/status/transport)" emu "status/transport"
assert_eq "$(cat $SMI_MOD/status/unlocked)" "" "status/unlocked"
for c in calls reads writes errors denied thermal_refusals rate_limited \
	 timeouts late_completions transport_calls transport_errors \
	 last_latency_ns max_latency_ns; do
	assert_eq "$(smi_stat $c)" 0 "stats/$c at load"
done
assert_eq "$(cat $SMI_PAR/timeout_ms)" 100 "timeout_ms default"
assert_eq "$(cat $SMI_PAR/emu_latency_us)" 0 "emu_latency_us default"
assert_eq "$(cat $SMI_PAR/max_calls_per_sec)" 1000 "max_calls_per_sec default"
assert_eq "$(cat $SMI_PAR/unlock_seconds)" 30 "unlock_seconds default"
assert_eq "$(cat $SMI_PAR/unlock_max_seconds)" 600 "unlock_max_seconds default"
assert_eq "$(cat $SMI_PAR/transport)" auto "transport"
[ -r "$SMI_DBG/audit" ] || fail "no debugfs audit file"
[ -r "$SMI_DBG/emu_calls" ] || fail "no debugfs emu_calls file"
modinfo -F version dsmil_smi | grep -qx "$(cat "$DSMIL_SRC/VERSION")" ||
	fail "modinfo version"

rmmod dsmil_core 2>/dev/null && fail "dsmil_core unloaded under dsmil_smi"
assert_loaded dsmil_core

# Through the frontend.
load dsmil
assert_eq "$(ctl --json info | json '[.tokens, .smi_transport]')" '[true,"emu"]' \
	"token feature and transport through DSMIL_IOC_INFO"
assert_eq "$(ctl --json verify | json '[.ok, .transport]')" '[true,"emu"]' "verify"
assert_eq "$(cat $SMI_DBG/emu_calls)" 1 "emu transport calls after verify"
tok_eq 0x00000000 0x8000
assert_eq "$(ctl --json stats | json '[.smi_calls, .smi_reads, .smi_transport_calls, .smi_errors]')" \
	"[$(smi_stat calls),$(smi_stat reads),$(smi_stat transport_calls),$(smi_stat errors)]" \
	"DSMIL_IOC_STATS against sysfs"
assert_eq "$(smi_stat calls)" 2 "calls (verify and read)"
rmmod dsmil_smi 2>/dev/null && fail "dsmil_smi unloaded under the frontend"
assert_loaded dsmil_smi

dmesg_mark
unload dsmil dsmil_dmalock dsmil_smi
assert_dmesg '^\[ *[0-9.]+\] dsmil_smi: unloaded$' 1
unload dsmil_core

# The frontend alone pulls in the stack.
load dsmil
for m in dsmil_core dsmil_smi dsmil_dmalock; do
	assert_loaded $m
done
assert_eq "$(ctl --json info | json .smi_transport)" '"emu"' "transport after modprobe dsmil"
smi_unload
