# SPDX-License-Identifier: GPL-2.0
#
# Shared shell helpers for scripts/ and tests/ (sourced, bash).

DSMIL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DSMIL_ROOT
if [ -z "${DSMIL_CACHE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		DSMIL_CACHE=/var/cache/dsmil
	else
		DSMIL_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/dsmil
	fi
fi
export DSMIL_CACHE
mkdir -p "$DSMIL_CACHE"

die()
{
	echo "${0##*/}: $*" >&2
	exit 1
}

# apt_locked [--lock FILE] CMD...: run CMD, an apt-get, apt-cache, dpkg or
# debootstrap command or a script running them, holding the apt lock of the
# state it reads or writes: FILE, by default the host's
# ($DSMIL_APT_LOCK, /run/lock/dsmil-apt.lock); a private apt configuration
# or a chroot has its own.  Every apt and dpkg use of the suite's scripts
# goes through here, readers too: apt's own lock (DPkg::Lock::Timeout)
# covers neither "apt-cache" nor the lists "apt-get update" rewrites, so a
# query racing a parallel lane's install or update could read a cache in
# the middle of a rewrite ("Cache is out of sync").  Nested calls (CMD
# itself calling apt_locked, through the environment) do not lock twice.
apt_locked()
{
	local lock=${DSMIL_APT_LOCK:-/run/lock/dsmil-apt.lock} fd rc
	if [ "${1:-}" = --lock ]; then
		lock=$2
		shift 2
	fi
	# (return $?: a bare return in a trap handler returns the status the
	# trap began with, not the command's)
	case ":${DSMIL_APT_LOCKS_HELD:-}:" in
	*":$lock:"*) "$@"; return $? ;;
	esac
	mkdir -p "${lock%/*}"
	exec {fd}>>"$lock"
	if ! flock -n "$fd"; then
		echo "  APT     waiting for the apt lock ($lock)" >&2
		flock -w 3600 "$fd" || {
			exec {fd}>&-
			echo "${0##*/}: the apt lock $lock was held for an hour" >&2
			return 1
		}
	fi
	# (held in this shell too, not only in the command's environment: a
	# signal trap may exit the shell right after the command, with the lock
	# still open, and an EXIT handler's apt_locked must not wait for it)
	local prev=${DSMIL_APT_LOCKS_HELD:-}
	export DSMIL_APT_LOCKS_HELD=${prev:+$prev:}$lock
	"$@"
	rc=$?
	DSMIL_APT_LOCKS_HELD=$prev
	exec {fd}>&-
	return $rc
}

# need_packages PKG...: install what is missing (as root) or say how to.
need_packages()
{
	local missing=() p status
	# (dpkg-query fails when it knows a package not: the status of the others
	# is still printed)
	status=$(apt_locked dpkg-query -W -f='${Package} ${Status}\n' "$@" 2>/dev/null) || true
	for p in "$@"; do
		awk -v p="$p" '$1 == p && /ok installed/ {f = 1} END {exit !f}' <<< "$status" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing packages; run: sudo apt-get install -y ${missing[*]}"
	fi
	echo "  APT     installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt_locked apt-get install -y -q -o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${missing[@]}" > "$DSMIL_CACHE/apt.log" 2>&1 || {
		tail -20 "$DSMIL_CACHE/apt.log" >&2
		die "apt-get install ${missing[*]} failed (log: $DSMIL_CACHE/apt.log)"
	}
}

# use_ccache: the test targets' builds of the suite (W=1 builds, the
# packaging test's DKMS builds, the debug leg's) go through ccache, the
# /usr/lib/ccache compiler names first in PATH, with the cache in
# $DSMIL_CACHE/ccache (bind-mounted into the kernels' chroots by scripts/
# kernel exec).  Depend mode: a miss costs one compiler run, not a
# preprocessor run as well (a cold build 7 % slower, a warm one half the
# CPU).  DSMIL_CCACHE=0 builds without it; a missing ccache is no error.
use_ccache()
{
	[ "${DSMIL_CCACHE:-1}" != 0 ] || return 0
	[ -x /usr/lib/ccache/gcc ] || return 0
	case ":$PATH:" in
	*:/usr/lib/ccache:*) ;;
	*) PATH=/usr/lib/ccache:$PATH ;;
	esac
	export PATH
	export CCACHE_DIR=${CCACHE_DIR:-$DSMIL_CACHE/ccache}
	export CCACHE_DEPEND=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-4G}
	mkdir -p "$CCACHE_DIR"
}

# step N M TEXT: progress line of a long target.
step()
{
	printf '[%s/%s] %s\n' "$1" "$2" "$3"
}

# debian_mirror debian|security: the URI of the host's Debian archive (the
# source of "bookworm" main) or security archive ("bookworm-security"
# main), read from apt's sources files: the one-line sources.list format
# and deb822 .sources alike (apt-config tells where they are).  Prints
# nothing and fails when no source matches; DSMIL_DEBIAN_MIRROR and
# DSMIL_DEBIAN_SECURITY_MIRROR override it.
debian_mirror()
{
	local suite=bookworm var=DSMIL_DEBIAN_MIRROR SL='' SP='' uri f files=()
	if [ "$1" = security ]; then
		suite=bookworm-security
		var=DSMIL_DEBIAN_SECURITY_MIRROR
	fi
	uri=${!var:-}
	if [ -z "$uri" ]; then
		eval "$(apt-config shell SL Dir::Etc::sourcelist/f SP Dir::Etc::sourceparts/d)"
		for f in "$SL" "${SP%/}"/*.list "${SP%/}"/*.sources; do
			[ ! -f "$f" ] || files+=("$f")
		done
		[ ${#files[@]} -gt 0 ] || return 1
		uri=$(awk -v want="$suite" '
			function take(types, uris, suites, comps,   n, i, t, s, c, u, ok) {
				if (types !~ /(^|[ \t])deb([ \t]|$)/) return
				n = split(suites, s, /[ \t]+/); ok = 0
				for (i = 1; i <= n; i++) if (s[i] == want) ok = 1
				if (!ok) return
				n = split(comps, c, /[ \t]+/); ok = 0
				for (i = 1; i <= n; i++) if (c[i] == "main") ok = 1
				if (!ok) return
				split(uris, u, /[ \t]+/)
				if (u[1] != "") { print u[1]; found = 1; exit }
			}
			function flush() {
				if (enabled != "no" && types != "") take(types, uris, suites, comps)
				types = uris = suites = comps = ""; enabled = ""
			}
			FNR == 1 { if (deb822) flush(); deb822 = FILENAME ~ /\.sources$/ }
			deb822 {
				if ($0 ~ /^#/) next	# a comment line: not a stanza break
				sub(/#.*/, "")
				if ($0 ~ /^[ \t]*$/) { flush(); next }
				if ($0 ~ /^[ \t]/) {	# a continuation of the field before
					val = val " " $0
				} else {
					key = tolower($0); sub(/:.*/, "", key)
					val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				}
				sub(/[ \t]+$/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "components") comps = val
				else if (key == "enabled") enabled = tolower(val)
				next
			}
			{
				sub(/#.*/, "")
				if ($1 != "deb") next
				i = 2
				if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
				comps = ""
				for (j = i + 2; j <= NF; j++) comps = comps " " $j
				take("deb", $i, $(i + 1), comps)
			}
			END { if (!found && deb822) flush() }
		' "${files[@]}" 2>/dev/null)
	fi
	# Only an absolute URI of a scheme apt fetches from goes into a sources
	# file made from it.
	local re='^(https?|ftp|file|mirror(\+[a-z]+)?):/[^][:space:]]+$'
	[[ $uri =~ $re ]] || return 1
	echo "$uri"
}

# apt_memo LISTS KEY CMD...: the output of CMD, a query of the package
# lists in the directory LISTS, remembered ($DSMIL_CACHE/apt-memo/KEY)
# until those lists change.  Lanes that ask the same question again (which
# image version, which source package) then need not wait for the apt lock
# while a parallel lane installs packages.
apt_memo()
{
	local lists=$1 key=${2//\//_} m out
	shift 2
	m=$DSMIL_CACHE/apt-memo/$key
	if [ -f "$m" ] && [ "$(head -1 "$m")" = "$(stat -c %Y "$lists" 2>/dev/null)" ]; then
		tail -n +2 "$m"
		return 0
	fi
	out=$("$@") || return
	mkdir -p "${m%/*}"
	{ stat -c %Y "$lists" 2>/dev/null; echo "$out"; } > "$m.$$"
	mv "$m.$$" "$m"
	echo "$out"
}
