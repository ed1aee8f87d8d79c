#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/test_log_replay.sh: tests/vm/guest/log-replay (the dm-log-writes
# reader of vexfs/12-log-writes) on crafted logs.  A good log is listed and
# replayed (whole, in ranges, with an entry dropped); malformed logs (bad
# magic, version or sector size, a truncated entry, a header past the end,
# a write past the replay device, a mark without a name or with a bad one,
# unknown flags, inline data on a write) are refused with exit 1 and one
# line naming the cause, the replay image untouched; usage errors exit 2.
# --copy makes a sparse copy of the replayed image; as root, --mount mounts
# the copy through a loop device (an ext2 image: exit 0, the device
# printed) or says why it cannot (exit 4, the loop device detached).
# Run by tests/unit/run; prints TAP.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lr=$tmp/log-replay

# shellcheck source=tests/unit/tap.sh
. "$top/tests/unit/tap.sh"

# (with the sanitizers: a crafted log must not make it read out of bounds)
# shellcheck disable=SC2054 # the commas belong to -fsanitize
cflags=(-O2 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-omit-frame-pointer)
if ! gcc "${cflags[@]}" -o "$lr" "$top/tests/vm/guest/log-replay.c" 2> "$tmp/cc"; then
	result 1 "log-replay.c compiles"
	sed 's/^/# /' "$tmp/cc"
	echo "1..$n"
	exit 1
fi
result 0 "log-replay.c compiles"

# The logs, made by python3 with the layout of dm-log-writes (512-byte
# sectors): good.log has a 2-sector write, a flush, a mark, a FUA write, a
# discard and a flush-and-FUA write; each bad log is good.log with one fault.
python3 - "$tmp" <<'EOF'
import struct, sys

d = sys.argv[1]
SS = 512
MAGIC = 0x6a736677736872
FLUSH, FUA, DISCARD, MARK, META = 1, 2, 4, 8, 16

def entry(sector, count, flags, data=b"", mark=b"", data_len=None):
    if data_len is None:
        data_len = len(mark)
    hdr = struct.pack("<QQQQ", sector, count, flags, data_len) + mark
    return hdr.ljust(SS, b"\0") + data

def log(entries, nr=None, magic=MAGIC, version=1, ss=SS):
    sup = struct.pack("<QQQI", magic, version,
                      len(entries) if nr is None else nr, ss)
    return sup.ljust(SS, b"\0") + b"".join(entries)

def fill(c, sectors):
    return bytes([c]) * (SS * sectors)

good = [
    entry(2, 2, 0, fill(0x41, 2)),          # 0: write A at sectors 2-3
    entry(0, 0, FLUSH),                      # 1: flush
    entry(0, 0, MARK, mark=b"one"),          # 2: mark "one"
    entry(3, 1, FUA | META, fill(0x42, 1)),  # 3: write B over sector 3
    entry(2, 1, DISCARD),                    # 4: discard sector 2
    entry(6, 1, FLUSH | FUA, fill(0x43, 1)), # 5: write C at sector 6
]
out = {
    "good": log(good),
    "bad-magic": log(good, magic=MAGIC + 1),
    "bad-version": log(good, version=2),
    "bad-sector-size": log(good, ss=1000),
    "truncated": log(good)[:-100],
    "header-past-end": log(good, nr=7),
    "past-device": log(good[:5] + [entry(15, 2, 0, fill(0x44, 2))]),
    "mark-no-name": log(good[:2] + [entry(0, 0, MARK)] + good[3:]),
    "mark-bad-name": log(good[:2] + [entry(0, 0, MARK, mark=b"a b")] + good[3:]),
    "unknown-flags": log(good[:1] + [entry(0, 0, FLUSH | 64)] + good[2:]),
    "inline-data": log(good[:1] + [entry(0, 0, FLUSH, data_len=5)] + good[2:]),
    "short": b"\x72\x68\x73\x77",
}
for name, data in out.items():
    with open(f"{d}/{name}.log", "wb") as f:
        f.write(data)
EOF
# the replay image: 16 sectors of 0x2e, so that writes of zeros show too
img()
{
	head -c 8192 /dev/zero | tr '\0' . > "$tmp/img"
}

# expect NAME RC LINE ARGS...: log-replay ARGS exits with RC, prints LINE
# alone on stderr, nothing on stdout, and leaves the image as it was.
expect()
{
	local name=$1 rc=$2 line=$3 got=0 before
	shift 3
	img
	before=$(sha256sum < "$tmp/img")
	"$lr" "$@" > "$tmp/out" 2> "$tmp/err" || got=$?
	if [ "$got" = "$rc" ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "$line" ] &&
		[ "$(sha256sum < "$tmp/img")" = "$before" ]; then
		result 0 "$name"
	else
		result 1 "$name"
		echo "# exit $got (want $rc); stdout: $(cat "$tmp/out")"
		echo "# stderr: $(cat "$tmp/err")"
		echo "# want:   $line"
		[ "$(sha256sum < "$tmp/img")" = "$before" ] || echo "# the image was written"
	fi
}

# sectors FILE: the image as one character per sector ('.', 'A', '0'...)
sectors()
{
	od -An -v -c -w512 "$1" | cut -c4 | tr -d '\n' | sed 's/\\/0/g'
}

# --- the good log ----------------------------------------------------------
L=$tmp/good.log
"$lr" --log "$L" --list > "$tmp/list" 2> "$tmp/err"
want=$(printf '# sector size 512, 6 entries\n0\t-\t2\t2\t-\n1\tflush\t0\t0\t-\n2\tmark\t0\t0\tone\n3\tfua,metadata\t3\t1\t-\n4\tdiscard\t2\t1\t-\n5\tflush,fua\t6\t1\t-')
[ "$(cat "$tmp/list")" = "$want" ] && [ ! -s "$tmp/err" ]
result $? "--list: every entry, its flags, sectors and mark"
[ "$(cat "$tmp/list")" = "$want" ] || diff <(echo "$want") "$tmp/list" | sed 's/^/# /'

img
"$lr" --log "$L" --replay "$tmp/img" 2> "$tmp/err"
rc=$?
[ $rc = 0 ] && [ "$(sectors "$tmp/img")" = "..0B..C........." ] && [ ! -s "$tmp/err" ]
result $? "--replay: writes, the discard as zeros, in log order"
[ $rc = 0 ] || sed 's/^/# /' "$tmp/err"

img
"$lr" --log "$L" --replay "$tmp/img" --end 2 && s1=$(sectors "$tmp/img") &&
	"$lr" --log "$L" --replay "$tmp/img" --start 3 --end 3 && s2=$(sectors "$tmp/img") &&
	"$lr" --log "$L" --replay "$tmp/img" --start 4
[ $? = 0 ] && [ "$s1" = "..AA............" ] && [ "$s2" = "..AB............" ] &&
	[ "$(sectors "$tmp/img")" = "..0B..C........." ]
result $? "--start/--end: ranges replayed one after the other add up to the whole"

img
"$lr" --log "$L" --replay "$tmp/img" --end 3 --drop 3 &&
	[ "$(sectors "$tmp/img")" = "..AA............" ]
result $? "--drop: the dropped write is left out, the others are written"

# --copy: the replayed image's content, its holes kept
rm -f "$tmp/img" "$tmp/copy"
truncate -s 64M "$tmp/img"
"$lr" --log "$L" --replay "$tmp/img" --end 3 --copy "$tmp/copy" > "$tmp/out" 2> "$tmp/err"
[ $? = 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/img" "$tmp/copy" &&
	[ "$(stat -c %s "$tmp/copy")" = $((64 << 20)) ] && [ "$(stat -c %b "$tmp/copy")" -lt 1024 ]
result $? "--copy: the replayed image copied, its holes kept ($(stat -c %b "$tmp/copy" 2>/dev/null) blocks of 64 MiB)"

# --mount (root, a loop device and mkfs.ext2 needed)
if [ "$(id -u)" = 0 ] && [ -e /dev/loop-control ] && command -v mkfs.ext2 > /dev/null; then
	mkdir -p "$tmp/mnt"
	rm -f "$tmp/fs"
	truncate -s 8M "$tmp/fs" && mkfs.ext2 -q -F "$tmp/fs"
	# a log of one flush: nothing to write, the image stays a filesystem
	python3 -c 'import struct, sys
sup = struct.pack("<QQQI", 0x6a736677736872, 1, 1, 512).ljust(512, b"\0")
sys.stdout.buffer.write(sup + struct.pack("<QQQQ", 0, 0, 1, 0).ljust(512, b"\0"))' > "$tmp/flush.log"
	dev=$("$lr" --log "$tmp/flush.log" --replay "$tmp/fs" --copy "$tmp/copy" \
		--mount "$tmp/mnt" --type ext2 2> "$tmp/err")
	rc=$?
	[ $rc = 0 ] && [[ $dev == /dev/loop* ]] && mountpoint -q "$tmp/mnt" &&
		[ "$(findmnt -n -o SOURCE "$tmp/mnt")" = "$dev" ] && [ -d "$tmp/mnt/lost+found" ]
	result $? "--mount: the copy mounted through $dev"
	if mountpoint -q "$tmp/mnt"; then
		umount -d "$tmp/mnt"
		[ -z "$(losetup -j "$tmp/copy")" ]
		result $? "umount -d undoes --mount (no loop device left on the copy)"
	fi
	head -c 8M /dev/zero > "$tmp/fs"
	"$lr" --log "$tmp/flush.log" --replay "$tmp/fs" --copy "$tmp/copy" \
		--mount "$tmp/mnt" --type ext2 > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc = 4 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l < "$tmp/err")" = 1 ] &&
		grep -q "^log-replay: mount -t ext2 /dev/loop[0-9]* $tmp/mnt: Invalid argument" "$tmp/err" &&
		! mountpoint -q "$tmp/mnt" && [ -z "$(losetup -j "$tmp/copy")" ]
	result $? "--mount of an image that does not mount: exit 4, one line, the loop device detached"
	[ $rc = 4 ] || sed 's/^/# /' "$tmp/err"
else
	echo "ok $((n + 1)) - --mount # SKIP needs root, /dev/loop-control and mkfs.ext2"
	n=$((n + 1))
fi

# --- malformed logs: exit 1, one line, nothing written -----------------------
expect "bad magic" 1 \
	"log-replay: $tmp/bad-magic.log: bad magic 0x6a736677736873 (not a dm-log-writes log)" \
	--log "$tmp/bad-magic.log" --replay "$tmp/img"
expect "unknown version" 1 "log-replay: $tmp/bad-version.log: log version 2, only 1 is known" \
	--log "$tmp/bad-version.log" --replay "$tmp/img"
expect "bad sector size" 1 \
	"log-replay: $tmp/bad-sector-size.log: sector size 1000 (512 to 4096, a power of 2)" \
	--log "$tmp/bad-sector-size.log" --replay "$tmp/img"
expect "a log shorter than its super" 1 \
	"log-replay: $tmp/short.log: 4 bytes, too short for a super" \
	--log "$tmp/short.log" --list
expect "truncated entry (its data past the end of the log)" 1 \
	"log-replay: $tmp/truncated.log: entry 5: 1 sectors of data past the end of the log (truncated)" \
	--log "$tmp/truncated.log" --replay "$tmp/img"
expect "more entries in the super than in the log" 1 \
	"log-replay: $tmp/header-past-end.log: entry 6 of 7: header at byte 5632 past the end of the log (5632 bytes)" \
	--log "$tmp/header-past-end.log" --replay "$tmp/img"
expect "a write past the end of the replay device" 1 \
	"log-replay: $tmp/past-device.log: entry 5: sectors 15+2 past the end of the replay device (16 sectors)" \
	--log "$tmp/past-device.log" --replay "$tmp/img"
expect "a mark without a name" 1 "log-replay: $tmp/mark-no-name.log: entry 2: a mark without a name" \
	--log "$tmp/mark-no-name.log" --replay "$tmp/img"
expect "a mark name with a blank" 1 \
	"log-replay: $tmp/mark-bad-name.log: entry 2: mark name with byte 0x20 at 1" \
	--log "$tmp/mark-bad-name.log" --list
expect "unknown flags" 1 "log-replay: $tmp/unknown-flags.log: entry 1: unknown flags 0x41" \
	--log "$tmp/unknown-flags.log" --replay "$tmp/img"
expect "inline data on an entry that is not a mark" 1 \
	"log-replay: $tmp/inline-data.log: entry 1: 5 bytes of inline data, which only a mark has" \
	--log "$tmp/inline-data.log" --replay "$tmp/img"

# --- usage and system errors ------------------------------------------------------
expect "no --log" 2 "log-replay: --log LOG is required" --list
expect "neither --list nor --replay" 2 "log-replay: one of --list and --replay DEV is required" \
	--log "$L"
expect "--end past the last entry" 2 "log-replay: --end 6: the log has entries 0 to 5" \
	--log "$L" --replay "$tmp/img" --end 6
expect "--start after --end" 2 "log-replay: --start 4 is after --end 3" \
	--log "$L" --replay "$tmp/img" --start 4 --end 3
expect "--drop of a mark" 2 "log-replay: --drop 2: entry 2 writes no data" \
	--log "$L" --replay "$tmp/img" --drop 2
expect "--drop outside the range" 2 "log-replay: --drop 5: not in the range 0 to 3" \
	--log "$L" --replay "$tmp/img" --end 3 --drop 5
expect "--start that is not a number" 2 "log-replay: --start 'x': not an entry number" \
	--log "$L" --replay "$tmp/img" --start x
expect "--copy without --replay" 2 "log-replay: --copy needs --replay" \
	--log "$L" --list --copy "$tmp/copy"
expect "--mount without --type" 2 \
	"log-replay: --mount DIR and --type FSTYPE go together, with --copy" \
	--log "$L" --replay "$tmp/img" --copy "$tmp/copy" --mount "$tmp/mnt"
expect "a replay device that does not exist" 3 \
	"log-replay: $tmp/nosuch: open: No such file or directory" \
	--log "$L" --replay "$tmp/nosuch"

tap_done
