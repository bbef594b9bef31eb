#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitrd.sh KVER OUTPUT: a busybox initramfs for a stock Debian kernel
# that loads the virtio and 9p modules and switches root to the host's own
# root filesystem, shared read-only over 9p (see ../../docs/testing.md).
# KVER "-" makes one that loads no module, for a kernel with virtio and 9p
# built in (selftests/debug/build-kernel.sh).
set -euo pipefail

kver=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$tmp/bin/busybox"
ln -s busybox "$tmp/bin/sh"
cp "$here/initramfs-init" "$tmp/init"

# Dependency order as modprobe computes it; built-in modules print
# "builtin" and need nothing.
: >"$tmp/modules/order"
[ "$kver" = - ] || for mod in virtio_pci 9pnet_virtio 9p; do
	modprobe -S "$kver" --show-depends "$mod"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r path; do
		name=$(basename "$path")
		ko=${name%.xz}
		ko=${ko%.zst}
		case "$name" in
		*.xz) xz -dc "$path" >"$tmp/modules/$ko" ;;
		*.zst) zstd -qdc "$path" >"$tmp/modules/$ko" ;;
		*) cp "$path" "$tmp/modules/$ko" ;;
		esac
		echo "$ko" >>"$tmp/modules/order"
	done

(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
