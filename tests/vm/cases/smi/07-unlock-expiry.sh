#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An unlock window ends on its own: writes work until it expires and fail
# with -EACCES after, the expiry is logged, audited and announced on the
# event stream once.  An unlock of 0 seconds (no --seconds) takes the
# unlock_seconds parameter; a second unlock restarts the window.  What the
# host's load can stretch (the time between two dsmilctl runs) is never
# assumed shorter than a window: the windows' lengths are the kernel's own
# reports, the short window sees no write until it has expired, and the
# write into a window is the first command after the unlock that opens it.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

# wait_locked GROUP: wait (at most 20 s) until GROUP's window is closed.
wait_locked()
{
	local _
	for _ in $(seq 200); do
		[ "$(remaining "$1")" != 0 ] || return 0
		sleep 0.1
	done
	fail "group $1 still unlocked after 20 s"
}

locked_2="dsmilctl: token 0x8018: write refused: group 2 is locked (dsmilctl unlock 2)"

smi_load unlock_seconds=30
events_start
dmesg_mark
rem3=$(unlocked_ms 3)
ctl token write 0x8024 3
rem2=$(unlocked_ms 2 2)
note "remaining after unlocking 3 (default) and 2 (2 s): $rem3 ms, $rem2 ms"
[ "$rem3" -gt 29900 ] && [ "$rem3" -le 30000 ] || fail "remaining 3: $rem3 ms"
[ "$rem2" -gt 1900 ] && [ "$rem2" -le 2000 ] || fail "remaining 2: $rem2 ms"
assert_dmesg 'dsmil_smi: group 3 unlocked for 30 s$' 1
assert_dmesg 'dsmil_smi: group 2 unlocked for 2 s$' 1
wait_locked 2
ctl_fails 4 "$locked_2" token write 0x8018 2
sleep 0.2	# the expiry work runs within a jiffy of the end
assert_dmesg '^\[ *[0-9.]+\] dsmil_smi: group 2 relocked: unlock window expired$' 1
[ "$(remaining 3)" != 0 ] || fail "group 3 closed with group 2"
ctl token write 0x8024 4	# group 3 still open
events_stop
assert_eq "$(events_json '[.type, .group]')" '["smi-relock",2]' "events of the expiry"
tok_eq 0x00000000 0x8018
tok_eq 0x00000004 0x8024
grep -q 'op=expire group=2$' $SMI_DBG/audit || fail "expiry not audited"
assert_eq "$(cat $SMI_MOD/status/unlocked)" 3 "status/unlocked"
ctl relock 3

# Re-unlocking restarts the window: 1 s into a 10 s window, a second
# unlock gives 10 s again, and the window closes once, after those.
dmesg_mark
ctl unlock 2 --seconds 10 >/dev/null
sleep 1
before=$(remaining 2)
after=$(unlocked_ms 2 10)
note "remaining 1 s into the window: $before ms, after a second unlock: $after ms"
[ "$before" -gt 0 ] && [ "$before" -le 9000 ] ||
	fail "remaining 1 s into the window: $before ms"
[ "$after" -gt 9900 ] && [ "$after" -le 10000 ] ||
	fail "remaining after a second unlock: $after ms"
ctl token write 0x8018 5
wait_locked 2
ctl_fails 4 "$locked_2" token write 0x8018 6
tok_eq 0x00000005 0x8018
sleep 0.2
assert_dmesg 'dsmil_smi: group 2 relocked: unlock window expired$' 1
