#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VexFS benchmark, run by "make bench" (tests/bench/guest-run) on the
# virtio disk scripts/bench gives the guest (/dev/vda, DSMIL_VM_DISK).
#
# Files and metadata, the main part: VEXFS_BENCH_ROUNDS rounds, each
# running every filesystem in turn on a fresh mkfs of the whole disk
# (round 1: every filesystem, round 2: every filesystem, ...; the order
# rotates by one each round so none always goes first):
#   vexfs_ko            vexfs.ko, mkfs.vexfs's default (journaled)
#   vexfs_ko_nojournal  vexfs.ko, mkfs.vexfs -J none
#   vexfs_fuse          vexfs-fuse -o writeback on a -J none image (it
#                       writes no journaled image)
#   ext4                journaled, the reference
#   ext2
# An fs_mark-style run of vexfs-bench.c: VEXFS_BENCH_FILES files in one
# directory created with a 4 KiB write each, stat'ed, renamed to new names
# in the same directory, unlinked (ops/s of each phase); a tenth as many
# created with an fsync each (create_fsync); and as many replaced the way
# editors save a file (write a temporary file, fsync it, rename it over the
# existing one: replace).
#
# Data, the same number of rounds, interleaved the same way, over vexfs_ko,
# vexfs_fuse, ext2, ext4 and ext4_nodelalloc (ext4 mounted -o nodelalloc:
# it allocates at write time, as VexFS does), each round on a fresh mkfs:
# fio sequential write and read of 128 MiB (1 MiB blocks), random 4 KiB
# write and read over 32 MiB (buffered, end_fsync, caches dropped between
# writing and reading): seq_write, seq_read (MiB/s), randwrite_4k,
# randread_4k (IOPS).
#
# One group per measurement (vexfs-create, ..., vexfs-randread_4k): per
# filesystem the median of the rounds with the lowest and highest round;
# then ratios, each the median of the rounds' own ratios (two filesystems
# of one round ran minutes apart) with their lowest and highest:
# FS_vs_ext4 for every other filesystem, vexfs_fuse_vs_vexfs_ko,
# vexfs_ko_vs_nojournal and vexfs_ko_vs_ext4_nodelalloc (above 1: faster).
#
# Then vector search: sets of 10,000
# and 100,000 float32 vectors of dimension 128 and 768 written through
# vexfs.ko, searched top-10 (L2) through the kernel's ioctl and through
# vexfs-fuse (-o ro: the image is journaled), against a userspace
# brute-force scan of the same vectors in memory (queries per second,
# ratios).
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT", with two more
# fields, lowest and highest, where VALUE is a median of rounds.  Also
# fuse-requests.txt in DSMIL_BENCH_OUT (build/bench/): the requests
# vexfs-fuse's daemon answered in round 1, per file operation and per fio
# job (VEXFS_IOC_FUSE_COUNTS).
#
# Environment (scripts/bench hands the host's VEXFS_BENCH_* to the guest):
#   VEXFS_BENCH_ROUNDS  rounds of the file and data measurements (default 3)
#   VEXFS_BENCH_FILES   files of the create/stat/rename/unlink run (default
#                       1000; create_fsync and replace use a tenth)
#   VEXFS_BENCH_FIO     0 skips the fio rows (default 1)
#   VEXFS_BENCH_SETS    the vector sets, COUNT:DIM ... (default "10000:128
#                       10000:768 100000:128 100000:768"); "none" skips
#                       the vector part: with VEXFS_BENCH_FIO=0, a quick
#                       run of the file measurements only
#   VEXFS_BENCH_POPULATE_LIMIT
#                       seconds one vector set may take to write before it
#                       is given up (default 420)
#   VEXFS_BENCH_SECONDS per QPS measurement (default 5)
#   VEXFS_BENCH_PROFILE 1: after the data rounds, each fio job once more on
#                       vexfs_ko, vexfs_fuse, ext4 and ext4_nodelalloc
#                       under "perf record -a", untimed; perf report's
#                       top symbols go to profile-FS-JOB.txt in
#                       DSMIL_BENCH_OUT (scripts/bench copies them to
#                       build/bench/profile/)

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
src=${DSMIL_SRC:?}
tools=$src/build/tools
dev=/dev/vda
limit=${VEXFS_BENCH_POPULATE_LIMIT:-420}
secs=${VEXFS_BENCH_SECONDS:-5}
rounds=${VEXFS_BENCH_ROUNDS:-3}
files=${VEXFS_BENCH_FILES:-1000}
sets=${VEXFS_BENCH_SETS:-10000:128 10000:768 100000:128 100000:768}
[ "$sets" != none ] || sets=
case $rounds$files in
*[!0-9]*) echo "VEXFS_BENCH_ROUNDS and VEXFS_BENCH_FILES are counts: $rounds, $files"; exit 1 ;;
esac
if [ "$rounds" -lt 1 ] || [ "$files" -lt 10 ]; then
	echo "VEXFS_BENCH_ROUNDS must be at least 1 and VEXFS_BENCH_FILES 10: $rounds, $files"
	exit 1
fi
tmp=$(mktemp -d /tmp/vexfs-bench.XXXXXX)
mnt=$tmp/mnt
rows=$tmp/rows
fuse_pid=

cleanup()
{
	if mountpoint -q "$mnt"; then
		umount "$mnt" || umount -l "$mnt"
	fi
	[ -z "$fuse_pid" ] || wait "$fuse_pid"
	rmmod vexfs 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

row() { printf 'bench\t%s\t%s\t%s\t%s\n' "$@" | tee -a "$rows"; }

gcc -O2 -Wall -Wextra -o "$tmp/vexfs-bench" "$src/tests/bench/vexfs-bench.c" -lm ||
	{ echo "cannot build vexfs-bench"; exit 1; }
vb=$tmp/vexfs-bench
for t in mkfs.vexfs vexfs-fuse; do
	[ -x "$tools/$t" ] || { echo "no $tools/$t: build the tools (make -C tools)"; exit 1; }
done
if [ "${VEXFS_BENCH_FIO:-1}" != 0 ]; then
	command -v fio > /dev/null || { echo "no fio (scripts/bench installs it)"; exit 1; }
fi
modprobe virtio_blk || exit 1
for _ in $(seq 50); do
	[ -b "$dev" ] && break
	sleep 0.2
done
[ -b "$dev" ] || { echo "no $dev: scripts/bench gives the VM a disk (DSMIL_VM_DISK)"; exit 1; }
modprobe vexfs || exit 1
modprobe ext4 || exit 1
[ -c /dev/fuse ] || modprobe fuse || exit 1
mkdir -p "$mnt"

# fs_mount FS [MKFS.VEXFS OPTIONS]: a fresh filesystem FS on $dev mounted
# at $mnt; vexfs_ko_nojournal and vexfs_fuse are mkfs'ed -J none
fs_mount()
{
	local fs=$1
	shift
	case $fs in
	vexfs_ko) "$tools/mkfs.vexfs" -q -f "$@" "$dev" ;;
	vexfs_ko_nojournal|vexfs_fuse) "$tools/mkfs.vexfs" -q -f -J none "$@" "$dev" ;;
	ext2) mkfs.ext2 -q -F "$dev" ;;
	ext4*) mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$dev" ;;
	esac || { echo "mkfs for $fs failed"; return 1; }
	case $fs in
	vexfs_ko*) mount -t vexfs "$dev" "$mnt" ;;
	vexfs_fuse) fuse_mount -o writeback ;;
	ext4_nodelalloc) mount -t ext4 -o nodelalloc "$dev" "$mnt" ;;
	*) mount -t "$fs" "$dev" "$mnt" ;;
	esac || { echo "mount $fs failed"; return 1; }
}

# fuse_mount [OPTIONS]: vexfs-fuse of $dev at $mnt
fuse_mount()
{
	"$tools/vexfs-fuse" -f "$@" "$dev" "$mnt" 2> "$tmp/fuse.log" &
	fuse_pid=$!
	for _ in $(seq 300); do
		mountpoint -q "$mnt" && return 0
		kill -0 "$fuse_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "vexfs-fuse did not mount: $(cat "$tmp/fuse.log")"
	return 1
}

fs_umount()
{
	umount "$mnt" || { echo "umount failed"; return 1; }
	if [ -n "$fuse_pid" ]; then
		wait "$fuse_pid" || echo "vexfs-fuse exit $?: $(cat "$tmp/fuse.log")"
		fuse_pid=
	fi
}

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }

# fio_args NAME RW BS SIZE: fio's arguments for one job on $mnt/NAME, in
# the array fargs (the timed rounds and the profiles run the same job)
fio_args()
{
	fargs=(--name="$1" --filename="$mnt/$1" --rw="$2" --bs="$3" --size="$4"
		--ioengine=psync --direct=0 --end_fsync=1 --runtime=20
		--output-format=terse --terse-version=3)
}

# fio_run NAME RW BS SIZE: one job on $mnt/NAME; prints "KiB/s IOPS"
fio_run()
{
	local out
	fio_args "$@"
	out=$(fio "${fargs[@]}" 2> "$tmp/fio.err") ||
		{ echo "fio $2 failed: $(head -3 "$tmp/fio.err")" >&2; return 1; }
	# terse v3: read KiB/s and IOPS are fields 7 and 8, write 48 and 49
	case $2 in
	*read) echo "$out" | awk -F';' '{ print $7, $8 }' ;;
	*) echo "$out" | awk -F';' '{ print $48, $49 }' ;;
	esac
}

# key KEY LINE: the value of KEY=VALUE in vexfs-bench's LINE
key() { tr ' ' '\n' <<< "$2" | sed -n "s/^$1=//p"; }

# What vexfs-fuse's daemon was asked, round 1 (the same every round):
# vexfs-bench's req_PHASE per operation, and around each fio job the
# change in "vexctl requests" (VEXFS_IOC_FUSE_COUNTS).
requests=${DSMIL_BENCH_OUT:-$tmp}/fuse-requests.txt
: > "$requests"
# note_requests WHAT TEXT: a line of $requests, also shown
note_requests() { echo "fuse requests, $1: $2" | tee -a "$requests"; }
fuse_counts() { "$tools/vexctl" requests "$mnt" 2> /dev/null; }
# counts_since BEFORE AFTER: the requests between two fuse_counts (the
# second's own ioctl left out), "OPCODE:N" and KiB per read and write
counts_since()
{
	local d
	d=$(awk 'NR == FNR { a[$1] = $2; next }
		 { d = $2 - a[$1] - ($1 == "ioctl"); if (d > 0) print $1, d }' \
		<(echo "$1") <(echo "$2"))
	awk '!/_bytes /' <<< "$d" | sort | awk '{ printf "%s%s:%d", s, $1, $2; s = "/" }'
	awk '{ n[$1] = $2 }
	     END {
		if (n["read"]) printf ", %.1f KiB a read", n["read_bytes"] / n["read"] / 1024
		if (n["write"]) printf ", %.1f KiB a write", n["write_bytes"] / n["write"] / 1024
	     }' <<< "$d"
}

# interleave FS...: the order of round $r, rotated by one each round
# so that no filesystem always runs first
interleave()
{
	local -a l=("$@")
	local j

	for ((j = 0; j < ${#l[@]}; j++)); do
		echo "${l[(j + r - 1) % ${#l[@]}]}"
	done
}

since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }'; }

# $tmp/raw gets one line per measurement, filesystem and round:
# "OP FS ROUND VALUE UNIT"; stats (below) turns them into rows.
: > "$tmp/raw"
raw() { echo "$1 $2 $r $3 $4" >> "$tmp/raw"; }

# --- files and metadata: rounds, filesystems interleaved ---------------------
fss=(vexfs_ko vexfs_ko_nojournal vexfs_fuse ext4 ext2)
nsync=$((files / 10))
echo "files: $rounds rounds of ${fss[*]}; $files files, $nsync with fsync"
for ((r = 1; r <= rounds; r++)); do
	t0=$(date +%s.%N)
	for fs in $(interleave "${fss[@]}"); do
		f0=$(date +%s.%N)
		fs_mount "$fs" || continue
		mkdir -p "$mnt/m1" "$mnt/m2" "$mnt/m3"
		if o=$("$vb" fsmark "$mnt/m1" "$files"); then
			for op in create stat rename unlink; do
				raw "$op" "$fs" "$(key "$op" "$o")" ops/s
				[ "$r$fs" != 1vexfs_fuse ] ||
					note_requests "per $op" "$(key "req_$op" "$o")"
			done
		else
			echo "round $r, $fs: fsmark failed"
		fi
		if o=$("$vb" fsmark "$mnt/m2" "$nsync" fsync); then
			raw create_fsync "$fs" "$(key create "$o")" ops/s
			[ "$r$fs" != 1vexfs_fuse ] ||
				note_requests "per create+fsync" "$(key req_create "$o")"
		else
			echo "round $r, $fs: fsmark with fsync failed"
		fi
		if o=$("$vb" replace "$mnt/m3" "$nsync"); then
			raw replace "$fs" "$(key replace "$o")" ops/s
			[ "$r$fs" != 1vexfs_fuse ] ||
				note_requests "per replace" "$(key req_replace "$o")"
		else
			echo "round $r, $fs: replace failed"
		fi
		fs_umount
		echo "files, round $r/$rounds, $fs: $(since "$f0") s"
	done
	echo "files, round $r/$rounds: $(since "$t0") s"
done

# --- data: fio, rounds, filesystems interleaved ------------------------------
if [ "${VEXFS_BENCH_FIO:-1}" != 0 ]; then
	dfss=(vexfs_ko vexfs_fuse ext2 ext4 ext4_nodelalloc)
	echo "data: $rounds rounds of fio on ${dfss[*]}"
	for ((r = 1; r <= rounds; r++)); do
		t0=$(date +%s.%N)
		for fs in $(interleave "${dfss[@]}"); do
			fs_mount "$fs" || continue
			count=$([ "$r$fs" = 1vexfs_fuse ] && echo 1)
			# MiB/s from KiB/s, IOPS as they are
			for job in "seq write 1M 128M seq_write" "seq read 1M 128M seq_read" \
				"rand randwrite 4k 32M randwrite_4k" "rand randread 4k 32M randread_4k"; do
				read -r name rw bs size op <<< "$job"
				case $rw in *read) drop_caches ;; esac
				[ -z "$count" ] || c0=$(fuse_counts)
				x=$(fio_run "$name" "$rw" "$bs" "$size") || continue
				[ -z "$count" ] ||
					note_requests "fio $op" "$(counts_since "$c0" "$(fuse_counts)")"
				case $op in
				seq_*) raw "$op" "$fs" "$(awk '{ printf "%.1f", $1 / 1024 }' <<< "$x")" MiB/s ;;
				*) raw "$op" "$fs" "$(awk '{ print $2 }' <<< "$x")" IOPS ;;
				esac
			done
			fs_umount
		done
		echo "data, round $r/$rounds: $(since "$t0") s"
	done
fi

# --- profiles: where the time of each fio job goes ----------------------------
# cpu-clock samples on every CPU (TCG has no hardware counters), so idle
# time (swapper) is time spent waiting for the disk; vexfs-fuse's daemon
# shows as its own command next to fio.
if [ "${VEXFS_BENCH_PROFILE:-0}" = 1 ] && [ "${VEXFS_BENCH_FIO:-1}" != 0 ]; then
	pout=${DSMIL_BENCH_OUT:-$tmp}/profile
	mkdir -p "$pout"
	if ! command -v perf > /dev/null; then
		echo "profile: no perf (scripts/bench installs linux-perf with VEXFS_BENCH_PROFILE=1)"
	else
		for fs in vexfs_ko vexfs_fuse ext4 ext4_nodelalloc; do
			fs_mount "$fs" || continue
			for job in "seq write 1M 128M" "seq read 1M 128M" \
				"rand randwrite 4k 32M" "rand randread 4k 32M"; do
				read -r name rw bs size <<< "$job"
				case $rw in *read) drop_caches ;; esac
				p=$pout/profile-$fs-$rw.txt
				read -r -a st0 < "/sys/block/${dev#/dev/}/stat"
				fio_args "$name" "$rw" "$bs" "$size"
				perf record -q -a -e cpu-clock -F 999 -o "$tmp/perf.data" -- \
					fio "${fargs[@]}" > "$tmp/fio.out" 2> "$tmp/fio.err" ||
					{ echo "profile $fs $rw: perf or fio failed: $(head -3 "$tmp/fio.err")"; continue; }
				read -r -a st1 < "/sys/block/${dev#/dev/}/stat"
				# the job's own figures (terse v3: read KiB/s and IOPS
				# fields 7 and 8, write 48 and 49), and the requests
				# that reached the disk (stat: reads, merged, sectors,
				# ms; writes, merged, sectors, ms)
				job_fig=$(awk -F';' '{ printf "%.1f MiB/s read, %d IOPS; %.1f MiB/s written, %d IOPS", $7 / 1024, $8, $48 / 1024, $49 }' "$tmp/fio.out")
				disk_fig=$(awk -v r="$((st1[0] - st0[0]))" -v rs="$((st1[2] - st0[2]))" \
					-v w="$((st1[4] - st0[4]))" -v ws="$((st1[6] - st0[6]))" \
					'BEGIN { printf "%d reads of %.1f KiB on average, %d writes of %.1f KiB", r, r ? rs / 2 / r : 0, w, w ? ws / 2 / w : 0 }')
				perf report -i "$tmp/perf.data" --stdio --sort comm \
					--percent-limit 1 2> /dev/null | grep -v '^#' | grep . > "$tmp/comm"
				{
					echo "# $fs, fio $rw bs=$bs size=$size under perf record -a -e cpu-clock"
					echo "# fio: $job_fig"
					echo "# disk: $disk_fig"
					echo "# by command (swapper: idle, waiting for the disk):"
					cat "$tmp/comm"
					echo "# by command, object and symbol:"
					perf report -i "$tmp/perf.data" --stdio --sort comm,dso,sym \
						--percent-limit 0.5 2> /dev/null | grep -v '^#' | grep .
				} > "$p"
				echo "profile $fs $rw: $disk_fig; $(awk '{ printf "%s%s %s", s, $2, $1; s = ", " }' "$tmp/comm")"
			done
			fs_umount
		done
		rm -f "$tmp/perf.data"
	fi
fi

# One group per OP: medians, ranges, ratios (tests/bench/rounds.awk)
awk -f "$src/tests/bench/rounds.awk" "$tmp/raw"
awk '{ n[$1 " " $2]++ } END { for (k in n) if (n[k] != r) print k ": " n[k] " of " r " rounds" }' \
	r="$rounds" "$tmp/raw" | sort

# --- vector search -----------------------------------------------------------
for set in $sets; do
	n=${set%:*}
	dim=${set#*:}
	s=$((n / 1000))k_d$dim
	echo "vectors: $s"
	fs_mount vexfs_ko -N 102400 || continue
	r=$("$vb" populate "$mnt" "$n" "$dim" "$dim" "$limit")
	rc=$?
	echo "populate $s: $r"
	if [ $rc -ne 0 ]; then
		echo "populating $s took more than ${limit}s: its search rows are left out"
		fs_umount
		continue
	fi
	row vexfs-populate "$s" "$(key per_second "$r")" vectors/s
	k=$("$vb" search "$mnt" "$n" "$dim" "$dim" "$secs" | sed -n 's/.*qps=//p')
	fs_umount || continue
	drop_caches
	# a journaled image: vexfs-fuse mounts it read-only only
	fuse_mount -o ro || continue
	f=$("$vb" search "$mnt" "$n" "$dim" "$dim" "$secs" | sed -n 's/.*qps=//p')
	fs_umount || continue
	u=$("$vb" scan "$n" "$dim" "$dim" "$secs" | sed -n 's/.*qps=//p')
	[ -z "$k" ] || row vexfs-search "${s}_vexfs_ko" "$k" qps
	[ -z "$f" ] || row vexfs-search "${s}_vexfs_fuse" "$f" qps
	[ -z "$u" ] || row vexfs-search "${s}_userspace_scan" "$u" qps
	[ -z "$k" ] || [ -z "$u" ] ||
		row vexfs-search "${s}_vexfs_ko_vs_scan" "$(awk -v a="$k" -v b="$u" 'BEGIN { printf "%.2f", a / b }')" x
	[ -z "$f" ] || [ -z "$u" ] ||
		row vexfs-search "${s}_vexfs_fuse_vs_scan" "$(awk -v a="$f" -v b="$u" 'BEGIN { printf "%.2f", a / b }')" x
	[ -z "$k" ] || [ -z "$f" ] ||
		row vexfs-search "${s}_vexfs_ko_vs_fuse" "$(awk -v a="$k" -v b="$f" 'BEGIN { printf "%.2f", a / b }')" x
done
