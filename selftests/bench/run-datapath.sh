#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The datapath benchmark: sbxfw against the equivalent nftables ruleset and
# against no filter, on the same traffic, in one test VM boot (see
# guest-datapath.sh for the topology, the traffic and the checks). QEMU
# runs with -icount shift=0,sleep=off (through qemu-icount/, as
# selftests/vm/run.sh takes no extra QEMU arguments), so guest time counts
# guest instructions, 1 ns each: the figures are instructions per packet,
# not the time of any real machine. Reports numbers; asserts nothing about
# them, but fails when a configuration does not work (allowed traffic that
# does not arrive, denied traffic that does).
#
#   selftests/bench/run-datapath.sh [-k KVER] [RESULTS_DIR]
#
# KVER defaults to the first test kernel (selftests/vm/kernels.sh), RESULTS_DIR
# to build/bench.
#
# RESULTS_DIR gets datapath.md (the tables, also printed), datapath.csv
# (every measurement), datapath-summary.csv, datapath.dat and, with
# gnuplot, datapath.png. Sizes and counts (environment):
#
#   BENCH_SPECS   family:N list (default: v4 10 1000 100000 1000000,
#                 v6 10 1000 100000 1000000)
#   BENCH_ROUNDS  interleaved rounds a b c (default 5)
#   BENCH_UDP     datagrams per measurement (default 2000)
#   BENCH_TCP     connections per measurement (default 200)
#   BENCH_SWAP_MAX  largest N whose swap (replacing a live policy) is timed
#                 besides its load (default 100000: a swap costs what a
#                 load does, and nft -f of 1M CIDRs takes minutes under TCG)
#   BENCH_MEM     guest memory, MiB (default 4096: nft needs ~1 GiB for 1M)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kver=$("$top/selftests/vm/kernels.sh" | sed -n 1p)
while getopts "k:" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	*) echo "usage: run-datapath.sh [-k KVER] [RESULTS_DIR]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
out=${1:-$top/build/bench}
mkdir -p "$out"
out=$(cd "$out" && pwd)

specs=${BENCH_SPECS:-v4:10 v4:1000 v4:100000 v4:1000000 v6:10 v6:1000 v6:100000 v6:1000000}
rounds=${BENCH_ROUNDS:-5}
udp=${BENCH_UDP:-2000}
tcp=${BENCH_TCP:-200}
start=$(date +%s)

ko=$("$top/selftests/vm/build-module.sh" "$kver")
make -s -C "$top/userspace"
bench=$top/build/bench
mkdir -p "$bench"
${CC:-cc} -O2 -Wall -Wextra -Werror -o "$bench/dpload" "$here/dpload.c"
inputs=$bench/datapath-inputs
# shellcheck disable=SC2086
python3 "$here/datapath-gen.py" "$inputs" $specs

vmout=$bench/vm-datapath-$kver
mkdir -p "$vmout"
rm -f "$vmout"/datapath-*.csv
echo "run-datapath.sh: $kver, specs: $specs; $rounds rounds, $udp datagrams, $tcp connections a measurement"
status=0
PATH=$here/qemu-icount:$PATH SBXFW_BENCH_MEM=${BENCH_MEM:-4096} \
	"$top/selftests/vm/run.sh" -k "$kver" -t "${BENCH_TIMEOUT:-3000}" -o "$vmout" -v \
	-e SBXFW_KO="$ko" -e BENCH_INPUTS="$inputs" -e BENCH_SPECS="$specs" \
	-e BENCH_ROUNDS="$rounds" -e BENCH_UDP="$udp" -e BENCH_TCP="$tcp" \
	-e BENCH_DPLOAD="$bench/dpload" -e BENCH_SWAP_MAX="${BENCH_SWAP_MAX:-100000}" \
	"bash selftests/bench/guest-datapath.sh" | grep --line-buffered -a -v -E '^\[ *[0-9]+\.[0-9]+\]' || status=$?
[ -s "$vmout/datapath-raw.csv" ] || { echo "run-datapath.sh: no results (log: $vmout/console.log)" >&2; exit 1; }

python3 "$here/datapath-report.py" "$vmout" "$out" "$kver" "$(($(date +%s) - start))"
if ! command -v gnuplot >/dev/null 2>&1; then
	msg="No plot: gnuplot is not installed (Debian: gnuplot-nox); $out/datapath.dat and selftests/bench/datapath.gp make it later."
elif gnuplot -e "dat='$out/datapath.dat'; out='$out/datapath.png'" "$here/datapath.gp"; then
	msg="Plot: $out/datapath.png"
else
	msg="No plot: gnuplot failed on $out/datapath.dat."
fi
printf '%s\n' "- $msg" >>"$out/datapath.md"
printf '\n%s\nResults: %s/datapath{.md,.csv,-summary.csv,.dat}; VM log: %s/console.log\n' \
	"$msg" "$out" "$vmout"
echo "run-datapath.sh: $(($(date +%s) - start)) s in all"
[ "$status" = 0 ] || echo "run-datapath.sh: a configuration did not work (FAIL lines above)" >&2
exit "$status"
