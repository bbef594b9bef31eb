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

# The debug kernel (selftests/debug/), when it is built: the only kernel
# with KUnit, so the only one that builds kmod/tests/ too. Never built here.
if dir=$("$SBXFW_SRC/selftests/debug/build-kernel.sh" --cached 2>/dev/null) &&
	command -v sparse >/dev/null; then
	name="sparse is clean on the debug kernel, KUnit suites included"
	if ! ko=$("$SBXFW_SRC/selftests/vm/build-module.sh" "$dir" C=2 CHECK=sparse); then
		t_fail "$name" "the modules did not build"
	else
		warnings=$(grep -E '(warning|error):' "$(dirname "$ko")/build.log")
		if [ -z "$warnings" ]; then
			t_ok "$name"
		else
			t_fail "$name" "$warnings"
		fi
	fi
fi
t_done
