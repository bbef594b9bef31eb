#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Traffic that leaves the sandbox without its IP hooks: frames written by
# AF_PACKET sockets (with and without PACKET_QDISC_BYPASS) and AF_XDP
# sockets (which skip the device's egress hook too), packets whose
# IP header a raw socket writes, non-IP frames, devices that appear after
# the policy, and a microVM whose tap is bridged to the uplink inside the
# sandbox's netns (no NF_INET_FORWARD without br_netfilter).
#
# Whether a datagram got through is counted at the server. Denied and
# allowed datagrams take the same path, denied ones first, so once every
# allowed one has arrived a denied one that got through would have too.
source "$(dirname "$0")/lib.sh"

PROBE=$SBXFW_SRC/selftests/net/probe.py
POLICY=$(mktemp)
N=20
ALLOWED4=198.51.100.10
DENIED4=198.51.100.11
ALLOWED6=2001:db8:1::10
DENIED6=2001:db8:2::10

topo_up

mac_of() { # NS IF
	ip -n "$1" -j link show "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])'
}
RTR_MAC=$(mac_of "$rtr" sbx0)

set_policy() { # NS JSON
	printf '%s\n' "$2" >"$POLICY"
	"$SBXFWCTL" policy set "$1" "$POLICY"
}

# The sandbox may reach ALLOWED4 and ALLOWED6 (and, for the bridged
# microVM, its own subnet, where replies go); nothing else.
CUSTOM='{"mode": "custom", "default": "deny", "rules": [
	{"action": "allow", "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]},
	{"action": "allow", "destinations": ["10.40.0.0/24", "fd40::/64"]}]}'

arrived() { # ADDR:PORT COUNT
	[ "$(server_count "$1")" -ge "$2" ]
}

# through DESCRIPTION DENIED ALLOWED SENDER...: SENDER ADDR sends $N
# datagrams to ADDR port 5000; those to DENIED must never arrive, those to
# ALLOWED must. With DENIED "-" only ALLOWED is tried.
through() {
	local desc=$1 denied=$2 allowed=$3 d0 a0 d1
	shift 3
	[ "$denied" = - ] || d0=$(server_count "$denied:5000")
	a0=$(server_count "$allowed:5000")
	[ "$denied" = - ] || "$@" "$denied" >/dev/null
	"$@" "$allowed" >/dev/null
	if ! busywait 10000 arrived "$allowed:5000" $((a0 + N)); then
		t_fail "$desc" "only $(($(server_count "$allowed:5000") - a0)) of $N datagrams to $allowed arrived"
		return
	fi
	[ "$denied" = - ] || d1=$(server_count "$denied:5000")
	if [ "$denied" = - ] || [ "$d1" = "$d0" ]; then
		t_ok "$desc"
	else
		t_fail "$desc" "$((d1 - d0)) of $N datagrams to $denied arrived"
	fi
}

src_for() { # ADDR: the sandbox's uplink address of ADDR's family
	if [[ $1 == *:* ]]; then echo fd10::2; else echo 10.10.0.2; fi
}

frames() { # [bypass] ADDR: AF_PACKET frames from the sandbox's uplink
	local bypass=
	[ "$1" = bypass ] && bypass=bypass && shift
	ip netns exec "$sbx" python3 "$PROBE" frames eth0 "$RTR_MAC" \
		"udp,$(src_for "$1"),$1,5000" "$N" $bypass
}

# xdp_frames ADDR: the same frames through an AF_XDP socket on $XDP_IF
# (eth0) to $XDP_MAC (the router's).
xdp_frames() {
	ip netns exec "$sbx" python3 "$PROBE" xdp "${XDP_IF:-eth0}" \
		"${XDP_MAC:-$RTR_MAC}" "udp,$(src_for "$1"),$1,5000" "$N"
}

rawudp() { # ADDR: a raw IP socket that writes its own header
	ip netns exec "$sbx" python3 "$PROBE" rawudp "$(src_for "$1")" "$1" 5000 "$N"
}

# sniffed NS IF ETHERTYPE SENDER_NS SENDER_IF: sends $N frames of
# ETHERTYPE through AF_PACKET, then a marker, and prints how many frames of
# ETHERTYPE arrived at NS IF before the marker.
sniffed() {
	local out=$POLICY.sniff pid mac
	ip netns exec "$1" python3 "$PROBE" sniff "$2" "$3" >"$out" &
	pid=$!
	busywait 10000 grep -q ready "$out" || { echo "sniffer did not start"; return 1; }
	mac=$(mac_of "$1" "$2")
	ip netns exec "$4" python3 "$PROBE" frames "$5" "$mac" "ethertype,$3" "$N" >/dev/null
	ip netns exec "$4" python3 "$PROBE" frames "$5" "$mac" marker 1 >/dev/null
	wait "$pid"
	sed -n 2p "$out"
}

expect_sniffed() { # DESCRIPTION WANT NS IF ETHERTYPE SENDER_NS SENDER_IF
	local got
	got=$(sniffed "${@:3}")
	if [ "$got" = "$2" ]; then
		t_ok "$1"
	else
		t_fail "$1" "$2 frames of type $5 wanted at ${3%%-*} $4, got '$got'"
	fi
}

# Without a policy everything arrives: the probes themselves work.
through "no policy: AF_PACKET frames arrive" - "$DENIED4" frames
through "no policy: PACKET_QDISC_BYPASS frames arrive" - "$DENIED6" frames bypass
through "no policy: AF_XDP frames arrive" - "$DENIED4" xdp_frames
expect_sniffed "no policy: frames of another ethertype arrive" "$N" \
	"$rtr" sbx0 0x88b5 "$sbx" eth0

t_run "custom policy loads" set_policy "$sbx" "$CUSTOM"
through "AF_PACKET frames to a denied IPv4 address never arrive" \
	"$DENIED4" "$ALLOWED4" frames
through "AF_PACKET frames to a denied IPv6 address never arrive" \
	"$DENIED6" "$ALLOWED6" frames
through "PACKET_QDISC_BYPASS frames to a denied IPv4 address never arrive" \
	"$DENIED4" "$ALLOWED4" frames bypass
through "PACKET_QDISC_BYPASS frames to a denied IPv6 address never arrive" \
	"$DENIED6" "$ALLOWED6" frames bypass
through "AF_XDP frames to a denied IPv4 address never arrive" \
	"$DENIED4" "$ALLOWED4" xdp_frames
through "AF_XDP frames to a denied IPv6 address never arrive" \
	"$DENIED6" "$ALLOWED6" xdp_frames
through "raw IP_HDRINCL packets to a denied IPv4 address never arrive" \
	"$DENIED4" "$ALLOWED4" rawudp
through "raw IPV6_HDRINCL packets to a denied IPv6 address never arrive" \
	"$DENIED6" "$ALLOWED6" rawudp
expect_sniffed "custom: frames of another ethertype are dropped" 0 \
	"$rtr" sbx0 0x88b5 "$sbx" eth0
expect_sniffed "custom: VLAN-tagged frames are dropped" 0 \
	"$rtr" sbx0 0x8100 "$sbx" eth0
# Ethertype IPv4 over 46 zero bytes: IP version 0, no header to judge.
expect_sniffed "custom: IPv4 frames that hold no IPv4 header are dropped" 0 \
	"$rtr" sbx0 0x0800 "$sbx" eth0

# A device that appears after the policy is hooked as it registers.
# Frames from eth1 carry eth0's source address: no reverse-path filter.
for ns in "$rtr" "$inet"; do
	ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
done
veth "$sbx" eth1 "$rtr" sbx1
expect_sniffed "a device added under the policy drops other ethertypes" 0 \
	"$rtr" sbx1 0x88b5 "$sbx" eth1
# AF_XDP on that device, whose other end is hooked as it comes up, and
# again after that end moved to another netns. (Not counted by sniffing
# there: packet sockets see frames before the ingress hook drops them.)
XDP_IF=eth1 XDP_MAC=$(mac_of "$rtr" sbx1) through \
	"a device added under the policy: denied AF_XDP frames stop at its other end" \
	"$DENIED4" "$ALLOWED4" xdp_frames
ip -n "$rtr" link set sbx1 netns "$inet" && ip -n "$inet" link set sbx1 up
XDP_IF=eth1 XDP_MAC=$(mac_of "$inet" sbx1) through \
	"its other end moved to another netns: denied AF_XDP frames still stop there" \
	"$DENIED4" "$ALLOWED4" xdp_frames
ip -n "$sbx" link add eth2 type dummy
ip -n "$sbx" link set eth2 netns "$vm"
ip -n "$vm" link set eth2 netns "$sbx"
t_run "a device moved out and back in can be removed" \
	ip -n "$sbx" link del eth2

# A macvlan stacked on a device outside sends there without passing any
# hook of the sandbox's (AF_XDP): it may not come up in a filtered netns,
# and a netns holding one gets no policy.
refused_up() {
	! ip -n "$sbx" link set mv0 up 2>/dev/null &&
		! ip -n "$sbx" link show mv0 | grep -q "state UP"
}
ip -n "$rtr" link add mv0 link sbx0 type macvlan mode bridge &&
	ip -n "$rtr" link set mv0 netns "$sbx"
t_run "a macvlan on a device outside cannot come up in a filtered netns" refused_up
ns_create other
ip -n "$rtr" link add mv1 link sbx0 type macvlan mode bridge &&
	ip -n "$rtr" link set mv1 netns "$other"
refused_policy() {
	local out
	out=$(set_policy "$other" '{"mode": "deny-all"}' 2>&1) && { echo "accepted"; return 1; }
	grep -q "cannot judge" <<<"$out" || { echo "$out"; return 1; }
	"$SBXFWCTL" policy get "$other" 2>&1 | grep -q "no policy"
}
t_run "a policy for a netns holding one is refused, saying why" refused_policy

t_run "allow-all policy loads" set_policy "$sbx" '{"mode": "allow-all"}'
through "allow-all: AF_PACKET frames arrive again" - "$DENIED4" frames

# The bridged microVM: bvm ── vmport ┐
#                                   br0 (in bsx, no addresses) ── up0 ── rtr
bridge_create() {
	ns_create bsx bvm || return 1
	veth "$bvm" eth0 "$bsx" vmport && veth "$bsx" up0 "$rtr" bsx0 &&
		ip -n "$bsx" link add br0 type bridge &&
		ip -n "$bsx" link set vmport master br0 &&
		ip -n "$bsx" link set up0 master br0 &&
		ip -n "$bsx" link set br0 up || return 1
	addr "$bvm" eth0 10.40.0.2/24 fd40::2/64 &&
		addr "$rtr" bsx0 10.40.0.1/24 fd40::1/64 &&
		ip -n "$bvm" route add default via 10.40.0.1 &&
		ip -n "$bvm" -6 route add default via fd40::1
}

bvm_expect() { # KIND ADDR PORT WANT
	local got
	got=$(ip netns exec "$bvm" python3 "$PROBE" "$1" "$2" "$3")
	[ "$got" = "$4" ] || { echo "$1 to $2: got '$got', wanted '$4'"; return 1; }
}

bvm_stream() { # ADDR
	ip netns exec "$bvm" python3 "$PROBE" stream "$1" 5000 "$N" bridged
}


if bridge_create; then
	t_ok "a microVM bridged inside its sandbox's netns comes up"
else
	t_fail "a microVM bridged inside its sandbox's netns comes up"
	t_done
fi
t_run "bridged, no policy: TCP reaches the internet" \
	bvm_expect tcp "$DENIED4" 80 ok
t_run "bridged: custom policy loads" set_policy "$bsx" "$CUSTOM"
t_run "bridged: TCP to an allowed address connects" \
	bvm_expect tcp "$ALLOWED4" 80 ok
t_run "bridged: TCP to an allowed IPv6 address connects" \
	bvm_expect tcp "$ALLOWED6" 80 ok
# Denied bridged traffic fails as fast as routed traffic: the bridge
# carries the RST or ICMP error back to the microVM.
t_run "bridged: TCP to a denied address gets a RST" \
	bvm_expect tcp "$DENIED4" 80 ECONNREFUSED
t_run "bridged: UDP to a denied address gets ICMP admin-prohibited" \
	bvm_expect udp "$DENIED4" 53 EHOSTUNREACH
t_run "bridged: IPv6 TCP to a denied address gets a RST" \
	bvm_expect tcp "$DENIED6" 80 ECONNREFUSED
t_run "bridged: IPv6 UDP to a denied address gets ICMPv6 admin-prohibited" \
	bvm_expect udp "$DENIED6" 53 EACCES
through "bridged: datagrams to a denied IPv4 address never arrive" \
	"$DENIED4" "$ALLOWED4" bvm_stream
through "bridged: datagrams to a denied IPv6 address never arrive" \
	"$DENIED6" "$ALLOWED6" bvm_stream
# Naming the VM's port an inside device makes frames bridged to it from
# the uplink inbound: ingress rules publish a port, and the VM's answers
# (and the answers to its own flows) pass without its subnet allowed.
bvm_ready=$(mktemp)
ip netns exec "$bvm" python3 "$SBXFW_SRC/selftests/net/servers.py" "$(mktemp)" \
	tcp:10.40.0.2:8080 >"$bvm_ready" &
ksft_pids+=($!)
to_bvm() { # FROM WANT: TCP from the internet host FROM to the VM's 8080
	local got
	got=$(PROBE_SRC=$1 ip netns exec "$inet" python3 "$PROBE" tcp 10.40.0.2 8080)
	[ "$got" = "$2" ] || { echo "from $1: got '$got', wanted '$2'"; return 1; }
}
t_run "bridged: a policy naming the VM's port inside loads" set_policy "$bsx" \
	'{"mode": "custom", "default": "deny", "inside_devices": ["vmport"], "rules": [
	{"action": "allow", "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]},
	{"action": "allow", "direction": "ingress", "protocols": ["tcp"],
	 "ports": ["8080"], "destinations": ["198.51.100.0/24"]}]}'
t_run "bridged, inside port: the VM's TCP flow gets its answers" \
	bvm_expect tcp "$ALLOWED4" 80 ok
t_run "bridged, inside port: the VM's IPv6 TCP flow gets its answers" \
	bvm_expect tcp "$ALLOWED6" 80 ok
t_run "bridged, inside port: a server in the VM listens" \
	busywait 30000 grep -qx ready "$bvm_ready"
t_run "bridged, inside port: a published port is reached from a named peer" \
	to_bvm 198.51.100.11 ok
t_run "bridged, inside port: another peer gets a RST at once" \
	to_bvm 203.0.113.10 ECONNREFUSED
t_run "bridged, inside port: egress rules still apply to the VM" \
	bvm_expect tcp "$DENIED4" 80 ECONNREFUSED
t_run "bridged: delete removes the policy" "$SBXFWCTL" policy delete "$bsx"
t_run "bridged, after delete: TCP reaches the internet again" \
	bvm_expect tcp "$DENIED4" 80 ok

rm -f "$POLICY" "$POLICY".*
t_done
