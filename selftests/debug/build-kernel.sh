#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh [--cached]: builds the debug test kernel (KUnit, KASAN, lockdep,
# PROVE_RCU, kmemleak; see ./config) from Debian's linux-source-6.1 and
# prints its cache directory:
#
#   DIR/bzImage      the kernel run.sh -K DIR boots
#   DIR/build        the built tree: KDIR for out-of-tree modules
#   DIR/build.log    the build's log; DIR/build-time its wall time (s)
#
# DIR is ${SBXFW_DEBUG_KERNEL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/sbxfw/debug-kernel}/HASH,
# HASH the sha256 of the config fragment, this recipe's version and the
# source tarball's identity; a built kernel is reused at once. A build
# that was interrupted resumes in place (make is incremental). Needs flex,
# bison, bc and libelf-dev besides the compiler. --cached only prints the
# directory of a kernel already built, or fails: it never builds.
set -euo pipefail

cached_only=
[ "${1:-}" = --cached ] && cached_only=1

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/config
tarball=${SBXFW_KERNEL_SOURCE:-/usr/src/linux-source-6.1.tar.xz}
recipe=1 # bump when the steps below change what they build
root=${SBXFW_DEBUG_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sbxfw/debug-kernel}

[ -f "$tarball" ] ||
	{ echo "build-kernel.sh: no $tarball (apt-get install linux-source-6.1)" >&2; exit 1; }
for tool in flex bison bc; do
	command -v "$tool" >/dev/null ||
		{ echo "build-kernel.sh: $tool is missing (apt-get install flex bison bc libelf-dev)" >&2; exit 1; }
done

# The tarball's identity: name, size and modification time (hashing 140 MB
# on every run would cost seconds for nothing; the package never rewrites
# the file in place without changing both).
hash=$({ echo "recipe $recipe"; stat -c '%n %s %Y' "$tarball"; cat "$frag"; } |
	sha256sum | cut -c1-16)
dir=$root/$hash
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi
[ -z "$cached_only" ] || exit 1

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [ -f "$dir/.complete" ]; then # another run built it while we waited
	echo "$dir"
	exit 0
fi

log=$dir/build.log
start=$(date +%s)
{
	echo "build-kernel.sh: building $dir from $tarball ($(date -u))"
	if [ ! -f "$dir/build/Makefile" ]; then
		rm -rf "$dir/build" "$dir/extract"
		mkdir -p "$dir/extract"
		tar -xJf "$tarball" -C "$dir/extract"
		mv "$dir/extract"/linux-source-* "$dir/build"
		rmdir "$dir/extract"
	fi
	cd "$dir/build"
	make -s tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$frag"
	make -s olddefconfig
} >>"$log" 2>&1 || { tail -n 40 "$log" >&2; exit 1; }

# Every option the fragment asks for must have survived olddefconfig (an
# unmet dependency drops it silently).
missing=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$frag" |
	while read -r line; do
		case $line in
		'# '*)
			opt=${line#\# }
			opt=${opt%% *}
			! grep -q "^$opt=" "$dir/build/.config" || echo "$line (got: $(grep "^$opt=" "$dir/build/.config"))"
			;;
		*)
			grep -qxF "$line" "$dir/build/.config" ||
				echo "$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$dir/build/.config" || echo absent))"
			;;
		esac
	done)
if [ -n "$missing" ]; then
	echo "build-kernel.sh: options of $frag not in the final .config:" >&2
	echo "$missing" >&2
	exit 1
fi

# vmlinux, bzImage and the (empty) modules pass, which writes the
# Module.symvers that out-of-tree builds need.
if ! make -C "$dir/build" -j"$(nproc)" all >>"$log" 2>&1; then
	grep -E 'error|Error' "$log" | tail -n 20 >&2
	echo "build-kernel.sh: build failed, log: $log" >&2
	exit 1
fi
cp "$dir/build/arch/x86/boot/bzImage" "$dir/bzImage"
echo $(($(date +%s) - start)) >"$dir/build-time"
: >"$dir/.complete"
echo "build-kernel.sh: built in $(cat "$dir/build-time") s" >>"$log"
echo "$dir"
