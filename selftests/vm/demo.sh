#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: builds sbxfw and shows it working in a QEMU VM running a stock
# Debian kernel (the first test kernel, or KVER=...).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
cd "$src"

kver=${KVER:-$(selftests/vm/kernels.sh | sed -n 1p)}
[ -n "$kver" ] || { echo "demo: no test kernel installed; run selftests/vm/install-deps.sh" >&2; exit 1; }

echo "demo: building sbxfwctl and sbxfw.ko for $kver"
make -s -C userspace >/dev/null
ko=$(selftests/vm/build-module.sh "$kver")
echo "demo: booting $kver under QEMU (software emulation; about 10 s)"
selftests/vm/run.sh -v -k "$kver" -t 600 -o "$src/build/vm/demo" -a "loglevel=3" \
	-e "SBXFW_KO=$ko" selftests/vm/demo-guest.sh
