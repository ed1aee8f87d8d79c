#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# VERIFY raises a transport call (a real SMI on the dell transport) and
# needs what a read of the transport's verify token needs: CAP_SYS_RAWIO
# (what dell-smbios's deny-list asks of a read of a token it does not
# allow-list) and the transport's deny-list.  With ctl world-writable,
# nobody (no capabilities) and root without CAP_SYS_RAWIO are refused with
# EPERM ("verify refused: needs CAP_SYS_RAWIO"), the transport is not
# called; root still verifies, through a file opened read-only too.
# Unprivileged steps run dsmilctl from $DSMIL_PUB_TOOLS (nobody cannot
# reach the checkout).
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/smi/smi-lib"

PUB_DSMILCTL=$DSMIL_PUB_TOOLS/dsmilctl
as_nobody()
{
	setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
}

[ "$(id -u)" = 0 ] || fail "not root"
out=$(as_nobody "$PUB_DSMILCTL" --help 2>&1 >/dev/null)
rc=$?
[ $rc != 126 ] && [ $rc != 127 ] ||
	fail "nobody cannot run $PUB_DSMILCTL (exit $rc: ${out%%$'\n'*})"

smi_load
chmod 0666 $SMI_CTL
calls=$(cat $SMI_DBG/emu_calls)
perm=$(fe_stat refused_perm)

# A token read is open to nobody; VERIFY is not.
assert_eq "$(as_nobody "$PUB_DSMILCTL" token read 0x8000)" 0x00000000 "token read as nobody"
calls=$((calls + 1))
out=$(as_nobody "$PUB_DSMILCTL" verify 2>&1)
assert_eq "$?:$out" "4:dsmilctl: verify refused: needs CAP_SYS_RAWIO" "verify as nobody"
out=$(as_nobody "$PUB_DSMILCTL" --json verify 2>&1)
assert_eq "$?:$out" "4:dsmilctl: verify refused: needs CAP_SYS_RAWIO" "verify --json as nobody"
out=$(setpriv --bounding-set=-sys_rawio -- "$DSMILCTL" verify 2>&1)
assert_eq "$?:$out" "4:dsmilctl: verify refused: needs CAP_SYS_RAWIO" "verify without CAP_SYS_RAWIO"
assert_eq "$(cat $SMI_DBG/emu_calls)" "$calls" "emu transport calls after the refused verifies"
assert_eq "$(fe_stat refused_perm)" "$((perm + 3))" "refused_perm"

# Root verifies (dsmilctl opens ctl read-only for it).
assert_eq "$(ctl --json verify | json '[.ok, .transport]')" '[true,"emu"]' "verify as root"
assert_eq "$(cat $SMI_DBG/emu_calls)" "$((calls + 1))" "emu transport calls after root's verify"
smi_unload
