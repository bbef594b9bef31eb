# SPDX-License-Identifier: GPL-2.0
#
# ns per lookup against the number of prefixes, from the lookup.dat that
# selftests/bench/lookup writes (run-lookup.sh calls this):
#
#   gnuplot -e "dat='build/bench/lookup.dat'; out='build/bench/lookup.png'" \
#	selftests/bench/lookup.gp
#
# lookup.dat: N, then for IPv4 (columns 2-10) and IPv6 (11-19), for the
# random, hit and sequential keys, sbxfw, the sorted array and the binary
# trie; NaN where nothing was measured.

if (!exists("dat")) {
	dat = "build/bench/lookup.dat"
}
if (!exists("out")) {
	out = "build/bench/lookup.png"
}

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1400,600 noenhanced
} else {
	set terminal png size 1400,600 noenhanced
}
set output out
set datafile missing "NaN"
set logscale xy
set xrange [5:2000000]
set format x "%.0s%c"
set xlabel "prefixes (N)"
set ylabel "ns per lookup (median)"
set grid
set key top left

impl(i) = word("sbxfw sorted-array binary-trie", i + 1)
keyset(k) = word("random hit sequential", k + 1)

set multiplot layout 1,2 title "sbxfw_lpm_lookup against the references"
do for [f=0:1] {
	set title (f == 0 ? "IPv4" : "IPv6")
	# n = 3 * keys + implementation
	plot for [n=0:8] dat \
		using 1:(column(2 + 9 * f + n)) \
		with linespoints linecolor n % 3 + 1 dashtype n / 3 + 1 \
		pointtype 7 title (impl(n % 3) . ", " . keyset(n / 3) . " keys")
}
unset multiplot
