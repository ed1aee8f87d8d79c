#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "dsmilctl events" follows the event stream of /dev/dsmil/ctl: a thermal
# emergency raised and cleared (JSON), a device interrupt (an emu doorbell)
# and an SMI timeout (text), one line each, in order.  Overflow of a slow
# reader: 13-event-overflow.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

# follow OUT ARGS...: dsmilctl events in the background, once it listens.
follow()
{
	local out=$1 fd
	shift
	"$DSMILCTL" events --timeout 60000 "$@" > "$out" &
	FOLLOW_PID=$!
	for _ in $(seq 200); do
		for fd in /proc/$FOLLOW_PID/fd/*; do
			[ "$(readlink "$fd")" != $FE_CTL ] || return 0
		done
		sleep 0.05
	done
	fail "dsmilctl events did not open $FE_CTL"
}

fe_load backend=emu

follow "$DSMIL_TMP/thermal.json" --json --count 2
echo 90000 > $FE_DBG/emu_temp_mc
echo 70000 > $FE_DBG/emu_temp_mc
wait $FOLLOW_PID || fail "dsmilctl events --count 2 failed"
assert_eq "$(json '[.seq, .type, .temp_mc, .limit_mc]' < "$DSMIL_TMP/thermal.json" | tr -d '\n')" \
	'[0,"thermal-emergency",90000,85000][1,"thermal-cleared",70000,85000]' "thermal events"

# A doorbell rung with events enabled: a device interrupt.
follow "$DSMIL_TMP/irq.txt" --count 1
ctl write g0d00 0x08 2
ctl write g0d00 0x10 0xabc
wait $FOLLOW_PID || fail "dsmilctl events --count 1 failed"
assert_eq "$(sed 's/ time_ns=[0-9]*//' "$DSMIL_TMP/irq.txt")" \
	"seq=0 type=device-irq token=0x8000 value=0x00000abc" "interrupt event"

# An SMI that outlives timeout_ms: the caller gets ETIMEDOUT, readers an event.
follow "$DSMIL_TMP/smi.txt" --count 1
echo 150000 > /sys/module/dsmil_smi/parameters/emu_latency_us
out=$("$DSMILCTL" token read 0x8003 2>&1)
assert_eq "$?:$out" "1:dsmilctl: token 0x8003: read failed: timed out" "token read past the timeout"
wait $FOLLOW_PID || fail "dsmilctl events (smi) failed"
echo 0 > /sys/module/dsmil_smi/parameters/emu_latency_us
assert_eq "$(sed 's/ time_ns=[0-9]*//' "$DSMIL_TMP/smi.txt")" \
	"seq=0 type=smi-timeout token=0x8003 timeout_ms=100 op=read" "SMI timeout event"
