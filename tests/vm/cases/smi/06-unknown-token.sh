#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A token no dsmil device has is unknown: -ENOENT for reads, writes and
# token info through the ioctls, inside the token range (past the last
# device of the layout) or outside it, unlocked or not, without reaching
# the transport.  An unlock of a group without devices is -ENOENT too.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

unknown() # TOKEN
{
	printf 'dsmilctl: token 0x%04x: unknown token\n' "$1"
}

smi_load
ctl unlock 6 >/dev/null
calls=$(cat $SMI_DBG/emu_calls)
# 7 groups x 12 devices: 0x8000-0x8053.
tok_eq 0x00000000 0x8053
for t in 0x8054 0x81ff 0x8200 0x7fff 0x0000 0xffff; do
	ctl_fails 5 "$(unknown $t)" token read $t
	ctl_fails 5 "$(unknown $t)" token write $t 1
	ctl_fails 5 "$(unknown $t)" token info $t
done
assert_eq "$(cat $SMI_DBG/emu_calls)" "$((calls + 1))" "emu transport calls"
assert_eq "$(smi_stat denied)" 12 "denied"
assert_eq "$(fe_stat smi_denied)" 12 "smi_denied of DSMIL_IOC_STATS"
smi_unload

# With the legacy layout of 6 groups, group 6 is gone.
load dsmil_core backend=emu groups=6
load dsmil_smi
load dsmil
ctl_fails 5 "$(unknown 0x8048)" token read 0x8048
ctl_fails 5 "dsmilctl: group 6: no such group" unlock 6
tok_eq 0x00000000 0x8047
