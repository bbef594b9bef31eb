#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# sparse (make C=2) over the module for every test kernel: no warning.
source "$(dirname "$0")/../net/lib.sh"
trap - EXIT

for kver in $("$SBXFW_SRC/selftests/vm/kernels.sh"); do
	if ! command -v sparse >/dev/null; then
		t_skip "sparse is clean on $kver" "sparse is not installed"
		continue
	fi
	if ! "$SBXFW_SRC/selftests/vm/build-module.sh" "$kver" C=2 CHECK=sparse >/dev/null; then
		t_fail "sparse is clean on $kver" "the module did not build"
		continue
	fi
	log=$SBXFW_SRC/build/$kver/build.log
	warnings=$(grep -E '(warning|error):' "$log")
	if [ -z "$warnings" ]; then
		t_ok "sparse is clean on $kver"
	else
		t_fail "sparse is clean on $kver" "$warnings"
	fi
done
t_done
