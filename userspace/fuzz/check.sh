#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh RUNS TARGET...: the test command's short run of each libFuzzer
# target (make fuzz-check): builds fuzz/fuzz_TARGET with $FUZZ_CC, runs it
# for RUNS inputs from seed 1 over its seeds in fuzz/corpus/TARGET (only
# read), and prints one TAP line per target with the inputs run. A crash,
# leak, sanitizer report or failed build fails its line, with the end of
# the log and the input that failed (base64) as diagnostics; the logs and
# the inputs found stay in fuzz/build/check/. Run from userspace/.
set -u
runs=$1
shift
out=fuzz/build/check
FUZZ_CC=${FUZZ_CC:-clang}
MAKE=${MAKE:-make}

echo "TAP version 13"
echo "1..$#"
if ! command -v "$FUZZ_CC" >/dev/null; then
	n=0
	for t in "$@"; do
		n=$((n + 1))
		echo "not ok $n fuzz_$t: $FUZZ_CC not found; the fuzz targets need clang with libFuzzer (apt-get install clang libclang-rt-dev)"
	done
	exit 1
fi

rm -rf "$out"
mkdir -p "$out"
n=0
failed=0
for t in "$@"; do
	n=$((n + 1))
	log=$out/$t.log
	if ! "$MAKE" -s "fuzz/fuzz_$t" >"$log" 2>&1; then
		echo "not ok $n fuzz_$t builds with $FUZZ_CC"
		tail -n 20 "$log" | sed 's/^/# /'
		failed=1
		continue
	fi
	dict=()
	[ -f "fuzz/$t.dict" ] && dict=("-dict=fuzz/$t.dict")
	mkdir -p "$out/$t"
	start=$(date +%s%N)
	if "./fuzz/fuzz_$t" -seed=1 -runs="$runs" "${dict[@]}" \
		-artifact_prefix="$out/$t-" "$out/$t" "fuzz/corpus/$t" >>"$log" 2>&1; then
		done_runs=$(sed -n 's/^Done \([0-9]*\) runs in .*/\1/p' "$log" | tail -n 1)
		ms=$((($(date +%s%N) - start) / 1000000))
		printf 'ok %d fuzz_%s: %s runs from seed 1, no crash, leak or sanitizer report (%d.%03d s)\n' \
			"$n" "$t" "${done_runs:-?}" $((ms / 1000)) $((ms % 1000))
	else
		echo "not ok $n fuzz_$t: $runs runs from seed 1 (log: userspace/$log)"
		grep -E -A 30 '^==[0-9]+==ERROR|runtime error|^SUMMARY' "$log" | head -n 40 | sed 's/^/# /'
		for a in "$out/$t"-*; do
			[ -f "$a" ] && echo "# input $a (base64): $(base64 -w0 "$a")"
		done
		failed=1
	fi
done
exit "$failed"
