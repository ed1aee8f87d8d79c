#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VexFS benchmark, run by "make bench" (tests/bench/guest-run) on the
# virtio disk scripts/bench gives the guest (/dev/vda, DSMIL_VM_DISK).
#
# For vexfs.ko, vexfs-fuse (-o writeback), ext2 and ext4, each on a fresh
# mkfs of the whole disk: fio sequential write and read (1 MiB blocks) and
# random 4 KiB write and read (buffered, end_fsync, caches dropped between
# writing and reading), and an fs_mark-style run (create with a 4 KiB write,
# stat, unlink; ops/s), with ratios against ext4.  Then vector search: sets
# of 10,000 and 100,000 float32 vectors of dimension 128 and 768 written
# through vexfs.ko, searched top-10 (L2) through the kernel's ioctl and
# through vexfs-fuse, against a userspace brute-force scan of the same
# vectors in memory (queries per second, ratios).
# Prints rows "bench<TAB>GROUP<TAB>NAME<TAB>VALUE<TAB>UNIT".
#
# Environment: VEXFS_BENCH_POPULATE_LIMIT (seconds one vector set may take
# to write before it is given up, default 420), VEXFS_BENCH_SECONDS (per
# QPS measurement, default 5), VEXFS_BENCH_SETS (the vector sets,
# COUNT:DIM ..., default "10000:128 10000:768 100000:128 100000:768").

if [ $# -ge 1 ]; then
	# shellcheck disable=SC1091
	. "$1/env"
fi
src=${DSMIL_SRC:?}
tools=$src/build/tools
dev=/dev/vda
limit=${VEXFS_BENCH_POPULATE_LIMIT:-420}
secs=${VEXFS_BENCH_SECONDS:-5}
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
command -v fio > /dev/null || { echo "no fio (scripts/bench installs it)"; exit 1; }
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

# fs_mount FS: a fresh filesystem FS on $dev mounted at $mnt
fs_mount()
{
	case $1 in
	vexfs_ko|vexfs_fuse) "$tools/mkfs.vexfs" -q "${mkfs_opts[@]}" "$dev" ;;
	ext2) mkfs.ext2 -q -F "$dev" ;;
	ext4) mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$dev" ;;
	esac || { echo "mkfs for $1 failed"; return 1; }
	case $1 in
	vexfs_ko) mount -t vexfs "$dev" "$mnt" ;;
	vexfs_fuse) fuse_mount -o writeback ;;
	*) mount -t "$1" "$dev" "$mnt" ;;
	esac || { echo "mount $1 failed"; return 1; }
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

mkfs_opts=()
for fs in vexfs_ko vexfs_fuse ext2 ext4; do
	echo "files: $fs"
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
	rm -f "$mnt/seq" "$mnt/rand"
	mkdir -p "$mnt/m1" "$mnt/m2"
	if r=$("$vb" fsmark "$mnt/m1" 2000); then
		for op in create stat unlink; do
			row vexfs-files "${fs}_$op" "$(tr ' ' '\n' <<< "$r" | sed -n "s/^$op=//p")" ops/s
		done
	fi
	if r=$("$vb" fsmark "$mnt/m2" 200 fsync); then
		row vexfs-files "${fs}_create_fsync" "$(tr ' ' '\n' <<< "$r" | sed -n 's/^create=//p')" ops/s
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

# vector search
mkfs_opts=(-N 102400)
for set in ${VEXFS_BENCH_SETS:-10000:128 10000:768 100000:128 100000:768}; do
	n=${set%:*}
	dim=${set#*:}
	s=$((n / 1000))k_d$dim
	echo "vectors: $s"
	fs_mount vexfs_ko || continue
	r=$("$vb" populate "$mnt" "$n" "$dim" "$dim" "$limit")
	rc=$?
	echo "populate $s: $r"
	if [ $rc -ne 0 ]; then
		echo "populating $s took more than ${limit}s: its search rows are left out"
		fs_umount
		continue
	fi
	row vexfs-populate "$s" "$(tr ' ' '\n' <<< "$r" | sed -n 's/^per_second=//p')" vectors/s
	k=$("$vb" search "$mnt" "$n" "$dim" "$dim" "$secs" | sed -n 's/.*qps=//p')
	fs_umount || continue
	drop_caches
	fuse_mount || continue
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
