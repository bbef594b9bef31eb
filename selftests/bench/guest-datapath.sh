#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The datapath benchmark's guest side, run by run-datapath.sh in one test VM
# boot (selftests/vm/run.sh, QEMU with -icount shift=0,sleep=off): the same
# traffic through three identical topologies that differ only in their
# filter:
#
#   a: sbxfw, a policy of N CIDRs (FAMILY-N.json)
#   b: nftables, the equivalent ruleset with interval sets (FAMILY-N.nft)
#   c: nothing
#   d: sbxfw, a policy whose only rule for the peer is a domain rule
#      (domain.json): the destination is allowed because fw_d resolved
#      allowed.bench through dnsmasq in peer_d and sbxfw learned the answer
#
#   cli_X ──── fw_X ──── peer_X: dpload serve on port 9 (TCP and UDP);
#   10.30.0.2  10.30.0.1  10.10.0.1     198.51.100.10, 2001:db8:1::10 (allowed)
#   fd30::2    fd30::1    fd10::1       198.51.101.10, 2001:db8:2::10 (denied)
#              10.10.0.2 (eth0)
#              fd10::2
#
# fw_X is both the sandbox (its own traffic: LOCAL_OUT, path "local") and
# the router of cli_X, its microVM (path "forward"), and holds the filter.
# Each measurement is one dpload run: BENCH_UDP datagrams to the allowed
# address on one socket, or BENCH_TCP new TCP connections (connect, close;
# the last waits for the server to have closed them all);
# dpload prints the guest time it took, which -icount makes a count of
# guest instructions. Configurations are interleaved, a b c a b c ...,
# BENCH_ROUNDS rounds. Before they are measured, each configuration is
# checked once per path and family and N: allowed traffic arrives at the
# peer, and (a, b, d) denied traffic does not while (c) it does. Any failure
# of that makes the job fail. Config d does not depend on N: it is measured
# beside the first N of each family only.
#
# Environment: SBXFW_KO, SBXFW_SRC, SBXFW_OUT (results: $SBXFW_OUT/*.csv),
# BENCH_INPUTS (the .json and .nft files), BENCH_SPECS ("v4:10 v6:10 ..."),
# BENCH_ROUNDS, BENCH_UDP, BENCH_TCP, BENCH_DPLOAD (the dpload binary),
# BENCH_SWAP_MAX (the largest N whose swap is timed too).
set -u
export LC_ALL=C
SBXFWCTL=$SBXFW_SRC/userspace/sbxfwctl
dpload=$BENCH_DPLOAD
out=$SBXFW_OUT
raw=$out/datapath-raw.csv
loads=$out/datapath-load.csv
icount=$out/datapath-icount.csv
CONFIGS="a b c"
DNS_CONFIG=d
failed=0

log() { echo "# $*"; }
fail() {
	echo "FAIL: $*"
	failed=1
}

log "datapath benchmark on $(uname -r), $(nproc) CPU(s)"

deps=$(modinfo -F depends "$SBXFW_KO") &&
	{ [ -z "$deps" ] || modprobe -a ${deps//,/ }; } &&
	insmod "$SBXFW_KO" || { echo "FAIL: cannot load $SBXFW_KO"; exit 1; }
modprobe -a nf_tables nf_conntrack nft_ct nft_reject_inet 2>/dev/null

# The icount check: a loop of a known number of instructions.
echo "run,guest_ns,instructions" >"$icount"
for i in 1 2 3; do
	read -r ns insns < <("$dpload" spin 50000000)
	echo "$i,$ns,$insns" >>"$icount"
	log "icount check: $insns instructions took $ns guest ns"
done

# Inputs in tmpfs, binaries read once: no timed loop waits for 9p (an idle
# wait advances guest time to the next timer with sleep=off; load() below
# subtracts the waits that remain, for opening files).
inputs=/tmp/inputs
mkdir -p $inputs
for spec in $BENCH_SPECS; do
	cp "$BENCH_INPUTS/${spec%%:*}-${spec#*:}".{json,nft} $inputs/ || exit 1
done
cp "$BENCH_INPUTS/domain.json" $inputs/ || exit 1
"$SBXFWCTL" version >/dev/null
nft --version >/dev/null

nsx() { # NS CMD...
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

veth() { # NS1 IF1 NS2 IF2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

topology() { # X
	local x=$1 ns
	for ns in cli fw peer; do
		ip netns add "${ns}_$x" && ip -n "${ns}_$x" link set lo up || return 1
	done
	veth "cli_$x" eth0 "fw_$x" tap0 && veth "fw_$x" eth0 "peer_$x" eth0 || return 1
	ip -n "cli_$x" addr add 10.30.0.2/24 dev eth0 &&
		ip -n "cli_$x" addr add fd30::2/64 dev eth0 nodad &&
		ip -n "fw_$x" addr add 10.30.0.1/24 dev tap0 &&
		ip -n "fw_$x" addr add fd30::1/64 dev tap0 nodad &&
		ip -n "fw_$x" addr add 10.10.0.2/24 dev eth0 &&
		ip -n "fw_$x" addr add fd10::2/64 dev eth0 nodad &&
		ip -n "peer_$x" addr add 10.10.0.1/24 dev eth0 &&
		ip -n "peer_$x" addr add fd10::1/64 dev eth0 nodad &&
		ip -n "peer_$x" addr add 198.51.100.10/32 dev lo &&
		ip -n "peer_$x" addr add 198.51.101.10/32 dev lo &&
		ip -n "peer_$x" addr add 2001:db8:1::10/128 dev lo nodad &&
		ip -n "peer_$x" addr add 2001:db8:2::10/128 dev lo nodad || return 1
	ip -n "cli_$x" route add default via 10.30.0.1 &&
		ip -n "cli_$x" -6 route add default via fd30::1 &&
		ip -n "fw_$x" route add default via 10.10.0.1 &&
		ip -n "fw_$x" -6 route add default via fd10::1 &&
		ip -n "peer_$x" route add 10.30.0.0/24 via 10.10.0.2 &&
		ip -n "peer_$x" -6 route add fd30::/64 via fd10::2 || return 1
	nsx "fw_$x" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 || return 1
	# Many short connections: ports to spare, TIME_WAIT reused.
	for ns in "cli_$x" "fw_$x"; do
		nsx "$ns" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" \
			net.ipv4.tcp_tw_reuse=1 net.ipv4.tcp_max_tw_buckets=262144 || return 1
	done
	ip netns exec "peer_$x" "$dpload" serve 9 >"/tmp/serve_$x" &
	server_pids+=($!)
	local i
	for i in $(seq 100); do
		grep -q ready "/tmp/serve_$x" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

server_pids=()
for x in $CONFIGS $DNS_CONFIG; do
	topology "$x" 2>&1 || { echo "FAIL: topology $x"; exit 1; }
done
log "topologies up"

# Config d: its policy, its resolver, and the answers it learns from them.
# The entries outlive the run (min_ttl), and no idle gap is long enough to
# end them.
resolve() { # NAME TYPE: prints "ok ADDRESS..." when answered
	nsx fw_d python3 "$SBXFW_SRC/selftests/net/probe.py" dns 10.10.0.1 "$1" "$2"
}
nsx "peer_$DNS_CONFIG" dnsmasq --keep-in-foreground --conf-file=/dev/null \
	--no-resolv --no-hosts --bind-interfaces --port=53 \
	--listen-address=10.10.0.1 --listen-address=fd10::1 \
	--user=root --group=root --pid-file=/tmp/dnsmasq.pid --local-ttl=3600 \
	--host-record=allowed.bench,198.51.100.10,2001:db8:1::10 >/tmp/dnsmasq.out 2>&1 &
server_pids+=($!)
"$SBXFWCTL" policy set fw_d "$inputs/domain.json" >/dev/null || exit 1
for i in $(seq 50); do
	res=$(resolve allowed.bench A)
	[ "${res%% *}" = ok ] && break
	sleep 0.1
done
res6=$(resolve allowed.bench AAAA)
if [ "${res%% *}" != ok ] || [ "${res6%% *}" != ok ]; then
	echo "FAIL: config d: allowed.bench: A $res, AAAA $res6; $(cat /tmp/dnsmasq.out)"
	exit 1
fi
log "config d learned: $("$SBXFWCTL" learned show fw_d | tr '\n' ';')"

# Datagrams the peer's UDP layer got: counted when they are read
# (InDatagrams), have no socket (NoPorts) or find the socket full
# (RcvbufErrors; dpload serve's UDP socket holds only a few, never read):
# up to SLACK may sit uncounted in that socket.
SLACK=8
peer_udp() { # X: InDatagrams + NoPorts + RcvbufErrors, IPv4 and IPv6
	nsx "peer_$1" awk '
		FILENAME ~ /snmp6$/ && $1 ~ /^Udp6(InDatagrams|NoPorts|RcvbufErrors)$/ { n += $2 }
		FILENAME !~ /snmp6$/ && $1 == "Udp:" {
			if ($2 ~ /^[0-9]+$/) { for (i = 2; i <= NF; i++) if (h[i] ~ /^(InDatagrams|NoPorts|RcvbufErrors)$/) n += $i }
			else for (i = 2; i <= NF; i++) h[i] = $i
		}
		END { print n + 0 }' /proc/net/snmp /proc/net/snmp6
}

# Kernel memory: unreclaimable slab + vmalloc, kB (reclaimable slab is
# mostly dentries and inodes, which file activity moves).
kmem() {
	awk '/^(SUnreclaim|VmallocUsed):/ { n += $2 } END { print n }' /proc/meminfo
}
settle() { sleep 1; }

allowed() { # FAMILY
	[ "$1" = v4 ] && echo 198.51.100.10 || echo 2001:db8:1::10
}
denied() { # FAMILY
	[ "$1" = v4 ] && echo 198.51.101.10 || echo 2001:db8:2::10
}
sender() { # PATH X: the namespace the traffic starts in
	[ "$1" = local ] && echo "fw_$2" || echo "cli_$2"
}

# check PATH FAMILY N X: allowed traffic arrives, denied traffic does not
# (but does without a filter).
check() {
	local path=$1 fam=$2 n=$3 x=$4 ns before after res ns_t failed_sends idle
	local what="check $path $fam N=$n config $x"
	ns=$(sender "$path" "$x")
	before=$(peer_udp "$x")
	read -r ns_t failed_sends idle < <(nsx "$ns" "$dpload" udp "$(allowed "$fam")" 9 100)
	after=$(peer_udp "$x")
	[ "$failed_sends" = 0 ] && [ $((after - before + SLACK)) -ge 100 ] ||
		fail "$what: allowed UDP: $failed_sends sends failed, $((after - before)) of 100 arrived"
	res=$(nsx "$ns" "$dpload" probe tcp "$(allowed "$fam")" 9)
	[ "$res" = ok ] || fail "$what: allowed TCP connect: $res"
	before=$(peer_udp "$x")
	res=$(nsx "$ns" "$dpload" probe udp "$(denied "$fam")" 9)
	after=$(peer_udp "$x")
	if [ "$x" = c ]; then
		[ "$res" = ok ] && [ $((after - before)) -ge 1 ] ||
			fail "$what: UDP to the denied address without a filter: $res, $((after - before)) arrived"
	else
		[ $((after - before)) = 0 ] ||
			fail "$what: denied UDP arrived ($res)"
	fi
	res=$(nsx "$ns" "$dpload" probe tcp "$(denied "$fam")" 9)
	if [ "$x" = c ]; then
		[ "$res" = ok ] || fail "$what: TCP to the denied address without a filter: $res"
	else
		[ "$res" != ok ] || fail "$what: denied TCP connected"
	fi
	log "$what: done (denied TCP: $res)"
}

# measure PATH FAMILY N KIND ROUND X
measure() {
	local path=$1 fam=$2 n=$3 kind=$4 round=$5 x=$6 count ns_t bad idle ns before after
	[ "$kind" = udp ] && count=$BENCH_UDP || count=$BENCH_TCP
	ns=$(sender "$path" "$x")
	[ "$kind" = udp ] && before=$(peer_udp "$x")
	read -r ns_t bad idle < <(nsx "$ns" "$dpload" "$kind" "$(allowed "$fam")" 9 "$count")
	if [ -z "${ns_t:-}" ] || [ "$bad" != 0 ]; then
		fail "$path $fam N=$n $kind config $x round $round: ${bad:-?} of $count failed"
	elif [ "$kind" = udp ]; then
		after=$(peer_udp "$x")
		[ $((after - before + SLACK)) -ge "$count" ] ||
			fail "$path $fam N=$n udp config $x round $round: $((after - before)) of $count arrived"
	fi
	echo "$path,$fam,$n,$kind,$round,$x,$count,${ns_t:-},${idle:-}" >>"$raw"
}

# load X FAMILY N WHAT: the time to load and publish (sbxfw) or commit
# (nft) the policy, and (WHAT=load, from nothing) the kernel memory it took.
# Its busy time is the elapsed guest time minus the CPU's idle time: the
# command waits for the 9p root to open its binary and libraries, and with
# sleep=off each wait jumps guest time to the next timer (some 100 ms for
# sbxfwctl, 500 ms for ip netns exec nft, whatever they do).
load() {
	local x=$1 fam=$2 n=$3 what=$4 m0 m1 t st idle
	m0=$(kmem)
	if [ "$x" = a ]; then
		read -r t st idle < <("$dpload" time "$SBXFWCTL" policy set "fw_a" "$inputs/$fam-$n.json")
	else
		read -r t st idle < <("$dpload" time ip netns exec fw_b nft -f "$inputs/$fam-$n.nft")
	fi
	settle
	m1=$(kmem)
	[ "$st" = 0 ] || { fail "$what of $fam N=$n into config $x: exit status $st"; return 1; }
	[ "$what" = load ] || m1=$m0
	echo "$x,$fam,$n,$what,$t,$idle,$((m1 - m0))" >>"$loads"
	log "$what $fam N=$n config $x: $(((t - idle) / 1000000)) ms busy of $((t / 1000000)) ms (guest), kernel memory +$((m1 - m0)) kB"
}

unload() {
	"$SBXFWCTL" policy delete fw_a >/dev/null 2>&1
	nsx fw_b nft delete table inet sbxbench 2>/dev/null
	settle
}

echo "path,family,n,kind,round,config,count,guest_ns,idle_ns" >"$raw"
echo "config,family,n,what,guest_ns,idle_ns,kmem_kb" >"$loads"
dns_done=
for spec in $BENCH_SPECS; do
	fam=${spec%%:*}
	n=${spec#*:}
	configs=$CONFIGS
	case " $dns_done " in
	*" $fam "*) ;;
	*) configs+=" $DNS_CONFIG" dns_done+=" $fam" ;;
	esac
	unload
	load a "$fam" "$n" load && load b "$fam" "$n" load || continue
	if [ "$n" -le "$BENCH_SWAP_MAX" ]; then
		load a "$fam" "$n" swap && load b "$fam" "$n" swap || continue
	fi
	for path in local forward; do
		for x in $configs; do
			check "$path" "$fam" "$n" "$x"
		done
		for kind in udp tcp; do
			# One unrecorded pass first (neighbours, caches).
			for x in $configs; do
				nsx "$(sender "$path" "$x")" "$dpload" "$kind" "$(allowed "$fam")" 9 10 >/dev/null
			done
			for round in $(seq 1 "$BENCH_ROUNDS"); do
				for x in $configs; do
					measure "$path" "$fam" "$n" "$kind" "$round" "$x"
				done
			done
		done
		log "$path $fam N=$n measured"
	done
done
unload
learned=$("$SBXFWCTL" learned show fw_d)
[ "$(grep -c allowed.bench <<<"$learned")" -ge 2 ] ||
	fail "config d: its learned entries went during the run: $learned"
kill "${server_pids[@]}" 2>/dev/null
[ "$failed" = 0 ] && log "every configuration worked" || log "some configuration did not work (FAIL lines above)"
exit "$failed"
