#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# With the nodes opened to a group (what etc/udev/rules.d/60-dsmil.rules
# does for group "dsmil"; here nogroup), an unprivileged user lists and
# reads with dsmilctl, and every privileged command is refused with its
# cause: by the node's mode, then (world-writable nodes) by the capability
# checks; root without CAP_SYS_RAWIO too.  Nothing changes.  The raw
# ioctls are covered by 12-unprivileged-ioctls.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

fe_load backend=emu
fe_nobody_runs "$DSMILCTL"
chgrp nogroup $FE_CTL /dev/dsmil/dsmil0:g0d00
chmod 0640 $FE_CTL /dev/dsmil/dsmil0:g0d00
ctl write g0d00 0x0c 0x1234
ctl unlock 0 >/dev/null
ctl token write 0x8000 0x55
ctl relock all

# Reading works.
assert_eq "$(as_nobody "$DSMILCTL" --json list | json '.devices | length')" 84 "list as nobody"
assert_eq "$(as_nobody "$DSMILCTL" read g0d00 0x0c)" 0x00001234 "read as nobody"
assert_eq "$(as_nobody "$DSMILCTL" token read 0x8000)" 0x00000055 "token read as nobody"
assert_eq "$(as_nobody "$DSMILCTL" --json show g0d00 | json .state)" '"present"' "show as nobody"
assert_eq "$(as_nobody dd if=/dev/dsmil/dsmil0:g0d00 bs=4 count=1 status=none | od -An -tx4 | tr -d ' ')" \
	d5008000 "read of the node as nobody"

# Writing needs the node's write permission first ...
out=$(as_nobody "$DSMILCTL" write g0d00 0x0c 1 2>&1)
assert_eq "$?:$out" "4:dsmilctl: /dev/dsmil/ctl: cannot open for writing: Permission denied" "write, node 0640"

# ... then the capabilities.
chmod 0666 $FE_CTL
out=$(as_nobody "$DSMILCTL" write g0d00 0x0c 1 2>&1)
assert_eq "$?:$out" "4:dsmilctl: dsmil0:g0d00: offset 0xc: write refused: needs CAP_SYS_RAWIO" "write"
out=$(as_nobody "$DSMILCTL" token write 0x8000 1 2>&1)
assert_eq "$?:$out" "4:dsmilctl: token 0x8000: write refused: needs CAP_SYS_ADMIN" "token write"
out=$(as_nobody "$DSMILCTL" unlock 0 2>&1)
assert_eq "$?:$out" "4:dsmilctl: group 0: unlock refused: needs CAP_SYS_ADMIN" "unlock"
out=$(as_nobody "$DSMILCTL" dma test 2>&1)
assert_eq "$?:$out" "4:dsmilctl: dma lock: 2048 bytes: needs CAP_SYS_RAWIO" "dma test"

# Root without CAP_SYS_RAWIO (dropped from the bounding set) is refused too.
out=$(setpriv --bounding-set=-sys_rawio -- "$DSMILCTL" write g0d00 0x0c 1 2>&1)
assert_eq "$?:$out" "4:dsmilctl: dsmil0:g0d00: offset 0xc: write refused: needs CAP_SYS_RAWIO" "write without CAP_SYS_RAWIO"

# Nothing changed.
assert_eq "$(ctl read g0d00 0x0c)" 0x00001234 "register after the refusals"
assert_eq "$(ctl token read 0x8000)" 0x00000055 "token after the refusals"
assert_eq "$(ctl --json stats | json '[.dma_handles, .refused_perm >= 5]')" '[0,true]' "locks, refusals"
assert_eq "$(ctl --json token info 0x8000 | json .unlocked)" false "group 0 after the refusals"
