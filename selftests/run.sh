#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh: every test of the project (make check): builds, userspace unit
# tests, fuzzers' short runs, static checks of the kernel code, the
# harness's self-test, the kselftest suite in QEMU once per test kernel,
# and, when a debug kernel is already built, KUnit and a part of the
# kselftests under it (see below).
# run.sh --debug (make check-debug): only the debug kernel, built first if
# need be, with KUnit and the whole kselftest suite.
# Each suite writes TAP to build/results/; the run ends with
# "N passed, N failed, N skipped" counting every case, and exits non-zero
# if any failed.
set -uo pipefail

case ${1:-} in
"") debug_only= ;;
--debug) debug_only=1 ;;
*) echo "usage: run.sh [--debug]" >&2; exit 2 ;;
esac

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src" || exit 1
results=$src/build/results
rm -rf "$results"
mkdir -p "$results"

kernels=$(selftests/vm/kernels.sh)
if [ -z "$debug_only" ] && [ -z "$kernels" ]; then
	echo "run.sh: no test kernel with headers installed; run selftests/vm/install-deps.sh" >&2
	exit 1
fi

# suite NAME COMMAND...: runs COMMAND with its TAP going to NAME.tap and the
# terminal. A suite that fails without reporting a failing case (it crashed
# or could not start) gets one failing case of its own.
suite() {
	local name=$1 status
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$results/$name.tap"
	status=${PIPESTATUS[0]}
	if [ "$status" -ne 0 ] && ! grep -qE '^ *not ok ' "$results/$name.tap"; then
		echo "not ok 1 $name: exited with status $status" | tee -a "$results/$name.tap"
	fi
}

# build NAME COMMAND...: one TAP case for a build step; its log on failure.
build() {
	local name=$1 log
	shift
	if log=$("$@" 2>&1); then
		echo "ok 1 $name"
	else
		echo "not ok 1 $name"
		sed 's/^/# /' <<<"$log"
		return 1
	fi
}

vm() { # KVER: the kselftest suite in a guest running that kernel
	local kver=$1 ko status
	ko=$(selftests/vm/build-module.sh "$kver") || { echo "not ok 1 module builds for $kver"; return 1; }
	selftests/vm/run.sh -k "$kver" -t 2400 -o "$src/build/vm/$kver" \
		-e "SBXFW_KO=$ko" selftests/vm/guest-selftests.sh
	status=$?
	cat "$src/build/vm/$kver/results.tap" 2>/dev/null
	[ "$status" -eq 0 ] || echo "# guest console log: build/vm/$kver/console.log"
	return "$status"
}

if [ -n "$debug_only" ]; then
	suite debug selftests/debug/run.sh
else
	suite build-sbxfwctl build "build sbxfwctl" make -C userspace
	suite unit make -s -C userspace check
	suite format build "clang-format is clean" make -s -C userspace format-check
	# Every libFuzzer target (clang) for a short run from a fixed seed; the
	# long run is "make -C userspace fuzz".
	suite fuzz make -s -C userspace fuzz-check
	for check in selftests/host/*.sh; do
		suite "host-$(basename "$check" .sh)" bash "$check"
	done
	for kver in $kernels; do
		suite "vm-$kver" vm "$kver"
	done
	# Under the debug kernel (KASAN, lockdep, kmemleak) the whole
	# kselftest suite took 67 min, and building that kernel an hour on two
	# cores (docs/testing.md has the figures): neither fits in a CI run of
	# 90 min beside the rest. So, only when a debug kernel is
	# already built: KUnit, the netlink fuzzer while traffic flows,
	# unload.sh (always last) and kmemleak's scans. make check-debug
	# builds the kernel if need be and runs everything.
	if selftests/debug/build-kernel.sh --cached >/dev/null 2>&1; then
		suite debug selftests/debug/run.sh selftests/net/nlfuzz.sh
	else
		suite debug echo "ok 1 KUnit and kselftests under the debug kernel # SKIP none is built: make check-debug builds one (docs/testing.md)"
	fi
fi

# Count leaf cases: a script's wrapper line ("selftests: sbxfw: x.sh") is
# not a case of its own, unless it failed without any failing subtest
# (the script crashed or timed out).
awk '
	/^ *(not )?ok [0-9]+/ {
		indented = ($0 ~ /^ /)
		failed = ($0 ~ /^ *not ok/)
		skipped = ($0 ~ /# SKIP/)
		if (!indented && $0 ~ /selftests: sbxfw: /) {
			if (failed && !subfail) { fail++; print "FAILED: " FILENAME ": " $0 }
			subfail = 0
			next
		}
		if (skipped) skip++
		else if (failed) { fail++; if (indented) subfail = 1; print "FAILED: " FILENAME ": " $0 }
		else pass++
	}
	END { printf "%d passed, %d failed, %d skipped\n", pass, fail, skip; exit(fail > 0) }
' "$results"/*.tap | sed "s|$results/||" | tee "$results/summary"
