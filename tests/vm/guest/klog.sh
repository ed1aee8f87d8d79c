# SPDX-License-Identifier: GPL-2.0
#
# The kernel log as dmesg prints it, for the VM cases and their runner
# (sourced by tests/vm/lib.sh and tests/vm/guest/run-cases).
#
# On the debug kernel (KASAN, lockdep, under TCG) every process costs 0.1 to
# 0.3 s, and dmesg reads the whole log, record by record, each time it
# runs; the runner and the cases looked at the log several times per case.
# So the runner starts tests/vm/guest/klogd, which follows /dev/kmsg and
# keeps the log in the file DSMIL_KLOG (in the directory DSMIL_KLOG_DIR),
# each record read once.  klog_sync waits until that file holds every
# record logged before it was called: it logs "dsmil-klog-sync TOKEN" and
# waits for klogd to create DSMIL_KLOG_DIR/sync/TOKEN, which holds the
# file's line count then; no process is started.  Without DSMIL_KLOG (a
# case run by hand) the functions use dmesg.

# klog_sync: sets KLOG_LINES to the number of lines of the log; returns 1,
# with a message, if klogd does not answer in 10 s.
# shellcheck disable=SC2034 # KLOG_LINES is for the callers
klog_sync()
{
	local tok=$BASHPID-${EPOCHREALTIME//[!0-9]/} i
	if [ -z "${DSMIL_KLOG:-}" ]; then
		KLOG_LINES=$(dmesg | wc -l)
		return 0
	fi
	echo "<7>dsmil-klog-sync $tok" > /dev/kmsg
	for ((i = 0; i < 2000; i++)); do
		if [ -e "$DSMIL_KLOG_DIR/sync/$tok" ]; then
			read -r KLOG_LINES < "$DSMIL_KLOG_DIR/sync/$tok"
			return 0
		fi
		# (a sleep without a fork: a read with a timeout on a FIFO
		# nothing writes to)
		read -r -t 0.005 _ <> "$DSMIL_KLOG_DIR/idle" || :
	done
	echo "the kernel log follower (tests/vm/guest/klogd) did not answer in 10 s" >&2
	return 1
}

# klog: the whole log.
klog()
{
	klog_sync || return 1
	if [ -n "${DSMIL_KLOG:-}" ]; then
		cat "$DSMIL_KLOG"
	else
		dmesg
	fi
}

# klog_range FIRST [LAST]: the lines after the first FIRST ones, up to line
# LAST (default: all).
klog_range()
{
	klog_sync || return 1
	if [ -n "${DSMIL_KLOG:-}" ]; then
		sed -n "$(($1 + 1)),${2:-\$}p" "$DSMIL_KLOG"
	else
		dmesg | sed -n "$(($1 + 1)),${2:-\$}p"
	fi
}

# The kernel's once-per-boot notes about the first out-of-tree or unsigned
# module it loads: they name the module ("dsmil_core: loading out-of-tree
# module taints kernel.") and would count as its lines in the first case
# of a boot that loads it.
KLOG_TAINT_RE=': (loading out-of-tree module taints kernel|module verification failed: signature and/or required key missing - tainting kernel)\.?$'

# klog_lines_since MARK: the lines after the first MARK ones (a line count
# klog_sync gave) but for the taint notes, in the array KLOG_SINCE.  No
# process is started (mapfile and bash's own regex): the cases look at the
# log hundreds of times, and on the debug kernel a grep or a sed costs 0.1
# to 0.3 s each time.
klog_lines_since()
{
	local -a all
	local l
	klog_sync || return 1
	if [ -n "${DSMIL_KLOG:-}" ]; then
		mapfile -t -s "$1" all < "$DSMIL_KLOG"
	else
		mapfile -t -s "$1" all < <(dmesg)
	fi
	KLOG_SINCE=()
	for l in "${all[@]}"; do
		[[ $l =~ $KLOG_TAINT_RE ]] || KLOG_SINCE+=("$l")
	done
}

# klog_since MARK: the lines of klog_lines_since, printed.
klog_since()
{
	klog_lines_since "$1" || return 1
	[ ${#KLOG_SINCE[@]} -eq 0 ] || printf '%s\n' "${KLOG_SINCE[@]}"
}

# klog_start RUNDIR KLOGD: start the follower (in the background, for the
# rest of the guest's life) on a tmpfs at RUNDIR and export DSMIL_KLOG and
# DSMIL_KLOG_DIR; returns 1 if it does not answer.
klog_start()
{
	mkdir -p "$1" && mount -t tmpfs -o mode=0755 tmpfs "$1" &&
		mkfifo "$1/idle" || return 1
	"$2" "$1" &
	export DSMIL_KLOG_DIR=$1 DSMIL_KLOG=$1/log
	klog_sync
}
