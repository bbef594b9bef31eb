#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs everything sbxfw needs on a Debian 12 (bookworm) machine: the
# toolchain, QEMU, both test kernels (6.1 from bookworm, 6.12 from
# bookworm-backports) with their matching headers, and the userspace
# libraries. Idempotent: a second run installs nothing new.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	exec sudo -- "$0" "$@"
fi

export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }

# bookworm-backports from the mirror the machine already uses.
backports=/etc/apt/sources.list.d/sbxfw-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	mirror=$(grep -hs -m1 -E '^URIs:.*debian/?$' /etc/apt/sources.list.d/*.sources | awk '{print $2}')
	[ -n "$mirror" ] || mirror=$(grep -hs -m1 -E '^deb .*debian/? bookworm' /etc/apt/sources.list | awk '{print $2}')
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
	cat >"$backports" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

apt_get update

# The versioned kernel packages each metapackage line points at, so both
# lines stay installed side by side with headers that match their image.
kernel_pkg() { # $1: suite, $2: image|headers
	apt-cache show "linux-$2-amd64" 2>/dev/null |
		awk -v want="$1" '
			/^Version:/ { v = $2 }
			/^Depends:/ {
				if (match($0, /linux-(image|headers)-[0-9][^ ,]*-amd64/))
					pkgs[v] = substr($0, RSTART, RLENGTH)
			}
			END {
				for (v in pkgs) {
					bpo = (v ~ /bpo/)
					if ((want == "backports") == bpo)
						print v, pkgs[v]
				}
			}' | sort -V | tail -n1 | cut -d' ' -f2
}

kernels=()
for suite in stable backports; do
	for kind in image headers; do
		pkg=$(kernel_pkg "$suite" "$kind")
		[ -n "$pkg" ] || { echo "install-deps: no $suite linux-$kind-amd64 found" >&2; exit 1; }
		kernels+=("$pkg")
	done
done

apt_get install --no-install-recommends \
	build-essential make gcc pkg-config git kmod cpio xz-utils zstd \
	qemu-system-x86 busybox-static \
	libnl-3-dev libnl-genl-3-dev libjansson-dev libcmocka-dev \
	dkms sparse linux-source-6.1 linux-source-6.12 perl python3 \
	python3-yaml python3-jsonschema \
	iproute2 nftables iputils-ping netcat-openbsd socat curl openssl \
	dnsmasq-base procps util-linux gnuplot-nox \
	clang clang-format libclang-rt-dev flex bison bc libelf-dev \
	"${kernels[@]}"

echo "install-deps: kernels: ${kernels[*]}"
