# SPDX-License-Identifier: GPL-2.0
#
# Added guest instructions per datagram / connection over no filter, against
# the number of CIDRs, from the datapath.dat that datapath-report.py writes
# (run-datapath.sh calls this):
#
#   gnuplot -e "dat='build/bench/datapath.dat'; out='build/bench/datapath.png'" \
#	selftests/bench/datapath.gp
#
# datapath.dat: four blocks (local udp, local tcp, forward udp, forward tcp),
# each with N, then sbxfw and nftables for IPv4, then for IPv6; NaN where
# nothing was measured.

if (!exists("dat")) {
	dat = "build/bench/datapath.dat"
}
if (!exists("out")) {
	out = "build/bench/datapath.png"
}

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1400,1000 noenhanced
} else {
	set terminal png size 1400,1000 noenhanced
}
set output out
set datafile missing "NaN"
set logscale x
set xrange [5:2000000]
set yrange [0:*]
set format x "%.0s%c"
set xlabel "CIDRs in the policy / set (N)"
set grid
set key center right opaque box

block(i) = word("local/udp local/tcp forward/udp forward/tcp", i + 1)
series(n) = word("sbxfw-IPv4 nftables-IPv4 sbxfw-IPv6 nftables-IPv6", n + 1)

set multiplot layout 2,2 title "Added guest instructions over no filter (QEMU -icount shift=0; median of the rounds)"
do for [i=0:3] {
	set title block(i)
	set ylabel (i % 2 == 0 ? "instructions per datagram" : "instructions per connection")
	plot for [n=0:3] dat index i using 1:(column(n + 2)) \
		with linespoints linecolor n % 2 + 1 dashtype n / 2 + 1 \
		pointtype (n % 2 == 0 ? 7 : 5) title series(n)
}
unset multiplot
