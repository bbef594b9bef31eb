#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over every kernel source file. checkpatch ships in
# Debian's linux-source-6.1 tarball; it is unpacked once into a cache
# outside the source tree.
source "$(dirname "$0")/../net/lib.sh"
trap - EXIT

tarball=$(ls /usr/src/linux-source-6.1*.tar.* 2>/dev/null | head -n1)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/sbxfw/checkpatch
if [ -z "$tarball" ]; then
	t_skip "checkpatch --strict is clean" "linux-source-6.1 is not installed"
	t_done
fi
# Unpacked aside and renamed into place (-m: stamped now, so that the
# tarball is newer only when it changed), so that runs at the same time
# never see a half-unpacked or deleted cache.
if [ ! -x "$cache/scripts/checkpatch.pl" ] || [ "$tarball" -nt "$cache/scripts/checkpatch.pl" ]; then
	mkdir -p "$(dirname "$cache")"
	unpack=$(mktemp -d "$cache.XXXXXX")
	top=$(tar -tf "$tarball" | head -n1 | cut -d/ -f1)
	tar -xmf "$tarball" -C "$unpack" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch" || {
		rm -rf "$unpack"
		t_fail "checkpatch --strict is clean" "cannot unpack checkpatch from $tarball"
		t_done
	}
	rm -rf "$cache.old.$$"
	[ -e "$cache" ] && mv "$cache" "$cache.old.$$"
	mv -T "$unpack" "$cache" 2>/dev/null || rm -rf "$unpack"
	rm -rf "$cache.old.$$"
fi

cd "$SBXFW_SRC" || exit 1
for file in $(find kmod uapi -name '*.[ch]' | sort); do
	out=$("$cache/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$file" 2>&1)
	if [ $? -eq 0 ]; then
		t_ok "checkpatch --strict: $file"
	else
		t_fail "checkpatch --strict: $file" "$out"
	fi
done
t_done
