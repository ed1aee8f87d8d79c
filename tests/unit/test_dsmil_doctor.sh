#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/test_dsmil_doctor.sh: scripts/dsmil-doctor on a fake machine
# (a directory given as DSMIL_DOCTOR_ROOT: /lib/modules, /usr/src,
# /var/lib/dkms, /etc, /boot, /dev/dsmil, /sys) and a PATH of stubs (uname,
# id, dkms, mokutil, dmesg): the next-boot kernel (GRUB's default, the
# /vmlinuz symlink, the newest image), the machine-wide checks (DKMS
# autoinstall and kernel hooks, blacklists, failed-build markers, the
# caller's group, /dev/dsmil, lockdown), the exit status (0 clean, 1
# warnings, 2 errors, 3 usage), --json and --report.  The packaging test
# (tests/pkg/run step 8) does the same on a real installation.  Run by
# tests/unit/run; prints TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
doc=$top/scripts/dsmil-doctor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=tests/unit/tap.sh
. "$top/tests/unit/tap.sh"

k1=6.1.0-40-amd64		# running
k2=6.12.100+deb12-amd64		# installed last, next boot
k2re=${k2//+/\\+}			# as a regular expression
ver=0.1.0
mygid=$(id -g)

# --- the stubs --------------------------------------------------------------
bin=$tmp/bin
mkdir -p "$bin"
cat > "$bin/uname" <<EOF
#!/bin/sh
case \$1 in
-r) echo "\${FAKE_KVER:-$k1}" ;;
-m) echo x86_64 ;;
*) echo "Linux \${FAKE_KVER:-$k1} #1 SMP x86_64 GNU/Linux" ;;
esac
EOF
# id: the caller is FAKE_USER (uid FAKE_UID, groups FAKE_GROUPS), root
# by default
cat > "$bin/id" <<'EOF'
#!/bin/sh
case $1 in
-u) echo "${FAKE_UID:-0}" ;;
-un) echo "${FAKE_USER:-root}" ;;
-g) echo "${FAKE_GROUPS%% *}" ;;
-G) echo "${FAKE_GROUPS:-0}" ;;
*) echo "uid=${FAKE_UID:-0}(${FAKE_USER:-root})" ;;
esac
EOF
cat > "$bin/dkms" <<EOF
#!/bin/sh
[ "\$1" = status ] && echo "dsmil/$ver, $k1, x86_64: installed"
exit 0
EOF
printf '#!/bin/sh\n[ "$1" = --sb-state ] && echo "SecureBoot disabled"\nexit 0\n' > "$bin/mokutil"
printf '#!/bin/sh\necho "[  1.0] dsmil_core: controller ready"\necho "[  1.1] usb 1-1: new device"\n' > "$bin/dmesg"
printf '#!/bin/sh\nexit 0\n' > "$bin/ko-check"
chmod +x "$bin"/*

# --- the fake machine -----------------------------------------------------------
# mkroot: a fresh machine in $R: dsmil $ver registered with DKMS and
# installed for $k1 (running) and $k2 (the /vmlinuz symlink), with headers;
# DKMS's hooks; the group dsmil (gid: ours); nothing wrong.
rn=0
mkroot()
{
	local k m
	rn=$((rn + 1))
	R=$tmp/root$rn
	mkdir -p "$R/usr/src/dsmil-$ver" "$R/var/lib/dkms/dsmil/$ver" "$R/etc/dkms" \
		"$R/etc/kernel/header_postinst.d" "$R/etc/kernel/postinst.d" "$R/etc/modprobe.d" \
		"$R/boot" "$R/proc" "$R/var/lib/dkms/dsmil/$ver/build"
	cat > "$R/usr/src/dsmil-$ver/dkms.conf" <<EOF
PACKAGE_NAME="dsmil"
PACKAGE_VERSION="$ver"
BUILD_EXCLUSIVE_KERNEL_MIN="5.10"
BUILD_EXCLUSIVE_KERNEL_MAX="7.3.999"
BUILT_MODULE_NAME[0]="dsmil_core"
BUILT_MODULE_NAME[1]="dsmil"
EOF
	ln -s "/usr/src/dsmil-$ver" "$R/var/lib/dkms/dsmil/$ver/source"
	echo 12.9 > "$R/etc/debian_version"
	for k in "$k1" "$k2"; do
		mkdir -p "$R/lib/modules/$k/build/include" "$R/lib/modules/$k/updates/dkms" \
			"$R/var/lib/dkms/dsmil/$ver/$k/x86_64/log"
		echo all: > "$R/lib/modules/$k/build/Makefile"
		for m in dsmil_core dsmil; do
			echo "not an ELF: $m for $k" > "$R/lib/modules/$k/updates/dkms/$m.ko"
		done
		echo "make log of $k" > "$R/var/lib/dkms/dsmil/$ver/$k/x86_64/log/make.log"
		echo "vmlinuz $k" > "$R/boot/vmlinuz-$k"
		printf 'CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_KEY="certs/signing_key.pem"\nCONFIG_INTEL_IOMMU=y\nCONFIG_DMA_CMA=y\nCONFIG_EXT4_FS=y\n' \
			> "$R/boot/config-$k"
	done
	ln -s "boot/vmlinuz-$k2" "$R/vmlinuz"
	printf '#!/bin/sh\n' > "$R/etc/kernel/header_postinst.d/dkms"
	printf '#!/bin/sh\n' > "$R/etc/kernel/postinst.d/dkms"
	chmod 755 "$R/etc/kernel/header_postinst.d/dkms" "$R/etc/kernel/postinst.d/dkms"
	printf 'root:x:0:\ndsmil:x:%s:alice\n' "$mygid" > "$R/etc/group"
	printf 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n' \
		> "$R/etc/passwd"
	echo "# parameters" > "$R/etc/modprobe.d/dsmil.conf"
	echo "BOOT_IMAGE=/boot/vmlinuz-$k1 root=/dev/vda1 ro quiet" > "$R/proc/cmdline"
	# key material the report must never take
	echo "PRIVATE KEY" > "$R/var/lib/dkms/mok.key"
	echo "CERTIFICATE" > "$R/var/lib/dkms/mok.pub"
}

# doctor ARGS...: run it on $R; output in $out, exit status in $rc.
doctor()
{
	out=$(env DSMIL_DOCTOR_ROOT="$R" PATH="$bin:$PATH" DSMIL_KO_CHECK="$bin/ko-check" \
		"$doc" "$@" 2>&1)
	rc=$?
}

# finds NAME RC ID SEVERITY REGEX [ARGS...]: the doctor exits RC, prints a
# line "SEVERITY: CHECK: ..." matching REGEX, and its --json has a finding
# ID of SEVERITY.
finds()
{
	local name=$1 want=$2 id=$3 sev=$4 re=$5 text jrc
	shift 5
	doctor "$@"
	text=$out
	if [ "$rc" != "$want" ] || ! grep -qE "^$sev: ${id%%.*}: .*$re" <<< "$text"; then
		result 1 "$name" "exit $rc (want $want), want a line '$sev: ${id%%.*}: ...$re'
$text"
		return
	fi
	doctor --json "$@"
	jrc=$rc
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["schema"] == 1, "schema"
assert any(f["id"] == sys.argv[2] and f["severity"] == sys.argv[3] for f in d["findings"]), "no finding " + sys.argv[2]
' "$out" "$id" "$sev" 2>&1 && [ "$jrc" = "$want" ]
	result $? "$name" "--json: exit $jrc
$out"
}

# clean NAME [ARGS...]: exit 0, "no problem found".
clean()
{
	local name=$1
	shift
	doctor "$@"
	[ "$rc" = 0 ] && grep -q "no problem found" <<< "$out"
	result $? "$name" "exit $rc
$out"
}

# --- the tests -----------------------------------------------------------------------
mkroot
clean "a healthy machine: exit 0, no problem found"
doctor
grep -q "kernel $k1 (running), kernel $k2 (next boot)" <<< "$out" &&
	grep -q "next boot: $k2, from the symlink /vmlinuz -> boot/vmlinuz-$k2" <<< "$out"
result $? "the running kernel and the next-boot kernel (/vmlinuz) are both checked, and it says how it chose" "$out"

mkroot
rm "$R/lib/modules/$k2/updates/dkms/dsmil.ko"
finds "a module missing for the next-boot kernel only: error about $k2, exit 2" 2 \
	modules.missing error "dsmil not installed for kernel $k2re"
doctor --kver "$k1"
[ "$rc" = 0 ]
result $? "--kver $k1 checks that kernel only" "$out"

# GRUB's default: the saved entry, by titles, in the submenu
mkroot
mkdir -p "$R/boot/grub"
cat > "$R/boot/grub/grub.cfg" <<EOF
function load_video {
  insmod all_video
}
if [ "\${next_entry}" ] ; then
   set default="\${next_entry}"
   set next_entry=
else
   set default="\${saved_entry}"
fi
menuentry 'Debian GNU/Linux' --class debian \$menuentry_id_option 'gnulinux-simple-u1' {
	load_video
	linux	/boot/vmlinuz-$k2 root=UUID=u1 ro quiet
}
submenu 'Advanced options for Debian GNU/Linux' \$menuentry_id_option 'gnulinux-advanced-u1' {
	menuentry 'Debian GNU/Linux, with Linux $k2' --class debian \$menuentry_id_option 'gnulinux-$k2-advanced-u1' {
		linux	/boot/vmlinuz-$k2 root=UUID=u1 ro quiet
	}
	menuentry 'Debian GNU/Linux, with Linux $k1' --class debian \$menuentry_id_option 'gnulinux-$k1-advanced-u1' {
		linux	/boot/vmlinuz-$k1 root=UUID=u1 ro quiet
	}
}
menuentry 'UEFI Firmware Settings' \$menuentry_id_option 'uefi-firmware' {
	fwsetup
}
EOF
printf '# GRUB Environment Block\nsaved_entry=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux %s\n' "$k1" \
	> "$R/boot/grub/grubenv"
doctor --json
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["next_boot"]["release"] == sys.argv[2], d["next_boot"]
assert "saved_entry" in d["next_boot"]["how"] and "GRUB" in d["next_boot"]["how"], d["next_boot"]
assert [k["release"] for k in d["kernels"]] == [sys.argv[2]], d["kernels"]
' "$out" "$k1" 2>&1
result $? "GRUB_DEFAULT=saved, a submenu entry by its titles: the next boot is $k1 (GRUB's choice over /vmlinuz)" "$out"

sed -i 's/^saved_entry=.*/saved_entry=1>1/' "$R/boot/grub/grubenv"
FAKE_KVER=$k2 doctor --json
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["next_boot"]["release"] == sys.argv[2], d["next_boot"]
assert [k["release"] for k in d["kernels"]] == [sys.argv[3], sys.argv[2]], d["kernels"]
' "$out" "$k1" "$k2" 2>&1
result $? "saved_entry=1>1 (indexes): the next boot is $k1, checked after the running $k2" "$out"

printf 'next_entry=gnulinux-advanced-u1>gnulinux-%s-advanced-u1\nsaved_entry=1>1\n' "$k2" > "$R/boot/grub/grubenv"
doctor
grep -q "next boot: $k2, from GRUB's default entry 'Debian GNU/Linux, with Linux $k2' (next_entry=" <<< "$out"
result $? "grub-reboot's next_entry (by ids) comes first" "$out"

# no GRUB, no symlink: the newest image
mkroot
rm "$R/vmlinuz"
FAKE_KVER=$k2 doctor
grep -q "next boot: $k2, from the newest kernel image in /boot" <<< "$out"
result $? "no boot loader configuration, no /vmlinuz: the newest image in /boot ($k2, not $k1)" "$out"

# --- broken setups made on purpose
mkroot
touch "$R/etc/dkms/no-autoinstall"
finds "/etc/dkms/no-autoinstall: an error, exit 2" 2 dkms.no-autoinstall error \
	"/etc/dkms/no-autoinstall exists.*Fix: sudo rm /etc/dkms/no-autoinstall"

mkroot
rm "$R/etc/kernel/postinst.d/dkms"
finds "DKMS's kernel hook removed: an error naming it, exit 2" 2 dkms.hook-missing error \
	"hook /etc/kernel/postinst.d/dkms is missing.*--force-confmiss dkms"
mkroot
chmod 644 "$R/etc/kernel/header_postinst.d/dkms"
finds "DKMS's header hook not executable: an error, exit 2" 2 dkms.hook-not-executable error \
	"hook /etc/kernel/header_postinst.d/dkms is not executable.*chmod 755"

mkroot
printf '# local\nblacklist dsmil-core\n' > "$R/etc/modprobe.d/local.conf"
finds "blacklist dsmil-core in /etc/modprobe.d/local.conf: an error naming the file, exit 2" 2 \
	blacklist.module error "dsmil_core is blacklisted \\(blacklist in /etc/modprobe.d/local.conf\\)"
mkroot
echo 'install dsmil /bin/false' > "$R/etc/modprobe.d/off.conf"
finds "install dsmil /bin/false: an error, exit 2" 2 blacklist.module error \
	"dsmil is blacklisted .\"install dsmil /bin/false\" in /etc/modprobe.d/off.conf"
mkroot
echo 'blacklist dsmil_core' > "$R/etc/modprobe.d/x.conf.disabled"
clean "a blacklist in a file kmod does not read (not *.conf): no finding"
mkroot
echo "BOOT_IMAGE=/boot/vmlinuz-$k1 ro module_blacklist=foo,dsmil_core" > "$R/proc/cmdline"
finds "module_blacklist= on the kernel command line: an error, exit 2" 2 blacklist.module error \
	"module_blacklist= on the kernel command line"

mkroot
mkdir -p "$R/var/lib/dsmil/build-failed"
printf '/var/lib/dkms/dsmil/%s/build/make.log\n2026-12-06T10:00:00Z\n' "$ver" > "$R/var/lib/dsmil/build-failed/$k2"
echo "error: something" > "$R/var/lib/dkms/dsmil/$ver/build/make.log"
touch -d '1 hour ago' "$R"/lib/modules/*/updates/dkms/*
finds "a failed-build marker for $k2: an error naming the kernel, the time and the log, exit 2" 2 \
	build.failed error "build of dsmil for kernel $k2re failed at 2026-12-06T10:00:00Z \\(log: /var/lib/dkms/dsmil/$ver/build/make.log\\)"
doctor --json --kver "$k1"
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
f = [f for f in d["findings"] if f["id"] == "build.failed"]
assert len(f) == 1 and f[0]["kernel"] == sys.argv[2], f
' "$out" "$k2" 2>&1
result $? "the marker is reported with --kver of another kernel too, with its kernel in the JSON" "$out"
touch -d '1 hour ago' "$R/var/lib/dsmil/build-failed/$k2"
touch "$R"/lib/modules/"$k2"/updates/dkms/*
finds "a marker older than the modules installed since (a build by hand): a warning to remove it, exit 1" 1 \
	build.stale-marker warning "but its modules were installed since.*Fix: sudo rm /var/lib/dsmil/build-failed/$k2re"

mkroot
FAKE_UID=1001 FAKE_USER=bob FAKE_GROUPS="1001" \
	finds "the caller (bob) not in the group dsmil: a warning, exit 1" 1 group.not-member warning \
	"bob is not in the group dsmil.*usermod -aG dsmil bob"
FAKE_UID=1000 FAKE_USER=alice FAKE_GROUPS="1000" \
	finds "alice added to dsmil after her session started: a warning to log in again, exit 1" 1 \
	group.relogin warning "alice was added to the group dsmil after this session started"
FAKE_UID=1000 FAKE_USER=alice FAKE_GROUPS="1000 $mygid" \
	clean "alice in the group dsmil: no finding"
SUDO_USER=bob finds "under sudo, the user who called sudo is checked" 1 group.not-member warning \
	"bob is not in the group dsmil"
sed -i '/^dsmil:/d' "$R/etc/group"
finds "no group dsmil: a warning, exit 1" 1 group.missing warning "the group dsmil does not exist"

mkroot
mkdir -p "$R/dev/dsmil"
: > "$R/dev/dsmil/ctl"
: > "$R/dev/dsmil/dsmil0:g0d00"
chmod 640 "$R"/dev/dsmil/*
clean "/dev/dsmil/* of group dsmil, mode 0640: no finding"
chmod 666 "$R/dev/dsmil/ctl"
finds "/dev/dsmil/ctl mode 0666: a warning, exit 1" 1 devices.mode warning "1 of the 2 nodes in /dev/dsmil \\(ctl:666\\)"
chmod 640 "$R/dev/dsmil/ctl"
sed -i "s/^dsmil:x:$mygid:/dsmil:x:4242:/" "$R/etc/group"
finds "/dev/dsmil/* not of group dsmil (the udev rule not applied): a warning, exit 1" 1 devices.group warning \
	"2 of the 2 nodes in /dev/dsmil .* do not belong to the group dsmil.*udevadm trigger"

mkroot
mkdir -p "$R/sys/kernel/security"
echo "none [integrity] confidentiality" > "$R/sys/kernel/security/lockdown"
finds "lockdown=integrity and unsigned modules on the running kernel: an error, exit 2" 2 \
	signature.unsigned error "dsmil_core is not signed and kernel $k1 only loads signed modules \\(kernel lockdown \\(integrity\\)\\)"
doctor --kver "$k2"
[ "$rc" = 0 ]
result $? "lockdown is the running kernel's: --kver $k2 (not running) is clean" "$out"

# several findings: the exit status is the worst one
mkroot
touch "$R/etc/dkms/no-autoinstall"
FAKE_UID=1001 FAKE_USER=bob FAKE_GROUPS="1001" doctor
[ "$rc" = 2 ] && grep -q "2 problem(s) found: 1 error(s), 1 warning(s)" <<< "$out"
result $? "an error and a warning: exit 2, both counted" "$out"

# --json
FAKE_UID=1001 FAKE_USER=bob FAKE_GROUPS="1001" doctor --json
python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["schema"] == 1
assert d["errors"] == 1 and d["warnings"] == 1 and d["ok"] is False
for f in d["findings"]:
    assert set(f) >= {"id", "severity", "check", "kernel", "message", "fix"}, f
    assert f["severity"] in ("error", "warning") and f["id"].startswith(f["check"] + "."), f
assert {f["id"] for f in d["findings"]} == {"dkms.no-autoinstall", "group.not-member"}
assert d["kernels"][0] == {"release": sys.argv[2], "running": True, "next_boot": False}
assert d["next_boot"]["release"] == sys.argv[3]
' "$out" "$k1" "$k2" 2>&1
result $? "--json: schema 1, counts, every finding with id, severity, check, kernel, message, fix" "$out"

# --report
mkroot
mkdir -p "$R/var/lib/dsmil/build-failed" "$R/home/alice"
printf '/var/lib/dkms/dsmil/%s/build/make.log\n2026-12-06T10:00:00Z\n' "$ver" > "$R/var/lib/dsmil/build-failed/$k2"
echo "error: something" > "$R/var/lib/dkms/dsmil/$ver/build/make.log"
printf '/etc/shadow\nnow\n' > "$R/var/lib/dsmil/build-failed/6.1.0-1-amd64"
echo "root:secret:1::::::" > "$R/etc/shadow"
echo secret > "$R/home/alice/.bash_history"
(cd "$tmp" && env DSMIL_DOCTOR_ROOT="$R" PATH="$bin:$PATH" DSMIL_KO_CHECK="$bin/ko-check" \
	"$doc" --report bug.tar.gz > "$tmp/report.out" 2>&1)
rc=$?
out=$(cat "$tmp/report.out")
list=$(tar -tzf "$tmp/bug.tar.gz" 2>&1 | sort)
bad=
for m in doctor.txt doctor.json uname.txt boot.txt packages.txt dkms-status.txt dmesg.txt \
	 "dkms-logs/$ver/$k1/x86_64/log/make.log" "dkms-logs/$ver/build/make.log" \
	 "build-failed/$k2" "build-failed/$k2.make.log" "modinfo/$k1.txt" "modinfo/$k2.txt" \
	 "kconfig/$k1.txt" modprobe.d/dsmil.conf; do
	grep -qx "dsmil-report/$m" <<< "$list" || bad+=" missing:$m"
done
grep -E 'mok|\.key|\.pem|\.der|shadow|home/|bash_history' <<< "$list" && bad+=" key-or-private-file"
tar -xzf "$tmp/bug.tar.gz" -C "$tmp" 2>/dev/null
grep -rq secret "$tmp/dsmil-report" && bad+=" secret-content"
grep -rq "PRIVATE KEY" "$tmp/dsmil-report" && bad+=" key-content"
python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["schema"] == 1' \
	"$tmp/dsmil-report/doctor.json" 2>&1 || bad+=" json"
grep -q "^CONFIG_INTEL_IOMMU=y" "$tmp/dsmil-report/kconfig/$k1.txt" &&
	grep -q "^CONFIG_MODULE_SIG=y" "$tmp/dsmil-report/kconfig/$k1.txt" &&
	! grep -q EXT4 "$tmp/dsmil-report/kconfig/$k1.txt" || bad+=" kconfig"
grep -q dsmil_core "$tmp/dsmil-report/dmesg.txt" && ! grep -q usb "$tmp/dsmil-report/dmesg.txt" ||
	bad+=" dmesg"
grep -q "report written to $tmp/bug.tar.gz" <<< "$out" &&
	grep -q "dsmil-report/dkms-status.txt: dkms status" <<< "$out" || bad+=" output"
[ "$rc" = 2 ] || bad+=" exit-$rc"
[ -z "$bad" ]
result $? "--report: the expected members, no key, no shadow, no home; says what and where" "$bad
$out
$list"

doctor --report "$tmp/no/such/dir/bug.tar.gz"
[ "$rc" = 4 ] && [ "$(grep -c "cannot write the report $tmp/no/such/dir/bug.tar.gz" <<< "$out")" = 1 ]
result $? "--report into a missing directory: one line naming the cause, exit 4" "exit $rc
$out"

# --- the command line
doctor --bogus
[ "$rc" = 3 ] && [ "$out" = "dsmil-doctor: unrecognized option '--bogus' (dsmil-doctor --help)" ]
result $? "unknown option: one line, exit 3" "exit $rc: $out"
doctor --kver
[ "$rc" = 3 ] && [ "$(wc -l <<< "$out")" = 1 ] && grep -q "'--kver' requires an argument" <<< "$out"
result $? "--kver without its value: one line, exit 3" "exit $rc: $out"
doctor --kver=../x
[ "$rc" = 3 ] && [ "$out" = "dsmil-doctor: --kver '../x': not a kernel release (dsmil-doctor --help)" ]
result $? "--kver=../x: refused, exit 3" "exit $rc: $out"
doctor --report=
[ "$rc" = 3 ] && [ "$(wc -l <<< "$out")" = 1 ]
result $? "--report with an empty name: one line, exit 3" "exit $rc: $out"
mkroot
doctor --verb --json
[ "$rc" = 0 ] && python3 -c 'import json, sys; json.loads(sys.argv[1])' "$out"
result $? "getopt-style: --verb abbreviates --verbose" "exit $rc: $out"

tap_done
