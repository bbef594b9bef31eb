#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Ingress rules: servers inside the sandbox, clients on the "internet".
# A published port is reachable from the peers its rule names and answers
# them whatever the egress rules say; everything else coming in is judged
# by the default action and fails fast; the sandbox's own flows get their
# answers; nothing the sandbox forges opens a way out; a swap cuts an
# inbound flow its rule no longer allows.
source "$(dirname "$0")/lib.sh"

PROBE=$SBXFW_SRC/selftests/net/probe.py
POLICY=$(mktemp)

topo_up

# Servers inside the sandbox, on its uplink addresses (see topo_create).
SBX4=10.10.0.2
SBX6=fd10::2
SANDBOX_COUNTS=$(mktemp)
ready=$(mktemp)
specs=()
for a in $SBX4 $SBX6; do
	specs+=("tcp:$a:80" "tcp:$a:8080" "udp:$a:5000" "udp:$a:5353")
done
# ip netns exec execs the server, so $! is its pid (for SIGUSR1).
ip netns exec "$sbx" python3 "$SBXFW_SRC/selftests/net/servers.py" \
	"$SANDBOX_COUNTS" "${specs[@]}" >"$ready" &
SANDBOX_SERVERS_PID=$!
ksft_pids+=("$SANDBOX_SERVERS_PID")
if busywait 30000 grep -qx ready "$ready"; then
	t_ok "servers listen inside the sandbox"
else
	t_fail "servers listen inside the sandbox"
	t_done
fi

set_policy() { # JSON
	printf '%s\n' "$1" >"$POLICY"
	"$SBXFWCTL" policy set "$sbx" "$POLICY"
}

with_policy() { # NAME JSON
	t_run "$1: loads" set_policy "$2"
}

# expect NS SRC SPORT KIND ADDR PORT WANT: probe.py's answer from NS,
# its socket bound to SRC (and SPORT, 0 for any).
expect() {
	local got
	got=$(PROBE_SRC=$2 PROBE_SPORT=$3 ip netns exec "$1" \
		python3 "$PROBE" "$4" "$5" "$6")
	[ "$got" = "$7" ] && return 0
	echo "$4 from $2 port $3 to $5 port $6: got '$got', wanted '$7'"
	return 1
}

# inbound KIND FROM PORT WANT: from the internet host FROM to the sandbox.
inbound() {
	local to=$SBX4
	[[ $2 == *:* ]] && to=$SBX6
	expect "$inet" "$2" 0 "$1" "$to" "$3" "$4"
}

# outbound SPORT KIND ADDR PORT WANT: from the sandbox, from port SPORT.
outbound() {
	expect "$sbx" "" "$@"
}

# Datagrams the sandbox's UDP server got on ADDR:PORT so far; fails when
# the server cannot tell.
sandbox_count() {
	rm -f "$SANDBOX_COUNTS"
	kill -USR1 "$SANDBOX_SERVERS_PID" &&
		busywait 10000 test -s "$SANDBOX_COUNTS" &&
		python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["datagrams"].get(sys.argv[2], 0))' \
			"$SANDBOX_COUNTS" "$1"
}

# same_count ADDR:PORT N: the server still counts N there.
same_count() {
	local now
	now=$(sandbox_count "$1") || return 1
	[ "$now" = "$2" ] || { echo "$1 got $now datagrams, had $2"; return 1; }
}

t_run "no policy: the internet reaches a server in the sandbox" \
	inbound tcp 198.51.100.10 8080 ok

with_policy "egress rules only" '{"mode": "custom", "default": "allow", "rules": [
	{"action": "deny", "destinations": ["metadata"]}]}'
t_run "egress rules only: what comes in is not judged" \
	inbound tcp 203.0.113.10 8080 ok
t_run "egress rules only: nor over IPv6" inbound udp 2001:db8:2::10 5000 ok

# Published ports: 8080/tcp and 5353/udp from 198.51.100.0/24 and
# 2001:db8:1::/64, ICMP echo from 198.51.100.10; the sandbox itself may
# only reach 198.51.100.10 on TCP 80 and UDP 53 and 9 (nothing listens on 9).
published='{"mode": "custom", "default": "deny", "rules": [
	{"action": "allow", "protocols": ["tcp"], "ports": ["80"],
	 "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]},
	{"action": "allow", "protocols": ["udp"], "ports": ["53", "9"],
	 "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]},
	{"action": "allow", "direction": "ingress", "protocols": ["tcp"],
	 "ports": ["8080"], "destinations": ["198.51.100.0/24", "2001:db8:1::/64"]},
	{"action": "allow", "direction": "ingress", "protocols": ["udp"],
	 "ports": ["5353"], "destinations": ["198.51.100.0/24", "2001:db8:1::/64"]},
	{"action": "allow", "direction": "ingress", "protocols": ["icmp", "icmpv6"],
	 "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]}]}'
with_policy "published ports" "$published"
t_run "published TCP port: a named peer connects and is answered" \
	inbound tcp 198.51.100.11 8080 ok
t_run "published TCP port over IPv6" inbound tcp 2001:db8:1::10 8080 ok
t_run "published TCP port: another peer is refused at once" \
	inbound tcp 203.0.113.10 8080 ECONNREFUSED
t_run "published TCP port: another IPv6 peer is refused at once" \
	inbound tcp 2001:db8:2::10 8080 ECONNREFUSED
t_run "unpublished TCP port: refused at once" inbound tcp 198.51.100.10 80 ECONNREFUSED
t_run "published UDP port: a named peer is answered" inbound udp 198.51.100.10 5353 ok
t_run "published UDP port over IPv6" inbound udp 2001:db8:1::10 5353 ok
t_run "... the sandbox's server counted the allowed datagram" \
	test "$(sandbox_count "$SBX4:5353")" -ge 1
t_run "unpublished UDP port: ICMP admin-prohibited" \
	inbound udp 198.51.100.10 5000 EHOSTUNREACH
t_run "unpublished UDP port over IPv6: ICMPv6 admin-prohibited" \
	inbound udp 2001:db8:1::10 5000 EACCES
t_run "ICMP echo from the named peer is answered" inbound icmp 198.51.100.10 0 ok
t_run "ICMPv6 echo from the named peer is answered" inbound icmp 2001:db8:1::10 0 ok

t_run "the sandbox's TCP flow gets its answers" outbound 0 tcp 198.51.100.10 80 ok
t_run "the sandbox's IPv6 TCP flow gets its answers" outbound 0 tcp 2001:db8:1::10 80 ok
t_run "the sandbox's UDP flow gets its answer" outbound 0 udp 198.51.100.10 53 ok
t_run "the sandbox's IPv6 UDP flow gets its answer" outbound 0 udp 2001:db8:1::10 53 ok
t_run "an ICMP error about the sandbox's allowed flow comes in" \
	outbound 0 udp 198.51.100.10 9 ECONNREFUSED
t_run "an ICMPv6 error about the sandbox's allowed flow comes in" \
	outbound 0 udp 2001:db8:1::10 9 ECONNREFUSED
t_run "egress rules still apply: UDP elsewhere is EPERM" \
	outbound 0 udp 198.51.100.11 53 EPERM

# Datagram answers are told from new datagrams by the sandbox's record
# only: a datagram from where the sandbox may send (198.51.100.10:9) to
# a port the sandbox did not send from is new, and denied.
before=$(sandbox_count "$SBX4:5000")
t_run "an unsolicited datagram from an allowed destination is refused" \
	expect "$inet" 198.51.100.10 9 udp "$SBX4" 5000 EHOSTUNREACH
t_run "... and never reaches the sandbox's server" \
	same_count "$SBX4:5000" "$before"

# An inbound flow lends the sandbox its own 5-tuple only: from the
# published port to another peer, or to another port of that peer, the
# egress rules decide.
t_run "from a published port to another peer: EPERM" \
	outbound 5353 udp 198.51.100.11 5000 EPERM
t_run "from a published port to another port of a peer that came in: EPERM" \
	outbound 5353 udp 198.51.100.10 5000 EPERM

# The sandbox cannot open an inbound flow itself: a datagram it sends to
# its own published port with a forged source never left the namespace,
# so it is no peer's, and answers to that source stay denied.
t_run "the sandbox forges an inbound datagram to its published port" \
	test "$(ip netns exec "$sbx" python3 "$PROBE" rawudp 198.51.100.11 "$SBX4" 5353 1)" = 0
t_run "... and still cannot answer the forged source" \
	outbound 5353 udp 198.51.100.11 40000 EPERM

# A swap cuts an inbound flow its new rules no longer allow.
flow_status=$(mktemp -u)
ip netns exec "$inet" env PROBE_SRC=198.51.100.10 \
	python3 "$PROBE" flow "$SBX4" 8080 "$flow_status" >/dev/null &
ksft_pids+=($!)
if busywait 10000 grep -qsx up "$flow_status"; then
	t_ok "an inbound TCP flow is up on the published port"
	# ICMP errors about it go back to its peer only: one addressed
	# elsewhere, quoting the flow, would carry data anywhere.
	cport=$(ip netns exec "$sbx" ss -Htn state established '( sport = :8080 )' |
		awk '{ split($NF, a, ":"); print a[2]; exit }')
	icmperr_to() { # DST WANT: an error quoting the flow's inbound segment
		local got
		got=$(ip netns exec "$sbx" python3 "$PROBE" icmperr "$1" \
			198.51.100.10 "$cport" "$SBX4" 8080)
		[ "$got" = "$2" ] || { echo "to $1: got '$got', wanted '$2'"; return 1; }
	}
	t_run "an ICMP error about the inbound flow goes back to its peer" \
		icmperr_to 198.51.100.10 ok
	t_run "an ICMP error quoting it, addressed elsewhere, is EPERM" \
		icmperr_to 198.51.100.11 EPERM
	set_policy '{"mode": "custom", "default": "allow", "rules": [
		{"action": "allow", "direction": "ingress", "protocols": ["tcp"],
		 "ports": ["8080"], "destinations": ["198.51.100.0/24"]},
		{"action": "deny", "destinations": ["metadata"]}]}'
	sleep 1
	t_run "a loosening swap leaves it up" grep -qx up "$flow_status"
	set_policy '{"mode": "custom", "default": "deny", "rules": [
		{"action": "allow", "direction": "ingress", "protocols": ["tcp"],
		 "ports": ["8080"], "destinations": ["203.0.113.0/24"]}]}'
	t_run "a swap that drops its peer resets it" \
		busywait 10000 grep -qsx ECONNRESET "$flow_status"
else
	t_fail "an inbound TCP flow is up on the published port" \
		"$(cat "$flow_status" 2>/dev/null)"
fi
touch "$flow_status.stop"

with_policy "ingress deny under default allow" '{"mode": "custom", "default": "allow", "rules": [
	{"action": "deny", "direction": "ingress", "destinations": ["203.0.113.0/24"]}]}'
t_run "ingress deny rule: its peers are refused" inbound tcp 203.0.113.10 8080 ECONNREFUSED
t_run "ingress deny rule: others come in" inbound tcp 198.51.100.10 8080 ok
t_run "ingress deny rule: the sandbox may still reach its peers" \
	outbound 0 tcp 203.0.113.10 80 ok

# The flow table is bounded: 70,000 datagram flows from the sandbox fill
# it (65,536) and the rest are counted as refused; idle ones go after 30
# seconds.
list_field() { # FIELD: of the sandbox's line in sbxfwctl -j policy list
	local inum
	inum=$(ip netns exec "$sbx" stat -L -c %i /proc/self/ns/net) &&
		"$SBXFWCTL" -j policy list | python3 -c '
import json, sys
print(next(e[sys.argv[2]] for e in json.load(sys.stdin) if e["netns"] == int(sys.argv[1])))' \
			"$inum" "$1"
}
with_policy "many flows" '{"mode": "custom", "default": "deny", "rules": [
	{"action": "allow", "protocols": ["udp"], "destinations": ["203.0.113.10/32", "198.51.100.11/32"]},
	{"action": "deny", "direction": "ingress"}]}'
# The table fills only if the datagrams leave faster than their flows
# expire, 30 s after their one packet. A debug kernel (KASAN, lockdep)
# takes minutes to send them, so the first flows are gone before the last
# leave: then the bound cannot be seen this way, and its cases say so.
fill_start=$(cut -d' ' -f1 /proc/uptime)
t_run "70000 datagrams to distinct ports leave" ip netns exec "$sbx" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(70000):
    s.sendto(b"x", ("203.0.113.10" if i < 65535 else "198.51.100.11", i % 65535 + 1))'
fill_took=$(awk -v start="$fill_start" '{ printf "%d", $1 - start }' /proc/uptime)
echo "# they left in $fill_took s"
if [ "$fill_took" -lt 25 ]; then
	t_run "the flow table holds its bound" test "$(list_field flows)" = 65536
	t_run "the flows it could not hold are counted" \
		test "$(list_field flows_refused)" -ge $((70000 - 65536))
else
	why="sending took $fill_took s: flows expired before the table filled"
	t_skip "the flow table holds its bound" "$why"
	t_skip "the flows it could not hold are counted" "$why"
fi
# flows_below N: polls (every 2 s, up to 2 minutes) until the table holds
# fewer than N flows. Earlier tests' TCP flows may linger (2 minutes after
# a FIN), so "empty" would wait on them.
flows_below() {
	local i now
	for i in $(seq 60); do
		now=$(list_field flows) || return 1
		[ "$now" -lt "$1" ] && return 0
		sleep 2
	done
	echo "still $now flows"
	return 1
}
t_run "idle datagram flows expire and are swept" flows_below 100

# A microVM behind tap0 (the vm namespace): naming tap0 an inside device
# makes what the namespace forwards to it inbound, judged by ingress rules
# with the same flows; the VM's own traffic still leaves through egress
# rules, and its answers no longer need its subnet allowed.
VM4=10.30.0.2
VM6=fd30::2
vm_ready=$(mktemp)
ip netns exec "$vm" python3 "$SBXFW_SRC/selftests/net/servers.py" "$(mktemp)" \
	"tcp:$VM4:8080" "tcp:$VM6:8080" "udp:$VM4:5353" "udp:$VM4:5000" \
	>"$vm_ready" &
ksft_pids+=($!)
t_run "servers listen in the microVM" busywait 30000 grep -qx ready "$vm_ready"

to_vm() { # KIND FROM PORT WANT
	local to=$VM4
	[[ $2 == *:* ]] && to=$VM6
	expect "$inet" "$2" 0 "$1" "$to" "$3" "$4"
}

from_vm() { # SPORT KIND ADDR PORT WANT
	expect "$vm" "" "$@"
}

with_policy "inside device" '{"mode": "custom", "default": "deny",
	"inside_devices": ["tap0"], "rules": [
	{"action": "allow", "protocols": ["tcp"], "ports": ["80"],
	 "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]},
	{"action": "allow", "protocols": ["udp"], "ports": ["53"],
	 "destinations": ["198.51.100.10/32"]},
	{"action": "allow", "direction": "ingress", "protocols": ["tcp"],
	 "ports": ["8080"], "destinations": ["198.51.100.0/24", "2001:db8:1::/64"]},
	{"action": "allow", "direction": "ingress", "protocols": ["udp"],
	 "ports": ["5353"], "destinations": ["198.51.100.0/24"]}]}'
inside_read_back() {
	"$SBXFWCTL" -j policy get "$sbx" | python3 -c '
import json, sys
assert json.load(sys.stdin)["inside_devices"] == ["tap0"]'
}
t_run "inside device: get returns the inside devices" inside_read_back
t_run "inside device: a named peer reaches the microVM's published port" \
	to_vm tcp 198.51.100.11 8080 ok
t_run "inside device: and over IPv6" to_vm tcp 2001:db8:1::10 8080 ok
t_run "inside device: another peer is refused at once (RST)" \
	to_vm tcp 203.0.113.10 8080 ECONNREFUSED
t_run "inside device: a published UDP port answers" to_vm udp 198.51.100.10 5353 ok
t_run "inside device: an unpublished UDP port gets admin-prohibited" \
	to_vm udp 198.51.100.10 5000 EHOSTUNREACH
t_run "inside device: the microVM's TCP flow gets its answers" \
	from_vm 0 tcp 198.51.100.10 80 ok
t_run "inside device: and over IPv6" from_vm 0 tcp 2001:db8:1::10 80 ok
t_run "inside device: the microVM's UDP flow gets its answer" \
	from_vm 0 udp 198.51.100.10 53 ok
t_run "inside device: egress rules still apply to the microVM" \
	from_vm 0 tcp 198.51.100.11 80 ECONNREFUSED
# The VM forges an inbound datagram from an allowed peer to the namespace
# itself (it arrives through tap0, so it is no outsider's) and to a port
# the ingress rule publishes; the namespace still may not answer it.
t_run "inside device: the microVM forges a datagram from a published peer" \
	test "$(ip netns exec "$vm" python3 "$PROBE" rawudp 198.51.100.11 10.30.0.1 5353 1)" = 0
t_run "... which opens nothing for the namespace" \
	expect "$sbx" 10.30.0.1 5353 udp 198.51.100.11 40000 EPERM

# Loopback is never outside: a frame the namespace writes on lo, forged
# as from a published peer to the microVM's published port, comes back
# in through lo and is forwarded, but opens no inbound flow for the VM.
t_run "inside device: the namespace forges an inbound frame on lo" \
	test "$(ip netns exec "$sbx" python3 "$PROBE" frames lo 00:00:00:00:00:00 \
		udp,198.51.100.11,$VM4,5353 1)" = 0
t_run "... which opens nothing for the microVM (admin-prohibited)" \
	from_vm 5353 udp 198.51.100.11 40000 EHOSTUNREACH

with_policy "deny-all" '{"mode": "deny-all"}'
t_run "deny-all: nothing comes in (refused at once)" \
	inbound tcp 198.51.100.10 8080 ECONNREFUSED
t_run "deny-all: nothing comes in over IPv6" \
	inbound tcp 2001:db8:1::10 8080 ECONNREFUSED
t_run "deny-all: the sandbox still reaches its own servers" \
	outbound 0 tcp "$SBX4" 8080 ok

t_done
