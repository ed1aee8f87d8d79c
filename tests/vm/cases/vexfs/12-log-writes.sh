#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Write-log replay of the jbd2 journal, as xfstests' generic/482 does it:
# a journaled image lives on a dm-log-writes target, which logs every
# write the device made durable, in that order, with the flushes, the FUA
# writes and the marks this case sets.  A seeded workload (creates in
# growing directories, overwrites, write-fsync-rename replacements,
# unlinks, mkdir and rmdir, int8 vectors) fsyncs files only, never a
# directory; each operation N starts with a mark "opN" (when there is
# something to say) telling what the fsync of operation N - 1 made
# durable and what N may change.  tests/vm/guest/log-replay then replays
# the log once, in order, onto a zeroed image and stops at every flush,
# FUA write and mark after mkfs: a copy of the image there mounts without
# fsck (the kernel's jbd2 replays), every file and vector acknowledged by
# then holds what was acknowledged (a file being replaced holds its old or
# its new content, an unlinked one its content or nothing), and
# fsck.vexfs -n finds the copy clean after the umount.  Points with no
# write between them are one image: one mount.  Past
# vexfs_logwrites_points images (kernel command line, default 80) every
# Nth is checked (N from their count, the offset from the seed; the last
# always); vexfs_logwrites_seed (default 1) and vexfs_logwrites_ops
# (default 24) set the workload.  It prints where the time goes.  The
# negative control replays to the mark after one create with the last
# journal FUA write before it (the commit) dropped: the check must fail.
# Skipped where the kernel has no dm-log-writes.  Every kernel line runs
# it: the flushes and FUA writes of jbd2's commits differ between them,
# and ordered mode writes the data of the fsync'ed files through the
# jbd2_jinode_dirty_range probe's path (jbd2_journal_flush, the other
# jbd2 probe, is reached by freeze and remount only: vexfs/10-journal).
# dsmil-matrix: compat: jbd2_jinode_dirty_range
. "$DSMIL_SRC/tests/vm/lib.sh"
. "$DSMIL_SRC/tests/vm/cases/vexfs/vexfs-lib"

VX_CTL=$VX_TOOLS/vexctl
LR=${DSMIL_LOG_REPLAY:-}
[ -x "$VX_CTL" ] || fail "no $VX_CTL: build the tools"
[ -x "$LR" ] || fail "no log-replay (DSMIL_LOG_REPLAY): tests/vm/run compiles it"
seed=$(cmdline_arg vexfs_logwrites_seed 1)
nops=$(cmdline_arg vexfs_logwrites_ops 24)
limit=$(cmdline_arg vexfs_logwrites_points 80)

DM=vx-logwrites
SIZE=32M
DATA=$DSMIL_TMP/data.img	# the logged device
LOG=$DSMIL_TMP/log.img		# dm-log-writes' log
REPLAY=$DSMIL_TMP/replay.img	# the log replayed so far
VX_IMG=$DSMIL_TMP/scratch.img	# its copy, mounted and checked
POOL=$DSMIL_TMP/pool		# the workload's data
MANIFEST=$DSMIL_TMP/manifest	# what each mark promises (for a failure's log)
data_dev=
log_dev=
copy_dev=
dm_up=

cleanup()
{
	local rc=$?

	mountpoint -q "$VX_MNT" 2>/dev/null && umount "$VX_MNT"
	[ -z "$dm_up" ] || dmsetup remove --noudevsync "$DM"
	[ -z "$data_dev" ] || losetup -d "$data_dev"
	[ -z "$log_dev" ] || losetup -d "$log_dev"
	[ -z "$copy_dev" ] || losetup -d "$copy_dev"
	(exit $rc)
	vx_cleanup
}

vx_init
modprobe dm-log-writes 2>/dev/null || skip "no dm-log-writes in this kernel"
trap cleanup EXIT
command -v dmsetup > /dev/null || fail "no dmsetup"
rm -f "$DATA" "$LOG"
truncate -s "$SIZE" "$DATA" && truncate -s 256M "$LOG" || fail "truncate"
data_dev=$(losetup -f --show "$DATA") || fail "losetup $DATA"
log_dev=$(losetup -f --show "$LOG") || fail "losetup $LOG"
dmsetup create --noudevsync "$DM" \
	--table "0 $(blockdev --getsz "$data_dev") log-writes $data_dev $log_dev" ||
	fail "dmsetup create $DM"
dm_up=1
# (no udev in the guest: the node is made here)
dmsetup mknodes "$DM" || fail "dmsetup mknodes $DM"
LW=/dev/mapper/$DM
[ -b "$LW" ] || fail "no $LW after dmsetup create"

# The events of the marks: events[MARK] holds lines "KEY [VALUE...]", KEY
# being f:PATH (the SHA-256 of the file's content) or v:PATH (its vector,
# "1,2,3"); from that mark on the key must have one of the values, "-"
# standing for "no such file (or vector)"; no value: anything.
declare -A events=()
: > "$MANIFEST"

# Where the time goes: tick NAME adds the time since the last tick to
# spent[NAME] (microseconds; bash's clock, no process).
declare -A spent=()
last_tick=${EPOCHREALTIME/./}
tick()
{
	local now=${EPOCHREALTIME/./}
	spent[$1]=$((${spent[$1]:-0} + now - last_tick))
	last_tick=$now
}

# spent NAME...: "NAME S.Ds, ..." of those ticks
spent()
{
	local n out=
	for n in "$@"; do
		out+="$n $((${spent[$n]:-0} / 1000000)).$((${spent[$n]:-0} / 100000 % 10))s, "
	done
	echo "${out%, }"
}

mark()
{
	tick workload
	dmsetup message "$DM" 0 mark "$1" || fail "dmsetup message $DM 0 mark $1"
	tick marks
}

# event MARK KEY [VALUE...]
event()
{
	local name=$1
	shift
	events[$name]+="$*"$'\n'
	echo "$name $*" >> "$MANIFEST"
}

# promise KEY [VALUE...]: an event for the next boundary
pending=()
promise()
{
	pending+=("$*")
}

# boundary NAME: if events are pending, mark the log with NAME and give
# it those events.  Operation N calls it as it starts (what the fsync of
# N - 1 made durable, what N may change: one mark for both).
boundary()
{
	local ev
	[ ${#pending[@]} -gt 0 ] || return 0
	mark "$1"
	for ev in "${pending[@]}"; do
		# shellcheck disable=SC2086 # KEY and VALUEs, no blank in them
		event "$1" $ev
	done
	pending=()
}

# --- the workload ----------------------------------------------------------
geo=$("$VX_MKFS" -f --json "$LW") || fail "mkfs.vexfs $LW"
# the journal's blocks after its superblock, in 512-byte sectors
# (here-strings, not process substitution: the guest has no /dev/fd)
read -r jfirst jend <<< "$(echo "$geo" |
	jq -r '.block_size as $b | [.journal_start + 1, .journal_start + .journal_blocks] | map(. * $b / 512) | @tsv')"
[ -n "${jend:-}" ] || fail "mkfs.vexfs --json: no journal in $geo"
mark mkfs
mount -t vexfs "$LW" "$VX_MNT" || fail "mount -t vexfs $LW"
m=$VX_MNT
python3 -c 'import random, sys; sys.stdout.buffer.write(random.Random(int(sys.argv[1])).randbytes(1 << 20))' \
	"$seed" > "$POOL" || fail "the data pool"
RANDOM=$seed
declare -A sha=() vec=()	# the promised files (path: hash) and vectors
files=()			# the promised files, in creation order
empty=()			# empty subdirectories, for rmdir
dirs=(d0 d1 d2)
declare -A nop=([create]=0 [overwrite]=0 [replace]=0 [unlink]=0 [mkdir]=0 [vector]=0)
mkdir "$m/d0" "$m/d1" "$m/d2" || fail mkdir

# write PATH SIZE [OFFSET]: SIZE bytes of the pool to PATH (at OFFSET in
# place, else as its whole content), then fsync PATH; $h: its new hash
write()
{
	local src=$((RANDOM * 16 % ((1 << 20) - $2))) flags=(conv=fsync)
	# shellcheck disable=SC2054 # the comma is dd's
	[ $# -lt 3 ] || flags=(conv=notrunc,fsync oflag=seek_bytes "seek=$3")
	dd if="$POOL" of="$m/$1" bs=64k iflag=skip_bytes,count_bytes skip="$src" count="$2" \
		"${flags[@]}" status=none || fail "write $1"
	h=$(sha256sum < "$m/$1") || fail "sha256sum $1"
	h=${h%% *}
}

# pick_size: a random size in $sz (partial, direct and indirect blocks)
pick_size()
{
	local sizes=(1 100 4095 4096 5000 12288 40000 49153 150000 300000)
	sz=${sizes[RANDOM % ${#sizes[@]}]}
}

# new_file P: create P with a random size, fsync it, promise it
new_file()
{
	pick_size
	write "$1" "$sz"
	promise "f:$1" "$h"
	sha[$1]=$h
	files+=("$1")
}

for ((i = 1; i <= nops; i++)); do
	r=$((RANDOM % 100))
	[ ${#files[@]} -gt 2 ] || r=0
	p=
	[ ${#files[@]} = 0 ] || p=${files[RANDOM % ${#files[@]}]}
	if [ $r -lt 38 ]; then
		# create, fsync: the directory grows by eight empty files first
		nop[create]=$((nop[create] + 1))
		boundary "op$i"
		d=${dirs[RANDOM % ${#dirs[@]}]}
		for j in 1 2 3 4 5 6 7 8; do
			: > "$m/$d/filler-$i-$j-with-a-name-long-enough-to-fill-blocks" ||
				fail "create a filler"
		done
		p=$d/f$i
		new_file "$p"
	elif [ $r -lt 55 ]; then
		# overwrite in place (maybe extending), fsync
		nop[overwrite]=$((nop[overwrite] + 1))
		promise "f:$p"
		boundary "op$i"
		pick_size
		write "$p" "$sz" $((RANDOM * 8 % 200000))
		promise "f:$p" "$h"
		sha[$p]=$h
	elif [ $r -lt 68 ]; then
		# replace: write a new file, fsync it, rename it over, fsync
		nop[replace]=$((nop[replace] + 1))
		pick_size
		write "$p.new" "$sz"
		promise "f:$p" "${sha[$p]}" "$h"
		[ -z "${vec[$p]:-}" ] || promise "v:$p" "${vec[$p]}" -
		boundary "op$i"
		mv "$m/$p.new" "$m/$p" || fail "rename $p.new $p"
		sync "$m/$p" || fail "fsync $p"
		promise "f:$p" "$h"
		[ -z "${vec[$p]:-}" ] || promise "v:$p" -
		sha[$p]=$h
		vec[$p]=
	elif [ $r -lt 78 ]; then
		# unlink: its content or nothing from now on
		nop[unlink]=$((nop[unlink] + 1))
		promise "f:$p" "${sha[$p]}" -
		[ -z "${vec[$p]:-}" ] || promise "v:$p" "${vec[$p]}" -
		boundary "op$i"
		rm "$m/$p" || fail "unlink $p"
		unset "sha[$p]" "vec[$p]"
		for j in "${!files[@]}"; do
			[ "${files[j]}" != "$p" ] || unset "files[j]"
		done
		files=("${files[@]}")
	elif [ $r -lt 88 ]; then
		# mkdir; half the time a file fsync'd in it, else rmdir of an
		# empty one
		nop[mkdir]=$((nop[mkdir] + 1))
		boundary "op$i"
		d=${dirs[RANDOM % 3]}/s$i
		mkdir "$m/$d" || fail "mkdir $d"
		if [ $((RANDOM % 2)) = 0 ]; then
			dirs+=("$d")
			p=$d/f$i
			new_file "$p"
		else
			empty+=("$d")
			if [ ${#empty[@]} -gt 1 ]; then
				rmdir "$m/${empty[0]}" || fail "rmdir ${empty[0]}"
				empty=("${empty[@]:1}")
			fi
		fi
	else
		# an int8 vector on one of the first two files (each vector
		# costs a vexctl per check), fsync
		nop[vector]=$((nop[vector] + 1))
		p=${files[RANDOM % 2]}
		v=$((RANDOM % 256 - 128)),$((RANDOM % 256 - 128)),$((RANDOM % 256 - 128)),$((RANDOM % 9))
		promise "v:$p" "${vec[$p]:--}" "$v"
		boundary "op$i"
		"$VX_CTL" set -t int8 "$m/$p" "$v" || fail "vexctl set $p"
		sync "$m/$p" || fail "fsync $p"
		promise "v:$p" "$v"
		vec[$p]=$v
	fi
done
boundary "op$i"
tick workload
umount "$VX_MNT" || fail "umount $LW"
status=$(dmsetup status "$DM") || fail "dmsetup status $DM"
[[ $status != *logging_disabled* ]] || fail "dm-log-writes stopped logging: $status"
dmsetup remove --noudevsync "$DM" || fail "dmsetup remove $DM"
dm_up=
dmsetup mknodes || fail "dmsetup mknodes"
losetup -d "$data_dev" "$log_dev" || fail "losetup -d"
data_dev=
log_dev=
note "workload: seed $seed, $nops operations ($(for o in create overwrite replace unlink mkdir vector; do
	printf '%s %s, ' "${nop[$o]}" "$o"; done)${#files[@]} files live), $(wc -l < "$MANIFEST") events; ${SECONDS}s"
note "workload time: $(spent workload marks)"

# --- the log's points ------------------------------------------------------
"$LR" --log "$LOG" --list > "$DSMIL_TMP/entries" || fail "log-replay --list"
# pt_entry[K]: the entry index of point K (a flush, a FUA write or a mark at
# or after the mkfs mark); pt_img[K]: the number of the image it sees (a
# new image after every entry that writes); mark_at[ENTRY]: mark names.
pt_entry=()
pt_img=()
declare -A mark_at=()
nimg=-1
wrote=1
started=0
while IFS=$'\t' read -r idx flags _ count name; do
	[[ $idx != \#* ]] || continue
	[ "$count" = 0 ] || [[ $flags == *mark* ]] || wrote=1
	if [[ $flags == *mark* ]]; then
		mark_at[$idx]=$name
		[ "$name" != mkfs ] || started=1
	fi
	[ $started = 1 ] || continue
	case $flags in
	*flush*|*fua*|*mark*)
		if [ $wrote = 1 ]; then
			nimg=$((nimg + 1))
			wrote=0
		fi
		pt_entry+=("$idx")
		pt_img+=("$nimg")
		;;
	esac
done < "$DSMIL_TMP/entries"
nimg=$((nimg + 1))
npts=${#pt_entry[@]}
nent=$(($(wc -l < "$DSMIL_TMP/entries") - 1))
[ $started = 1 ] || fail "no mkfs mark in the log"
note "log: $nent entries ($(awk -F'\t' 'NR > 1 {n[$2]++} END {for (f in n) printf "%s %d, ", f, n[f]}' \
	"$DSMIL_TMP/entries")), $npts points after mkfs (flushes, FUA writes, marks) on $nimg images"
stride=1
[ "$nimg" -le "$limit" ] || stride=$(((nimg + limit - 1) / limit))
offset=$((seed % stride))

# --- the check -------------------------------------------------------------
# allowed[KEY]: the values KEY may have now (events of the marks replayed);
# actual[KEY]: its value on the mounted copy.
declare -A allowed=() actual=()

apply_mark()
{
	local key vals
	[ -n "${events[$1]:-}" ] || return 0
	while read -r key vals; do
		allowed[$key]=$vals
	done <<< "${events[$1]%$'\n'}"
}

# mount_copy LR_ARGS...: replay the log's range LR_ARGS (--start, --end,
# --drop) onto $REPLAY, copy it, mount the copy ($why on failure): one
# log-replay process.  (Not "mount -o loop": util-linux 2.38 keeps the loop
# device open for writing across mount(2), which a kernel without
# CONFIG_BLK_DEV_WRITE_MOUNTED, the debug kernel, refuses with EBUSY;
# log-replay closes it first.)
mount_copy()
{
	local out rc
	tick checks
	out=$("$LR" --log "$LOG" --replay "$REPLAY" "$@" --copy "$VX_IMG" \
		--mount "$VX_MNT" --type vexfs 2>&1)
	rc=$?
	tick replay
	case $rc in
	0) copy_dev=$out ;;
	4) why="mount failed: ${out#log-replay: }"; return 1 ;;
	*) fail "log-replay $* --copy --mount: exit $rc: $out" ;;
	esac
}

# read_actual KEY...: actual[KEY] of each (one sha256sum for the files,
# one vexctl for the vectors)
read_actual()
{
	local key p paths=() vpaths=() line v
	local re='^\{"schema":1,"file":"([^"]*)",.*"vector":\[([^]]*)\]\}$'
	actual=()
	for key in "$@"; do
		p=${key#?:}
		case $key in
		f:*)
			if [ -f "$m/$p" ]; then
				paths+=("$m/$p")
			else
				actual[$key]=-
			fi ;;
		v:*)
			actual[$key]=-
			[ ! -f "$m/$p" ] || vpaths+=("$m/$p") ;;
		esac
	done
	if [ ${#vpaths[@]} -gt 0 ]; then
		tick read
		# a file without a vector: no line (and exit 1)
		while read -r line; do
			[ -n "$line" ] || continue
			[[ $line =~ $re ]] || fail "vexctl --json get: $line"
			actual[v:${BASH_REMATCH[1]#"$m/"}]=${BASH_REMATCH[2]}
		done <<< "$("$VX_CTL" --json get "${vpaths[@]}" 2>/dev/null)"
		tick vectors
	fi
	[ ${#paths[@]} = 0 ] && return
	while read -r v line; do
		actual[f:${line#"$m/"}]=$v
	done <<< "$(sha256sum -- "${paths[@]}")"
}

# check_keys K: at point K, every constrained key has an allowed value
# ($why).
check_keys()
{
	local key ok a
	for key in "${!allowed[@]}"; do
		[ -n "${allowed[$key]}" ] || continue
		ok=0
		for a in ${allowed[$key]}; do
			[ "${actual[$key]:-?}" != "$a" ] || ok=1
		done
		if [ $ok = 0 ]; then
			why="$(where "$1"): $key is ${actual[$key]:-not read}, acknowledged: ${allowed[$key]}"
			return 1
		fi
	done
}

# umount_fsck: unmount the copy; fsck.vexfs -n must find it clean ($why).
umount_fsck()
{
	local out
	tick checks
	umount -d "$VX_MNT" || fail "umount -d the copy"
	copy_dev=
	tick umount
	if ! out=$("$VX_FSCK" -n "$VX_IMG" 2>&1); then
		why="fsck.vexfs -n after the mount: $out"
		return 1
	fi
	tick fsck
}

# where K: a point for the messages
where()
{
	local e=${pt_entry[$1]}
	echo "point $1 (entry $e $(awk -F'\t' -v e="$e" '$1 == e {print $2 ($5 == "-" ? "" : " " $5)}' "$DSMIL_TMP/entries"), image ${pt_img[$1]})"
}

# check_image K1 K2 LR_ARGS...: points K1 to K2 (one image, replayed by
# mount_copy LR_ARGS): one mount, each point's acknowledgements, fsck.
check_image()
{
	local k keys=() key e line
	mount_copy "${@:3}" || { why="$(where "$1"): $why"; return 1; }
	# every key constrained now or by a mark of these points
	for key in "${!allowed[@]}"; do
		[ -z "${allowed[$key]}" ] || keys+=("$key")
	done
	for ((k = $1; k <= $2; k++)); do
		e=${pt_entry[k]}
		[ -n "${mark_at[$e]:-}" ] || continue
		while read -r key line; do
			[ -z "$line" ] || keys+=("$key")
		done <<< "${events[${mark_at[$e]}]:-}"
	done
	tick checks
	read_actual "${keys[@]}"
	tick read
	for ((k = $1; k <= $2; k++)); do
		e=${pt_entry[k]}
		[ -z "${mark_at[$e]:-}" ] || apply_mark "${mark_at[$e]}"
		if ! check_keys "$k"; then
			line=$why
			umount_fsck
			why=$line
			return 1
		fi
	done
	umount_fsck || { why="$(where "$2"): $why"; return 1; }
}

show_failure()
{
	echo "# seed $seed; the log around the failing point:"
	awk -F'\t' -v e="$1" '$1 ~ /^[0-9]+$/ && $1 >= e - 12 && $1 <= e + 2' "$DSMIL_TMP/entries" | sed 's/^/#   /'
	echo "# the manifest (mark key values):"
	sed 's/^/#   /' "$MANIFEST"
}

# --- replay: every image in order --------------------------------------------
rm -f "$REPLAY"
truncate -s "$SIZE" "$REPLAY" || fail "truncate $REPLAY"
dmesg_mark
next=0			# the next entry to replay
marks_done=0		# the entries whose marks are applied: before this one
visited=0
vpoints=0
t0=$SECONDS
k=0
while [ $k -lt "$npts" ]; do
	img=${pt_img[k]}
	k2=$k
	while [ $((k2 + 1)) -lt "$npts" ] && [ "${pt_img[k2 + 1]}" = "$img" ]; do
		k2=$((k2 + 1))
	done
	if [ $((img % stride)) != "$offset" ] && [ $((img + 1)) != "$nimg" ]; then
		k=$((k2 + 1))
		continue
	fi
	# apply the marks before the image's first point; check_image
	# replays up to it
	for ((e = marks_done; e < pt_entry[k]; e++)); do
		[ -z "${mark_at[$e]:-}" ] || apply_mark "${mark_at[$e]}"
	done
	marks_done=$((pt_entry[k2] + 1))
	if ! check_image "$k" "$k2" --start "$next" --end "${pt_entry[k]}"; then
		show_failure "${pt_entry[k2]}"
		fail "$why"
	fi
	# (the entries up to the image's last point wrote nothing more)
	next=$((pt_entry[k2] + 1))
	visited=$((visited + 1))
	vpoints=$((vpoints + k2 - k + 1))
	[ $((visited % 20)) != 0 ] || note "$visited images checked, up to image $img of $nimg ($((SECONDS - t0))s)"
	k=$((k2 + 1))
done
assert_dmesg "vexfs: error|JBD2:" 0
tick checks
note "checked $vpoints of $npts points, $visited of $nimg images (every $stride from $offset, and the last) in $((SECONDS - t0))s"
note "replay time: $(spent replay read vectors checks umount fsck) (replay: with the copy and the mount)"

# --- negative control: the commit of an acknowledgement dropped ---------------
# The first create from operation 4 on acknowledged by the next mark: drop
# the last FUA write into the journal (past its superblock) between the
# mark before the create and that mark, the commit block of the fsync's
# transaction, and replay to the mark: the check must fail.
ack=
prev=
for ((e = 0; e < nent; e++)); do
	name=${mark_at[$e]:-}
	[ -n "$name" ] || continue
	if [ -n "$prev" ] && [[ $name == op* ]] && [ "${name#op}" -ge 5 ] &&
		[[ $'\n'${events[$name]:-} == *$'\n'f:d?/f$((${name#op} - 1))\ * ]]; then
		ack=$e
		break
	fi
	prev=$e
done
[ -n "$ack" ] || fail "control: no acknowledged create to drop the commit of"
drop=$(awk -F'\t' -v a="$prev" -v b="$ack" -v j0="$jfirst" -v j1="$jend" '
	$1 > a && $1 < b && $2 ~ /fua/ && $4 > 0 && $3 >= j0 && $3 < j1 {d = $1}
	END {print d}' "$DSMIL_TMP/entries")
if [ -z "$drop" ]; then
	show_failure "$ack"
	fail "control: no FUA write into the journal between entries $prev and $ack (${mark_at[$ack]})"
fi
rm -f "$REPLAY"
truncate -s "$SIZE" "$REPLAY" || fail "truncate $REPLAY"
allowed=()
for ((e = 0; e <= ack; e++)); do
	[ -z "${mark_at[$e]:-}" ] || apply_mark "${mark_at[$e]}"
done
pt_entry=("$ack")
pt_img=(control)
if check_image 0 0 --end "$ack" --drop "$drop"; then
	show_failure "$ack"
	fail "control: entry $drop (the last journal FUA write before ${mark_at[$ack]}) dropped, and the check passed"
fi
note "control: entry $drop dropped (the last journal FUA write before ${mark_at[$ack]}), the check failed: $why"
