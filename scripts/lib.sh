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

# need_packages PKG...: install what is missing (as root) or say how to.
need_packages()
{
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing packages; run: sudo apt-get install -y ${missing[*]}"
	fi
	echo "  APT     installing ${missing[*]}"
	# Wait for another apt (a parallel test installing packages) to finish.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 \
		--no-install-recommends "${missing[@]}" > "$DSMIL_CACHE/apt.log" 2>&1 || {
		tail -20 "$DSMIL_CACHE/apt.log" >&2
		die "apt-get install ${missing[*]} failed (log: $DSMIL_CACHE/apt.log)"
	}
}

# step N M TEXT: progress line of a long target.
step()
{
	printf '[%s/%s] %s\n' "$1" "$2" "$3"
}
