#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms accepts dkms.conf and builds the module for every test kernel, in
# private dkms and source trees so the machine's own dkms state is untouched.
source "$(dirname "$0")/../net/lib.sh"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$SBXFW_SRC/dkms.conf")
header=$(sed -n 's/^#define SBXFW_VERSION "\(.*\)"/\1/p' "$SBXFW_SRC/kmod/version.h")
if [ -n "$version" ] && [ "$version" = "$header" ]; then
	t_ok "dkms.conf's version is the module's ($version)"
else
	t_fail "dkms.conf's version is the module's" "dkms.conf: '$version', kmod/version.h: '$header'"
fi

if ! command -v dkms >/dev/null; then
	t_skip "dkms builds the module" "dkms is not installed"
	t_done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/sbxfw-$version" "$tmp/tree"
(cd "$SBXFW_SRC" && cp -r Kbuild Makefile dkms.conf kmod uapi "$tmp/src/sbxfw-$version/")
find "$tmp/src" -name '*.o' -o -name '*.ko' -o -name '.*.cmd' | xargs rm -f
dkms_args=(--dkmstree "$tmp/tree" --sourcetree "$tmp/src" -m sbxfw -v "$version")

t_run "dkms add accepts dkms.conf" dkms add "${dkms_args[@]}"
for kver in $("$SBXFW_SRC/selftests/vm/kernels.sh"); do
	t_run "dkms build for $kver" dkms build "${dkms_args[@]}" -k "$kver"
	ko=$(find "$tmp/tree/sbxfw/$version/$kver" -name 'sbxfw.ko*' 2>/dev/null | head -n1)
	if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$kver "; then
		t_ok "dkms's module for $kver has that kernel's vermagic"
	else
		t_fail "dkms's module for $kver has that kernel's vermagic" "module: '$ko'"
	fi
done
t_run "BUILD_EXCLUSIVE_KERNEL refuses a 5.15 kernel" \
	bash -c "source '$SBXFW_SRC/dkms.conf'; ! [[ 5.15.0-1-amd64 =~ \$BUILD_EXCLUSIVE_KERNEL ]] && [[ 6.1.0-56-amd64 =~ \$BUILD_EXCLUSIVE_KERNEL ]] && [[ 6.12.95+deb12-amd64 =~ \$BUILD_EXCLUSIVE_KERNEL ]]"
t_done
