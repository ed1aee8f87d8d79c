#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Refusals reach the user as one line naming the cause, with the exit code
# of dsmilctl(1): quarantined tokens and registers, locked groups, unknown
# tokens, the thermal guard; root included, nothing changed.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

fe_load backend=emu
ctl unlock 0 >/dev/null
before=$(ctl token read 0x8009)
ctl_fails 4 "dsmilctl: token 0x8009: write refused: device quarantined" token write 0x8009 1
assert_eq "$(ctl token read 0x8009)" "$before" "quarantined token after the refusal"
ctl_fails 4 "dsmilctl: dsmil0:g0d09: offset 0xc: write refused: device quarantined" write g0d09 0x0c 1
ctl_fails 5 "dsmilctl: token 0x7000: unknown token" token read 0x7000
ctl_fails 2 "dsmilctl: token '0x1zz': not a number in 0-0xffff" token read 0x1zz
ctl_fails 2 "dsmilctl: token '0x10000': not a number in 0-0xffff" token read 0x10000

ctl relock all
ctl_fails 4 "dsmilctl: token 0x8001: write refused: group 0 is locked (dsmilctl unlock 0)" token write 0x8001 5
ctl unlock 0 --seconds 30 | grep -qE '^group 0 unlocked for (29\.[0-9]{3}|30\.000) s$' ||
	fail "unlock text: $(ctl unlock 0 --seconds 30)"
ctl token write 0x8001 5
assert_eq "$(ctl token read 0x8001)" 0x00000005 "token after the write"
ctl_fails 2 "dsmilctl: group 0: unlock refused: group or --seconds out of range" unlock 0 --seconds 100000
ctl_fails 5 "dsmilctl: group 9: no such group" unlock 9

# The thermal guard refuses writes and token calls; reads of registers go on.
echo 90000 > $FE_DBG/emu_temp_mc
ctl_fails 4 "dsmilctl: token 0x8001: read refused: thermal emergency" token read 0x8001
ctl_fails 4 "dsmilctl: token 0x8001: write refused: thermal emergency" token write 0x8001 6
ctl_fails 4 "dsmilctl: dsmil0:g0d00: offset 0xc: write refused: thermal emergency" write g0d00 0x0c 1
ctl read g0d00 0x18 >/dev/null
echo 40000 > $FE_DBG/emu_temp_mc
assert_eq "$(ctl token read 0x8001)" 0x00000005 "token after the emergency"
