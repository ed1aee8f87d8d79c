# SPDX-License-Identifier: GPL-2.0
#
# Helpers for VM test cases (tests/vm/cases/<area>/<name>.sh).  Sourced by
# every case; runs inside the guest, as root, in a chroot of the host's
# read-only root with the suite's modules depmod'ed under /lib/modules.
#
# Environment given to every case:
#   DSMIL_SRC        the source checkout (read-only)
#   DSMIL_KVER       the guest kernel release
#   DSMIL_TMP        a writable scratch directory for this case (mode 0700)
#   DSMIL_PUB        an empty directory of mode 0755 for this case, on the
#                    run's world-searchable tmpfs: what a step run as nobody
#                    must reach (mount points, files) goes here, never in
#                    the checkout or DSMIL_TMP
#   DSMIL_PUB_TOOLS  the run's copy of build/tools on the same tmpfs: the
#                    programs a step runs as nobody
#   DSMIL_RESERVED_BASE / DSMIL_RESERVED_SIZE
#                    guest RAM reserved with memmap= (hex base, bytes)
#   DSMIL_EDU_BDF    PCI address of QEMU's edu device (e.g. 0000:00:04.0)
#   DSMIL_LOG_REPLAY the dm-log-writes replayer tests/vm/guest/log-replay.c,
#                    compiled by tests/vm/run
#
# A case exits 0 when it passes, 77 when it must be skipped (say why on
# stdout), anything else when it fails.  The harness fails a case whose run
# left a BUG/WARNING/Oops/lockdep/KASAN line in dmesg, whatever it returned.

set -u

# cmdline_arg NAME DEFAULT: the value of NAME=VALUE on the guest kernel's
# command line (make check's DSMIL_VM_APPEND), else DEFAULT.
cmdline_arg()
{
	local a args
	read -r -a args < /proc/cmdline
	for a in "${args[@]}"; do
		case $a in
		"$1"=*) echo "${a#*=}"; return ;;
		esac
	done
	echo "$2"
}

# fail MESSAGE...: report and end the case with a failure.
fail()
{
	echo "FAIL: $*" >&2
	exit 1
}

# skip REASON...: end the case as skipped.
skip()
{
	echo "SKIP: $*"
	exit 77
}

# note MESSAGE...: a diagnostic line in the case's log.
note()
{
	echo "# $*"
}

# assert_eq ACTUAL EXPECTED WHAT
assert_eq()
{
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# The kernel log as dmesg prints it (klog, klog_since, klog_sync): from the
# file the case runner's follower keeps (tests/vm/guest/klog.sh).
. "$DSMIL_SRC/tests/vm/guest/klog.sh"

# dmesg_mark: remember where the kernel log is now; dmesg_since prints what
# was logged after the last mark (klog_since: without the kernel's taint
# notes about the module).
dmesg_mark()
{
	klog_sync || fail "cannot read the kernel log"
	DSMIL_DMESG_MARK=$KLOG_LINES
}

dmesg_since()
{
	klog_since "${DSMIL_DMESG_MARK:-0}"
}

# assert_dmesg REGEX [COUNT]: the log since the mark matches REGEX (an
# extended regular expression, as grep -E takes it) exactly COUNT times
# (default: at least once); lines are matched by bash itself, without a
# process (klog_lines_since).
assert_dmesg()
{
	local n=0 l
	klog_lines_since "${DSMIL_DMESG_MARK:-0}" || fail "cannot read the kernel log"
	for l in "${KLOG_SINCE[@]}"; do
		if [[ $l =~ $1 ]]; then
			n=$((n + 1))
		fi
	done
	if [ $# -ge 2 ]; then
		[ "$n" -eq "$2" ] || fail "dmesg: '$1' seen $n times, expected $2"
	else
		[ "$n" -ge 1 ] || fail "dmesg: '$1' not logged"
	fi
}

# dmesg_has TEXT: the log since the mark has a line containing TEXT (a
# fixed string), without a process.
dmesg_has()
{
	local l
	klog_lines_since "${DSMIL_DMESG_MARK:-0}" || fail "cannot read the kernel log"
	for l in "${KLOG_SINCE[@]}"; do
		[[ $l != *"$1"* ]] || return 0
	done
	return 1
}

# assert_loaded MOD / assert_not_loaded MOD
assert_loaded()
{
	[ -d "/sys/module/$1" ] || fail "module $1 is not loaded"
}

assert_not_loaded()
{
	[ ! -d "/sys/module/$1" ] || fail "module $1 is still loaded"
}

# load MOD [PARAM=VALUE...]: modprobe that must succeed.
load()
{
	modprobe "$@" || fail "modprobe $* failed"
}

# load_fails ERRNO_TEXT MOD [PARAM=VALUE...]: modprobe that must fail with
# the given message (e.g. "Invalid argument") and leave MOD unloaded.
load_fails()
{
	local want=$1 out
	shift
	if out=$(modprobe "$@" 2>&1); then
		fail "modprobe $* succeeded, expected: $want"
	fi
	[[ $out == *"$want"* ]] || fail "modprobe $*: '$out', expected '$want'"
	assert_not_loaded "$1"
}

# unload MOD...: rmmod that must succeed.
unload()
{
	local m
	for m in "$@"; do
		rmmod "$m" || fail "rmmod $m failed"
	done
}
