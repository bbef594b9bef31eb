#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The policy engine with real clients and servers: modes, presets, CIDRs,
# ports and protocols, first match, IPv4 and IPv6, the sandbox's own
# processes (LOCAL_OUT) and a microVM routed through it (FORWARD), how each
# denial looks to the client, and live swaps.
source "$(dirname "$0")/lib.sh"

PROBE=$SBXFW_SRC/selftests/net/probe.py
POLICY=$(mktemp)

topo_up

# set_policy JSON: loads it onto the sandbox netns.
set_policy() {
	printf '%s\n' "$1" >"$POLICY"
	"$SBXFWCTL" policy set "$sbx" "$POLICY"
}

# expect NS KIND ADDR PORT WANT: probe.py's answer from inside NS.
expect() {
	local got
	got=$(ip netns exec "$1" python3 "$PROBE" "$2" "$3" "$4")
	[ "$got" = "$5" ] && return 0
	echo "$2 to $3 port $4 from ${1%%-*}: got '$got', wanted '$5'"
	return 1
}

# check DESCRIPTION NS KIND ADDR PORT WANT
check() {
	t_run "$1" expect "${@:2}"
}

# with_policy NAME JSON: loads it and reports that as a case.
with_policy() {
	t_run "$1: loads" set_policy "$2"
}

check "no policy: TCP reaches the internet" "$sbx" tcp 198.51.100.10 80 ok
check "no policy: UDP reaches the internet" "$sbx" udp 198.51.100.10 53 ok
check "no policy: TCP over IPv6" "$sbx" tcp 2001:db8:1::10 80 ok
check "no policy: ICMP echo is answered" "$sbx" icmp 198.51.100.10 0 ok
check "no policy: ICMPv6 echo is answered" "$sbx" icmp 2001:db8:1::10 0 ok
check "no policy: the microVM reaches the internet through the sandbox" "$vm" tcp 198.51.100.10 80 ok

with_policy "deny-all" '{"mode": "deny-all"}'
check "deny-all: TCP connect is refused at once" "$sbx" tcp 198.51.100.10 80 ECONNREFUSED
check "deny-all: UDP send fails with EPERM" "$sbx" udp 198.51.100.10 53 EPERM
check "deny-all: IPv6 TCP connect is refused" "$sbx" tcp 2001:db8:1::10 80 ECONNREFUSED
check "deny-all: IPv6 UDP send fails with EPERM" "$sbx" udp 2001:db8:1::10 53 EPERM
check "deny-all: ICMP echo fails with EPERM" "$sbx" icmp 198.51.100.10 0 EPERM
check "deny-all: ICMPv6 echo fails with EPERM" "$sbx" icmp 2001:db8:1::10 0 EPERM
check "deny-all: forwarded TCP gets a RST" "$vm" tcp 198.51.100.10 80 ECONNREFUSED
check "deny-all: forwarded UDP gets ICMP admin-prohibited" "$vm" udp 198.51.100.10 53 EHOSTUNREACH
check "deny-all: forwarded IPv6 TCP gets a RST" "$vm" tcp 2001:db8:1::10 80 ECONNREFUSED
check "deny-all: forwarded IPv6 UDP gets ICMPv6 admin-prohibited" "$vm" udp 2001:db8:1::10 53 EACCES
t_run "deny-all: the sandbox's own loopback still works" \
	ip netns exec "$sbx" python3 -c '
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
c = socket.create_connection(s.getsockname(), timeout=5)
c.send(b"x"); a, _ = s.accept(); assert a.recv(1) == b"x"'

with_policy "one CIDR and port" '{"mode": "custom", "default": "deny", "rules": [
	{"action": "allow", "protocols": ["tcp"], "ports": ["80"], "destinations": ["198.51.100.10/32", "2001:db8:1::10/128"]},
	{"action": "allow", "destinations": ["10.30.0.0/24", "fd30::/64"]}]}'
check "allowed CIDR and port: TCP works" "$sbx" tcp 198.51.100.10 80 ok
check "allowed CIDR, other port: refused" "$sbx" tcp 198.51.100.10 81 ECONNREFUSED
check "allowed CIDR, UDP: EPERM" "$sbx" udp 198.51.100.10 53 EPERM
check "neighbouring address: refused" "$sbx" tcp 198.51.100.11 80 ECONNREFUSED
check "IPv6 allowed address and port: works" "$sbx" tcp 2001:db8:1::10 80 ok
check "IPv6 other address: refused" "$sbx" tcp 2001:db8:2::10 80 ECONNREFUSED
check "forwarded to the allowed CIDR and port: works" "$vm" tcp 198.51.100.10 80 ok
check "forwarded elsewhere: RST" "$vm" tcp 203.0.113.10 80 ECONNREFUSED

with_policy "port ranges" '{"mode": "custom", "default": "deny", "rules": [
	{"action": "allow", "ports": ["8000-8010", "53"], "destinations": ["any"]}]}'
check "port range: inside works" "$sbx" tcp 203.0.113.10 8005 ok
check "port range: just past it is refused" "$sbx" tcp 203.0.113.10 8011 ECONNREFUSED
check "port list: UDP 53 works (ports cover TCP and UDP)" "$sbx" udp 203.0.113.10 53 ok
check "port list: UDP 5000 is denied" "$sbx" udp 203.0.113.10 5000 EPERM

with_policy "protocols" '{"mode": "custom", "default": "deny", "rules": [
	{"action": "allow", "protocols": ["udp"], "destinations": ["198.51.100.0/24"]}]}'
check "UDP-only rule: UDP works" "$sbx" udp 198.51.100.10 5000 ok
check "UDP-only rule: TCP is refused" "$sbx" tcp 198.51.100.10 80 ECONNREFUSED

with_policy "first match wins" '{"mode": "custom", "default": "allow", "rules": [
	{"action": "deny", "destinations": ["198.51.100.10/32"]},
	{"action": "allow", "destinations": ["198.51.100.0/24"]},
	{"action": "deny", "destinations": ["any"]}]}'
check "first match: the earlier deny wins over a later allow" "$sbx" tcp 198.51.100.10 80 ECONNREFUSED
check "first match: the allow wins over a later deny" "$sbx" tcp 198.51.100.11 80 ok
check "first match: the last rule catches the rest" "$sbx" tcp 203.0.113.10 80 ECONNREFUSED

with_policy "presets private and metadata" '{"mode": "custom", "default": "allow", "rules": [
	{"action": "deny", "destinations": ["metadata"]},
	{"action": "allow", "destinations": ["private"]},
	{"action": "deny", "destinations": ["public"]}]}'
check "preset private: 192.168.50.10 allowed" "$sbx" tcp 192.168.50.10 80 ok
check "preset metadata: 169.254.169.254 denied" "$sbx" tcp 169.254.169.254 80 ECONNREFUSED
check "preset metadata: fd00:ec2::254 denied" "$sbx" tcp fd00:ec2::254 80 ECONNREFUSED
check "preset public: 203.0.113.10 denied" "$sbx" tcp 203.0.113.10 80 ECONNREFUSED
check "preset public: 2001:db8:1::10 denied" "$sbx" tcp 2001:db8:1::10 80 ECONNREFUSED

# Denied forwarded flows learn it from RST/ICMP; the VM's replies need an
# allow for its own subnet (stateless judging, see docs/policy.md).
with_policy "allow-all with denied CIDRs (list form)" '{"mode": "allow-all", "egress": {"denied_cidrs": ["203.0.113.0/24"]}}'
check "list form: denied CIDR refused" "$sbx" tcp 203.0.113.10 80 ECONNREFUSED
check "list form: others allowed" "$sbx" tcp 198.51.100.10 80 ok

with_policy "allow_out list" '{"allow_out": ["198.51.100.11", "10.30.0.0/24", "api.example.com"]}'
check "allow_out: listed address works" "$sbx" tcp 198.51.100.11 80 ok
check "allow_out: anything else is refused" "$sbx" tcp 198.51.100.10 80 ECONNREFUSED

# Live swaps: a long flow is cut by a tightening swap and survives a
# loosening one.
flow_status=$(mktemp -u)
start_flow() { # ADDR
	rm -f "$flow_status" "$flow_status.stop"
	ip netns exec "$sbx" python3 "$PROBE" flow "$1" 80 "$flow_status" >/dev/null &
	busywait 10000 grep -qx up "$flow_status"
}
flow_is() { grep -qx "$1" "$flow_status"; }

set_policy '{"mode": "custom", "default": "deny", "rules": [{"action": "allow", "destinations": ["198.51.100.0/24"]}]}' >/dev/null
if start_flow 198.51.100.10; then
	set_policy '{"mode": "custom", "default": "deny", "rules": [{"action": "allow", "destinations": ["198.51.100.0/24", "203.0.113.0/24"]}]}' >/dev/null
	sleep 1
	if flow_is up; then
		t_ok "a loosening swap keeps an open TCP flow"
	else
		t_fail "a loosening swap keeps an open TCP flow" "flow: $(cat "$flow_status")"
	fi
	set_policy '{"mode": "custom", "default": "deny", "rules": [{"action": "allow", "destinations": ["203.0.113.0/24"]}]}' >/dev/null
	if busywait 10000 flow_is ECONNRESET; then
		t_ok "a tightening swap cuts an open TCP flow with a RST"
	else
		t_fail "a tightening swap cuts an open TCP flow with a RST" "flow: $(cat "$flow_status")"
	fi
else
	t_fail "a long TCP flow starts" "flow: $(cat "$flow_status" 2>/dev/null)"
fi
touch "$flow_status.stop"

# 1,000 swaps between two policies that both allow 198.51.100.10:5000 and
# both deny 198.51.100.11:5000, while UDP streams run to each.
A='{"mode": "custom", "default": "deny", "rules": [{"action": "allow", "destinations": ["198.51.100.10/32"]}, {"action": "allow", "destinations": ["2001:db8:1::10/128"]}]}'
B='{"mode": "custom", "default": "deny", "rules": [{"action": "deny", "destinations": ["198.51.100.11/32"]}, {"action": "allow", "protocols": ["udp"], "destinations": ["198.51.100.0/24", "2001:db8:1::/48"]}]}'
printf '%s\n' "$A" >"$POLICY.a"
printf '%s\n' "$B" >"$POLICY.b"
before_ok=$(server_count 198.51.100.10:5000)
before_no=$(server_count 198.51.100.11:5000)
swap_many() { # prints how many of 1000 swaps succeeded
	local i n=0
	for i in $(seq 500); do
		"$SBXFWCTL" policy set "$sbx" "$POLICY.a" >/dev/null && n=$((n + 1))
		"$SBXFWCTL" policy set "$sbx" "$POLICY.b" >/dev/null && n=$((n + 1))
	done
	echo "$n"
}
swap_many >"$POLICY.swaps" &
swap_pid=$!
ip netns exec "$sbx" python3 "$PROBE" stream 198.51.100.10 5000 3000 ok >"$POLICY.ok" &
ok_pid=$!
ip netns exec "$sbx" python3 "$PROBE" stream 198.51.100.11 5000 3000 no >"$POLICY.no"
wait "$ok_pid" "$swap_pid"
swaps=$(cat "$POLICY.swaps")
after_ok=$(server_count 198.51.100.10:5000)
after_no=$(server_count 198.51.100.11:5000)
if [ "$swaps" = 1000 ]; then
	t_ok "1000 swaps succeed while traffic flows"
else
	t_fail "1000 swaps succeed while traffic flows" "only $swaps"
fi
if [ $((after_ok - before_ok)) = 3000 ] && [ "$(cat "$POLICY.ok")" = 0 ]; then
	t_ok "no datagram that both policies allow is lost across 1000 swaps"
else
	t_fail "no datagram that both policies allow is lost across 1000 swaps" \
		"server got $((after_ok - before_ok)) of 3000; failed sends: $(cat "$POLICY.ok")"
fi
if [ $((after_no - before_no)) = 0 ] && [ "$(cat "$POLICY.no")" = 3000 ]; then
	t_ok "no datagram that both policies deny gets through across 1000 swaps"
else
	t_fail "no datagram that both policies deny gets through across 1000 swaps" \
		"server got $((after_no - before_no)); failed sends: $(cat "$POLICY.no") of 3000"
fi

t_run "delete removes the policy" "$SBXFWCTL" policy delete "$sbx"
check "after delete: traffic flows again" "$sbx" tcp 203.0.113.10 80 ok

rm -f "$POLICY" "$POLICY".* "$flow_status"*
t_done
