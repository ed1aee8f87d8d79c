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
# existing one: replace).  Per filesystem and measurement it prints the
# median of the rounds (NAME), the lowest and highest (NAME_min, NAME_max),
# and ratios of medians: FS_vs_ext4 for every other filesystem and
# vexfs_ko_vs_nojournal (above 1: faster), one group per measurement
# (vexfs-create, vexfs-create_fsync, vexfs-stat, vexfs-rename,
# vexfs-unlink, vexfs-replace).
#
# Then, once per filesystem on a fresh mkfs (vexfs_ko, vexfs_fuse, ext2,
# ext4): fio sequential write and read (1 MiB blocks) and random 4 KiB
# write and read (buffered, end_fsync, caches dropped between writing and
# reading), with ratios against ext4.  Then vector search: sets of 10,000
# and 100,000 float32 vectors of dimension 128 and 768 written through
# vexfs.ko, searched top-10 (L2) through the kernel's ioctl and through
# vexfs-fuse (-o ro: the image is journaled), against a userspace
# brute-force scan of the same vectors in memory (queries per second,
# ratios).
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".
#
# Environment (scripts/bench hands the host's VEXFS_BENCH_* to the guest):
#   VEXFS_BENCH_ROUNDS  rounds of the file measurements (default 3)
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
	ext4) mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$dev" ;;
	esac || { echo "mkfs for $fs failed"; return 1; }
	case $fs in
	vexfs_ko*) mount -t vexfs "$dev" "$mnt" ;;
	vexfs_fuse) fuse_mount -o writeback ;;
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

# fio_run NAME RW BS SIZE: one job on $mnt/NAME; prints "KiB/s IOPS"
fio_run()
{
	local out
	out=$(fio --name="$1" --filename="$mnt/$1" --rw="$2" --bs="$3" --size="$4" \
		--ioengine=psync --direct=0 --end_fsync=1 --runtime=20 \
		--output-format=terse --terse-version=3 2> "$tmp/fio.err") ||
		{ echo "fio $2 failed: $(head -3 "$tmp/fio.err")" >&2; return 1; }
	# terse v3: read KiB/s and IOPS are fields 7 and 8, write 48 and 49
	case $2 in
	*read) echo "$out" | awk -F';' '{ print $7, $8 }' ;;
	*) echo "$out" | awk -F';' '{ print $48, $49 }' ;;
	esac
}

# key KEY LINE: the value of KEY=VALUE in vexfs-bench's LINE
key() { tr ' ' '\n' <<< "$2" | sed -n "s/^$1=//p"; }

# --- files and metadata: rounds, filesystems interleaved ---------------------
# $tmp/raw gets one line per measurement and round: "OP FS ROUND VALUE".
fss=(vexfs_ko vexfs_ko_nojournal vexfs_fuse ext4 ext2)
nsync=$((files / 10))
echo "files: $rounds rounds of ${fss[*]}; $files files, $nsync with fsync"
: > "$tmp/raw"
for ((r = 1; r <= rounds; r++)); do
	t0=$(date +%s.%N)
	for ((j = 0; j < ${#fss[@]}; j++)); do
		fs=${fss[(j + r - 1) % ${#fss[@]}]}
		f0=$(date +%s.%N)
		fs_mount "$fs" || continue
		mkdir -p "$mnt/m1" "$mnt/m2" "$mnt/m3"
		if o=$("$vb" fsmark "$mnt/m1" "$files"); then
			for op in create stat rename unlink; do
				echo "$op $fs $r $(key "$op" "$o")" >> "$tmp/raw"
			done
		else
			echo "round $r, $fs: fsmark failed"
		fi
		if o=$("$vb" fsmark "$mnt/m2" "$nsync" fsync); then
			echo "create_fsync $fs $r $(key create "$o")" >> "$tmp/raw"
		else
			echo "round $r, $fs: fsmark with fsync failed"
		fi
		if o=$("$vb" replace "$mnt/m3" "$nsync"); then
			echo "replace $fs $r $(key replace "$o")" >> "$tmp/raw"
		else
			echo "round $r, $fs: replace failed"
		fi
		fs_umount
		echo "round $r/$rounds, $fs: $(awk -v a="$f0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
	done
	echo "round $r/$rounds: $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
done

# Median, lowest and highest of each (OP, FS) over the rounds it has, then
# the ratios of the medians.  One group per OP.
awk -v fss="${fss[*]}" '
function fmt(v) { return v >= 100 ? sprintf("%.0f", v) : sprintf("%.1f", v) }
function row(g, n, v, u) { printf "bench\tvexfs-%s\t%s\t%s\t%s\n", g, n, v, u }
{ k = $1 SUBSEP $2; n[k]++; v[k, n[k]] = $4 + 0 }
END {
	nf = split(fss, fs, " ")
	nops = split("create create_fsync stat rename unlink replace", ops, " ")
	for (o = 1; o <= nops; o++) {
		op = ops[o]
		for (f = 1; f <= nf; f++) {
			k = op SUBSEP fs[f]
			if (!n[k])
				continue
			# insertion sort of the rounds values
			for (i = 1; i <= n[k]; i++)
				s[i] = v[k, i]
			for (i = 2; i <= n[k]; i++)
				for (j = i; j > 1 && s[j - 1] > s[j]; j--) {
					t = s[j]; s[j] = s[j - 1]; s[j - 1] = t
				}
			m = n[k] % 2 ? s[(n[k] + 1) / 2] : (s[n[k] / 2] + s[n[k] / 2 + 1]) / 2
			med[k] = m
			row(op, fs[f], fmt(m), "ops/s")
			row(op, fs[f] "_min", fmt(s[1]), "ops/s")
			row(op, fs[f] "_max", fmt(s[n[k]]), "ops/s")
		}
		e = op SUBSEP "ext4"
		for (f = 1; f <= nf; f++)
			if (fs[f] != "ext4" && (op SUBSEP fs[f]) in med && med[e] > 0)
				row(op, fs[f] "_vs_ext4", sprintf("%.3g", med[op SUBSEP fs[f]] / med[e]), "x")
		k = op SUBSEP "vexfs_ko"
		e = op SUBSEP "vexfs_ko_nojournal"
		if (k in med && med[e] > 0)
			row(op, "vexfs_ko_vs_nojournal", sprintf("%.3g", med[k] / med[e]), "x")
	}
}' "$tmp/raw"
awk '{ n[$1 " " $2]++ } END { for (k in n) if (n[k] != r) print k ": " n[k] " of " r " rounds" }' \
	r="$rounds" "$tmp/raw" | sort

# --- fio, once per filesystem ------------------------------------------------
if [ "${VEXFS_BENCH_FIO:-1}" != 0 ]; then
	for fs in vexfs_ko vexfs_fuse ext2 ext4; do
		echo "fio: $fs"
		fs_mount "$fs" || continue
		if r=$(fio_run seq write 1M 128M); then
			row vexfs-seq "${fs}_write" "$(awk '{ printf "%.1f", $1 / 1024 }' <<< "$r")" MiB/s
		fi
		drop_caches
		if r=$(fio_run seq read 1M 128M); then
			row vexfs-seq "${fs}_read" "$(awk '{ printf "%.1f", $1 / 1024 }' <<< "$r")" MiB/s
		fi
		if r=$(fio_run rand randwrite 4k 32M); then
			row vexfs-rand4k "${fs}_randwrite" "$(awk '{ print $2 }' <<< "$r")" IOPS
		fi
		drop_caches
		if r=$(fio_run rand randread 4k 32M); then
			row vexfs-rand4k "${fs}_randread" "$(awk '{ print $2 }' <<< "$r")" IOPS
		fi
		fs_umount
	done

	# ratios against ext4 (above 1: faster than ext4)
	awk -F'\t' '
		{ v[$3] = $4; g[$3] = $2 }
		END {
			for (n in v) {
				if (n !~ /^ext4_/)
					continue
				op = substr(n, 6)
				for (f = 1; f <= 3; f++) {
					fs = f == 1 ? "vexfs_ko" : f == 2 ? "vexfs_fuse" : "ext2"
					if ((fs "_" op) in v && v[n] > 0)
						printf "bench\t%s\t%s_%s_vs_ext4\t%.3g\tx\n", g[n], fs, op, v[fs "_" op] / v[n]
				}
			}
		}' "$rows" | sort
fi

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
