#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest.sh [SCRIPT...]: the job selftests/debug/run.sh runs in the debug
# kernel (see selftests/vm/run.sh for the guest). Drops what kmemleak
# suspects from the boot (before any sbxfw code ran), loads
# $SBXFW_KUNIT_KO (its KUnit suites run while it loads) and keeps their
# KTAP in $SBXFW_OUT/kunit.ktap, unloads it, then runs the kselftest
# suite with $SBXFW_KO (selftests/vm/guest-selftests.sh, which ends with
# two kmemleak scans). Exits non-zero if either part failed.
set -u
cd "$SBXFW_SRC" || exit 1
kmemleak=/sys/kernel/debug/kmemleak
status=0

# Boot-time objects kmemleak cannot trace are none of sbxfw's business:
# report only what is left unreferenced from here on.
if [ -w "$kmemleak" ]; then
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
else
	echo "# kmemleak is not available in this kernel" >/dev/console
fi

echo "sbxfw-kunit: begin" >/dev/kmsg
if [ -n "${SBXFW_KUNIT_KO:-}" ]; then
	start=$(date +%s)
	if ! out=$(insmod "$SBXFW_KUNIT_KO" 2>&1); then
		echo "# insmod $SBXFW_KUNIT_KO: $out" >/dev/console
		status=1
	fi
	echo "# KUnit suites ran in $(($(date +%s) - start)) s" >/dev/console
	rmmod sbxfw_kunit 2>/dev/null
fi
echo "sbxfw-kunit: end" >/dev/kmsg
dmesg -t | sed -n '/^sbxfw-kunit: begin$/,/^sbxfw-kunit: end$/p' >"$SBXFW_OUT/kunit.ktap"

selftests/vm/guest-selftests.sh "$@" || status=1
exit $status
