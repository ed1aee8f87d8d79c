#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dsmilctl's output, text and --json, against the sysfs truth: the device
# list, one device, registers (also against a read of the node), tokens,
# the thermal guard, info; JSON numbers are numbers, booleans booleans.
# Usage errors are one line with exit code 2, unknown devices 5.
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/frontend/fe-lib"

fe_load backend=emu

# The list, field by field, against the attributes of every device.
ctl --json list > "$DSMIL_TMP/list.json"
json '.devices[] | [.name, .group, .index, .token, .state, .quarantined] | @tsv' < "$DSMIL_TMP/list.json" |
	tr -d '"' | sed 's/\\t/ /g' | sort > "$DSMIL_TMP/list.got"
grep -r . $FE_DEVS/*/group $FE_DEVS/*/index $FE_DEVS/*/token $FE_DEVS/*/state $FE_DEVS/*/quarantined |
	awk -F'[/:]' '
	function hex(s,  i, v) {
		for (i = 3; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
		return v
	}
	{ n = $6 ":" $7; v[n, $8] = $9; names[n] = 1 }
	END { for (n in names) printf "%s %s %s %d %s %s\n", n, v[n, "group"], v[n, "index"],
		hex(v[n, "token"]), v[n, "state"], v[n, "quarantined"] ? "true" : "false" }' |
	sort > "$DSMIL_TMP/list.want"
assert_eq "$(wc -l < "$DSMIL_TMP/list.want")" 84 "devices in sysfs"
diff "$DSMIL_TMP/list.want" "$DSMIL_TMP/list.got" || fail "dsmilctl --json list differs from sysfs"
assert_eq "$(json '[keys_unsorted, .schema, (.devices[0] | keys_unsorted), ([.devices[] | (.group, .index, .token) | type] | unique), ([.devices[].quarantined | type] | unique)]' < "$DSMIL_TMP/list.json")" \
	'[["schema","devices"],1,["name","group","index","token","state","quarantined"],["number"],["boolean"]]' "list: schema, keys and types"
ctl list > "$DSMIL_TMP/list.txt"
assert_eq "$(head -1 "$DSMIL_TMP/list.txt" | tr -s ' ')" "NAME GROUP INDEX TOKEN STATE QUARANTINED" "table header"
assert_eq "$(wc -l < "$DSMIL_TMP/list.txt")" 85 "table rows"
assert_eq "$(grep g0d09 "$DSMIL_TMP/list.txt" | tr -s ' ')" "dsmil0:g0d09 0 9 0x8009 quarantined yes" "row of g0d09"

assert_eq "$(ctl --json show g2d05 | json '[.name, .token, .mmio_size, .absent, .mappable, .node, .unlocked]')" \
	"[\"dsmil0:g2d05\",32797,$(cat $FE_DEVS/dsmil0:g2d05/mmio_size),false,false,\"/dev/dsmil/dsmil0:g2d05\",false]" "show --json"
ctl show 0x801d | grep -qx 'state: *present' || fail "show by token: $(ctl show 0x801d)"

# Registers: dsmilctl, the node and the emu register file agree.
ctl write dsmil0:g0d01 0x0c 0xcafe
assert_eq "$(ctl read g0d1 0x0c)" 0x0000cafe "read"
assert_eq "$(ctl --json read 0x8001 12)" '{"schema":1,"device":"dsmil0:g0d01","token":32769,"offset":12,"value":51966}' "read --json"
assert_eq "$(dd if=/dev/dsmil/dsmil0:g0d01 bs=4 skip=3 count=1 status=none | od -An -tx4 | tr -d ' ')" \
	0000cafe "read of the node"
assert_eq "$(ctl read g0d01 0)" 0xd5008001 "ID register"
assert_eq "$(ctl --json write g0d01 0xc 7)" '{"schema":1,"device":"dsmil0:g0d01","token":32769,"offset":12,"value":7}' "write --json"

# Tokens.
assert_eq "$(ctl --json unlock 1 | json '[.group, .unlocked, .remaining_ms > 0 and .remaining_ms <= 60000]')" \
	'[1,true,true]' "unlock --json"
ctl token write 0x800c 0x77
assert_eq "$(ctl token read 0x800c)" 0x00000077 "token read"
assert_eq "$(ctl --json token read 0x800c)" '{"schema":1,"token":32780,"value":119}' "token read --json"
assert_eq "$(ctl --json relock 1)" '{"schema":1,"group":1,"unlocked":false}' "relock --json"
assert_eq "$(ctl --json verify | json '[.ok, .transport]')" '[true,"emu"]' "verify --json"

# The thermal guard, in and out of an emergency.
limit=$(cat /sys/module/dsmil_core/parameters/thermal_limit_mc)
for t in 40000 86000; do
	echo $t > $FE_DBG/emu_temp_mc
	assert_eq "$(ctl --json thermal)" \
		"{\"schema\":1,\"temp_mc\":$(cat $FE_CTRL/temp_mc),\"limit_mc\":$limit,\"state\":\"$(cat $FE_CTRL/thermal_state)\",\"hysteresis_mc\":5000}" \
		"thermal --json at $t"
done
ctl thermal | grep -qx 'state: *emergency' || fail "thermal text: $(ctl thermal)"
echo 40000 > $FE_DBG/emu_temp_mc

assert_eq "$(ctl --json info | json '[.version, .abi, .devices, .groups, .devices_per_group, .tokens, .dma, .smi_transport]')" \
	"[\"$(cat /sys/module/dsmil/version)\",\"1.2\",84,7,12,true,true,\"emu\"]" "info --json"
assert_eq "$(ctl --json stats | json '[([.[] | type] | unique), .reg_writes >= 2, .smi_writes >= 1]')" \
	'[["number"],true,true]' "stats --json"

# Usage errors and unknown things.
ctl_fails 2 "dsmilctl: frob: unknown command (dsmilctl --help)" frob
ctl_fails 2 "dsmilctl: usage: dsmilctl read DEVICE OFFSET" read g0d00
ctl_fails 5 "dsmilctl: device 'g9d0': no such device" read g9d0 0
ctl_fails 2 "dsmilctl: offset '12x': not a number" read g0d00 12x
ctl_fails 2 "dsmilctl: dsmil0:g0d00: offset 0x2: not a 4-byte aligned offset inside the 4096-byte window" read g0d00 2
ctl_fails 2 "dsmilctl: value '0x100000000': not a 32-bit number" write g0d00 0 0x100000000
ctl_fails 2 "dsmilctl: option --size: does not apply to 'list'" list --size 1
