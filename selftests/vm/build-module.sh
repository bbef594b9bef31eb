#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh KVER [MAKE ARGS...]: builds sbxfw.ko against KVER's
# headers in build/KVER/ (a copy of the module's sources, so objects for
# different kernels never mix) and prints the module's path. Extra
# arguments go to kbuild (e.g. C=2 for sparse).
# KVER may instead be the cache directory of a kernel built by
# selftests/debug/build-kernel.sh (a path, with a '/'): the module is built
# against its tree in build/debug-HASH/, where a kernel with KUnit also
# gets sbxfw_kunit.ko, next to sbxfw.ko.
set -euo pipefail

kver=$1
shift
src=$(cd "$(dirname "$0")/../.." && pwd)
case $kver in
*/*)
	kdir=$(cd "$kver" && pwd)/build
	dest=$src/build/debug-$(basename "$(cd "$kver" && pwd)")
	;;
*)
	kdir=/lib/modules/$kver/build
	dest=$src/build/$kver
	;;
esac

[ -d "$kdir" ] || { echo "build-module.sh: no headers for $kver in $kdir" >&2; exit 1; }
mkdir -p "$dest"
# Copy with timestamps kept, so kbuild rebuilds only what changed.
(cd "$src" && find Kbuild kmod uapi -name Kbuild -o -name '*.[ch]' | tar -cf - -T -) |
	tar -xf - -C "$dest"

log=$dest/build.log
if ! make -C "$kdir" M="$dest" "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	exit 1
fi
echo "$dest/sbxfw.ko"
