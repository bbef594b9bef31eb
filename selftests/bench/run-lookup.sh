#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The lookup microbenchmark, natively (no VM): builds selftests/bench/lookup
# from the module's pure sources, runs it, and plots the results when
# gnuplot is installed. Reports numbers; asserts nothing about time.
#
#   selftests/bench/run-lookup.sh [RESULTS_DIR]	(default build/bench)
#
# RESULTS_DIR gets lookup.md (the tables, also printed), lookup.csv,
# lookup.dat and, with gnuplot, lookup.png.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/build/bench}
mkdir -p "$out"
out=$(cd "$out" && pwd)

make -s -C "$here" OUT="$top/build/bench"
"$top/build/bench/lookup" "$out"

if ! command -v gnuplot >/dev/null 2>&1; then
	msg="No plot: gnuplot is not installed (Debian: gnuplot-nox); $out/lookup.dat and selftests/bench/lookup.gp make it later."
elif gnuplot -e "dat='$out/lookup.dat'; out='$out/lookup.png'" \
	"$here/lookup.gp"; then
	msg="Plot: $out/lookup.png"
else
	msg="No plot: gnuplot failed on $out/lookup.dat."
fi
printf '%s\n' "- $msg" >>"$out/lookup.md"
printf '\n%s\nResults: %s/lookup.{md,csv,dat}\n' "$msg" "$out"
