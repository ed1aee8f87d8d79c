#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A token on dsmil_core's quarantine list is never written: -EPERM even for
# root with its group unlocked, without reaching the transport.  Reads
# work.  The list is dsmil_core's quarantine parameter.  (Batches with
# quarantined writes: 11-batch.)
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

quarantined() # TOKEN
{
	echo "dsmilctl: token $1: write refused: device quarantined"
}

[ "$(id -u)" = 0 ] || fail "not root"
smi_load
for g in 0 1 2; do
	ctl unlock $g >/dev/null
done
calls=$(cat $SMI_DBG/emu_calls)
for t in 0x8009 0x800a 0x800b 0x8019 0x8029; do
	ctl_fails 4 "$(quarantined $t)" token write $t 0x1234
	# "unlocked" means writable now: never for a quarantined token.
	assert_eq "$(ctl --json token info $t | json '[.quarantined, .unlocked]')" \
		"[true,false]" "token info $t"
done
assert_eq "$(cat $SMI_DBG/emu_calls)" "$calls" "emu transport calls for quarantined writes"
assert_eq "$(tok_info 0x8009)" "[0,9,true,false]" "token info 0x8009"
assert_eq "$(ctl --json list | json '[.devices[] | select(.token == 32777) | .quarantined]')" \
	"[true]" "dsmilctl list: 0x8009 quarantined"
tok_eq 0x00000000 0x8009
ctl token write 0x8008 0x55
tok_eq 0x00000055 0x8008
assert_eq "$(smi_stat denied)" 5 "denied"
assert_eq "$(fe_stat smi_denied)" 5 "smi_denied of DSMIL_IOC_STATS"
smi_unload

load dsmil_core backend=emu quarantine=0x8001
load dsmil_smi
load dsmil
ctl unlock 0 >/dev/null
ctl_fails 4 "$(quarantined 0x8001)" token write 0x8001 1
tok_eq 0x00000000 0x8001
ctl token write 0x8009 0x99
tok_eq 0x00000099 0x8009
