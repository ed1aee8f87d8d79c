#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A bad parameter on the command line fails the load with -EINVAL and
# exactly one dsmil_smi line naming it and the allowed range.  At run time
# a bad write to a writable parameter fails with -EINVAL, logs that line
# and changes nothing; a good one takes effect.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

# rejected PARAM=VALUE EXPECTED_LINE
rejected()
{
	dmesg_mark
	# shellcheck disable=SC2086 # $1 may hold several parameters
	load_fails "Invalid argument" dsmil_smi $1
	assert_dmesg "dsmil_smi: " 1
	dmesg_has "dsmil_smi: $2" ||
		fail "$1: expected '$2', got: $(dmesg_since | grep dsmil_smi)"
}

load dsmil_core backend=emu
rejected transport=smm "invalid transport=smm: allowed auto, emu, dell"
rejected timeout_ms=49 "invalid timeout_ms=49: allowed range 50-200"
rejected timeout_ms=201 "invalid timeout_ms=201: allowed range 50-200"
rejected timeout_ms=fast "invalid timeout_ms=fast: allowed range 50-200"
rejected emu_latency_us=1000001 "invalid emu_latency_us=1000001: allowed range 0-1000000"
rejected max_calls_per_sec=1000001 "invalid max_calls_per_sec=1000001: allowed range 0-1000000"
rejected unlock_seconds=0 "invalid unlock_seconds=0: allowed range 1-3600"
rejected unlock_max_seconds=3601 "invalid unlock_max_seconds=3601: allowed range 1-3600"
rejected "unlock_seconds=120 unlock_max_seconds=100" \
	"invalid unlock_seconds=120: allowed range 1-100 (unlock_max_seconds)"

# Limits are inclusive.
load dsmil_smi timeout_ms=50 unlock_seconds=100 unlock_max_seconds=100
unload dsmil_smi
load dsmil_smi timeout_ms=200 emu_latency_us=1000000 max_calls_per_sec=0
unload dsmil_smi

# runtime_rejected PARAM VALUE EXPECTED_LINE
runtime_rejected()
{
	local before
	before=$(cat "$SMI_PAR/$1")
	dmesg_mark
	if out=$( { echo "$2" > "$SMI_PAR/$1"; } 2>&1); then
		fail "writing $1=$2 succeeded"
	fi
	case $out in
	*"Invalid argument"*) ;;
	*) fail "writing $1=$2: '$out', expected 'Invalid argument'" ;;
	esac
	assert_eq "$(cat "$SMI_PAR/$1")" "$before" "$1 after writing $2"
	assert_dmesg "dsmil_smi: $3" 1
}

load dsmil_smi unlock_max_seconds=300
for p in timeout_ms emu_latency_us max_calls_per_sec unlock_seconds; do
	assert_eq "$(stat -c %a "$SMI_PAR/$p")" 644 "mode of $p"
done
for p in transport allow_hw unlock_max_seconds; do
	assert_eq "$(stat -c %a "$SMI_PAR/$p")" 444 "mode of $p"
done
runtime_rejected timeout_ms 49 "invalid timeout_ms=49: allowed range 50-200"
runtime_rejected timeout_ms 201 "invalid timeout_ms=201: allowed range 50-200"
runtime_rejected timeout_ms -1 "invalid timeout_ms=-1: allowed range 50-200"
runtime_rejected timeout_ms 1x "invalid timeout_ms=1x: allowed range 50-200"
runtime_rejected emu_latency_us 2000000 "invalid emu_latency_us=2000000: allowed range 0-1000000"
runtime_rejected max_calls_per_sec 1000001 "invalid max_calls_per_sec=1000001: allowed range 0-1000000"
runtime_rejected unlock_seconds 0 "invalid unlock_seconds=0: allowed range 1-300"
runtime_rejected unlock_seconds 301 "invalid unlock_seconds=301: allowed range 1-300"

set_param timeout_ms 150
assert_eq "$(cat $SMI_PAR/timeout_ms)" 150 "timeout_ms after a good write"
set_param emu_latency_us 250
assert_eq "$(cat $SMI_PAR/emu_latency_us)" 250 "emu_latency_us after a good write"
set_param unlock_seconds 300
assert_eq "$(cat $SMI_PAR/unlock_seconds)" 300 "unlock_seconds after a good write"
