#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reads need nothing; a write needs its group unlocked: without an unlock,
# or after a relock, it fails with -EACCES and the value stays.  An unlock
# opens only its own group.  Round trips through the frontend's ioctls
# (dsmilctl) and the emu transport; a relock that closes a window is
# logged and announced on the event stream, once.
# dsmil-matrix: smoke: dsmil_smi
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

locked() # TOKEN GROUP
{
	echo "dsmilctl: token $1: write refused: group $2 is locked (dsmilctl unlock $2)"
}

smi_load
tok_eq 0x00000000 0x8000
ctl_fails 4 "$(locked 0x8000 0)" token write 0x8000 0x1234
tok_eq 0x00000000 0x8000
assert_eq "$(tok_info 0x8000)" "[0,0,false,false]" "token info 0x8000"
assert_eq "$(smi_stat denied)" 1 "denied after a locked write"
assert_eq "$(smi_stat transport_calls)" 2 "transport calls (the reads)"

dmesg_mark
rem=$(unlocked_ms 0)
[ "$rem" -gt 29900 ] && [ "$rem" -le 30000 ] || fail "remaining after unlock 0: $rem ms"
assert_dmesg '^\[ *[0-9.]+\] dsmil_smi: group 0 unlocked for 30 s$' 1
assert_eq "$(cat $SMI_MOD/status/unlocked)" 0 "status/unlocked"
assert_eq "$(tok_info 0x8000)" "[0,0,false,true]" "token info 0x8000 unlocked"
ctl token write 0x8000 0x1234
tok_eq 0x00001234 0x8000
ctl_fails 4 "dsmilctl: token 0x800b: write refused: device quarantined" token write 0x800b 0xffffffff
ctl token write 0x8008 0xffffffff
tok_eq 0xffffffff 0x8008
# Group 1 is still locked: 0x800c is its first token with 12 per group.
assert_eq "$(tok_info 0x800c)" "[1,0,false,false]" "token info 0x800c"
ctl_fails 4 "$(locked 0x800c 1)" token write 0x800c 1
tok_eq 0x00000000 0x800c

# 120 s: open until the "relock all" below closes it (an event), however
# long a loaded host takes for the commands in between.
rem=$(unlocked_ms 1 120)
[ "$rem" -gt 119900 ] && [ "$rem" -le 120000 ] || fail "remaining after unlock 1 for 120 s: $rem ms"
assert_eq "$(cat $SMI_MOD/status/unlocked)" "0 1" "status/unlocked"
ctl token write 0x800c 7
tok_eq 0x00000007 0x800c

events_start
dmesg_mark
ctl relock 0
assert_dmesg '^\[ *[0-9.]+\] dsmil_smi: group 0 relocked$' 1
ctl_fails 4 "$(locked 0x8000 0)" token write 0x8000 0x5678
tok_eq 0x00001234 0x8000
assert_eq "$(remaining 0)" 0 "remaining 0 after relock"
ctl relock 0	# idempotent
assert_dmesg 'dsmil_smi: group 0 relocked' 1
ctl relock all
ctl_fails 4 "$(locked 0x800c 1)" token write 0x800c 8
assert_eq "$(cat $SMI_MOD/status/unlocked)" "" "status/unlocked after relock all"
# Only closing windows are events: relock 0, then relock all closing 1.
events_stop
assert_eq "$(events_json '[.type, .group]' | paste -sd' ')" \
	'["smi-relock",0] ["smi-relock",1]' "events of the relocks"

# Group and length limits.
ctl_fails 2 "dsmilctl: group 16: unlock refused: group or --seconds out of range" unlock 16
ctl_fails 5 "dsmilctl: group 7: no such group" unlock 7
ctl_fails 2 "dsmilctl: group 0: unlock refused: group or --seconds out of range" unlock 0 --seconds 601
assert_eq "$(remaining 0)" 0 "remaining 0 after refused unlocks"
rem=$(unlocked_ms 0 600)
[ "$rem" -gt 599900 ] && [ "$rem" -le 600000 ] || fail "remaining after unlock 0 for 600 s: $rem ms"
ctl_fails 2 "dsmilctl: group 16: out of range" relock 16
assert_eq "$(smi_stat writes)" 8 "writes counted"
assert_eq "$(fe_stat smi_writes)" 8 "smi_writes of DSMIL_IOC_STATS"
assert_eq "$(fe_stat smi_denied)" "$(smi_stat denied)" "smi_denied of DSMIL_IOC_STATS"
