#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the sbxfw kselftest scripts: KTAP output, bounded waits and
# network namespaces that are removed however the script ends. A script
# sources this, reports each case with t_ok/t_fail/t_skip/t_run, and ends
# with t_done, whose exit status is 0 when every case passed, 1 when one
# failed, 4 (kselftest's skip) when all were skipped.

SBXFW_SRC=${SBXFW_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SBXFWCTL=${SBXFWCTL:-$SBXFW_SRC/userspace/sbxfwctl}

# The kernel's YNL tool (tools/net/ynl) with its schemas, unpacked from
# Debian's linux-source-6.12 by selftests/host/ynl.sh into the build
# directory, which the test VM sees too (its /root is a tmpfs); Debian's
# python has the modules it needs (python3-yaml, python3-jsonschema).
YNL_DIR=$SBXFW_SRC/build/ynl
YNL_PYTHON=/usr/bin/python3

ksft_pass=0
ksft_fail=0
ksft_skip=0
ksft_num=0
ksft_namespaces=()
ksft_pids=()

echo "TAP version 13"

# t_ok DESCRIPTION
t_ok() {
	ksft_num=$((ksft_num + 1))
	ksft_pass=$((ksft_pass + 1))
	echo "ok $ksft_num $1"
}

# t_fail DESCRIPTION [DIAGNOSTIC...]: the diagnostic lines are printed as
# TAP comments so the harness can show why.
t_fail() {
	local desc=$1
	shift
	ksft_num=$((ksft_num + 1))
	ksft_fail=$((ksft_fail + 1))
	echo "not ok $ksft_num $desc"
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
	return 0
}

# t_skip DESCRIPTION REASON
t_skip() {
	ksft_num=$((ksft_num + 1))
	ksft_skip=$((ksft_skip + 1))
	echo "ok $ksft_num $1 # SKIP $2"
}

# t_run DESCRIPTION COMMAND...: passes when COMMAND exits 0; its output is
# shown only when it fails.
t_run() {
	local desc=$1 output
	shift
	if output=$("$@" 2>&1); then
		t_ok "$desc"
	else
		t_fail "$desc" "command: $*" "exit status $?" "$output"
	fi
}

# t_done: the plan, then the kselftest exit status.
t_done() {
	echo "1..$ksft_num"
	echo "# $ksft_pass passed, $ksft_fail failed, $ksft_skip skipped"
	[ "$ksft_fail" -eq 0 ] || exit 1
	[ "$ksft_pass" -eq 0 ] && [ "$ksft_skip" -gt 0 ] && exit 4
	exit 0
}

# busywait TIMEOUT_MS COMMAND...: runs COMMAND until it succeeds or
# TIMEOUT_MS (times SBXFW_TIMEOUT_SCALE: a debug kernel is several times
# slower) have passed; the status is COMMAND's last.
busywait() {
	local timeout_ms=$(($1 * ${SBXFW_TIMEOUT_SCALE:-1})) start now
	shift
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -ge "$timeout_ms" ] && return 1
		sleep 0.1
	done
}

# ns_create VAR...: creates one network namespace per VAR with a random
# suffix, stores its name in VAR, and deletes it when the script exits.
ns_create() {
	local var name
	for var in "$@"; do
		name=$var-$(mktemp -u XXXXXX)
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up
		ksft_namespaces+=("$name")
		printf -v "$var" '%s' "$name"
	done
}

ns_cleanup() {
	local name pid
	for pid in "${ksft_pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for name in "${ksft_namespaces[@]}"; do
		ip netns del "$name" 2>/dev/null
	done
}
trap ns_cleanup EXIT

# The test network, made by topo_create (namespace names in $sbx, $rtr,
# $inet, $vm):
#
#   vm ──(FORWARD)── sbx ──── rtr ──── inet: servers on
#   10.30.0.2      10.30.0.1  10.10.0.1  10.20.0.2   198.51.100.10, .11  203.0.113.10
#   fd30::2        10.10.0.2  10.20.0.1  fd20::2     192.168.50.10 (private)
#                  fd10::2    fd10::1                169.254.169.254 (metadata)
#                                                    2001:db8:1::10, 2001:db8:2::10
#                                                    fd00:ec2::254 (metadata)
#
# sbx is the sandbox: its processes use LOCAL_OUT; vm stands for a microVM
# whose traffic sbx routes (FORWARD). The "internet" uses documentation
# ranges only and every address lives in these namespaces. inet runs
# servers.py: TCP 80, 81, 8005, 8011 and UDP 53, 5000 on each address.
INET4="198.51.100.10 198.51.100.11 203.0.113.10 192.168.50.10 169.254.169.254"
INET6="2001:db8:1::10 2001:db8:2::10 fd00:ec2::254"
TCP_PORTS="80 81 8005 8011"
UDP_PORTS="53 5000"

veth() { # NS1 IF1 NS2 IF2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

addr() { # NS IF ADDR/LEN...
	local ns=$1 dev=$2 a
	shift 2
	for a in "$@"; do
		ip -n "$ns" addr add "$a" dev "$dev" nodad || return 1
	done
}

topo_create() {
	local a specs=() p
	ns_create sbx rtr inet vm || return 1
	veth "$vm" eth0 "$sbx" tap0 &&
		veth "$sbx" eth0 "$rtr" sbx0 &&
		veth "$rtr" inet0 "$inet" eth0 || return 1
	addr "$vm" eth0 10.30.0.2/24 fd30::2/64 &&
		addr "$sbx" tap0 10.30.0.1/24 fd30::1/64 &&
		addr "$sbx" eth0 10.10.0.2/24 fd10::2/64 &&
		addr "$rtr" sbx0 10.10.0.1/24 fd10::1/64 &&
		addr "$rtr" inet0 10.20.0.1/24 fd20::1/64 &&
		addr "$inet" eth0 10.20.0.2/24 fd20::2/64 || return 1
	for a in $INET4; do addr "$inet" lo "$a/32" || return 1; done
	for a in $INET6; do addr "$inet" lo "$a/128" || return 1; done
	for ns in "$sbx" "$rtr"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv6.conf.all.forwarding=1 || return 1
	done
	ip -n "$vm" route add default via 10.30.0.1 &&
		ip -n "$vm" -6 route add default via fd30::1 &&
		ip -n "$sbx" route add default via 10.10.0.1 &&
		ip -n "$sbx" -6 route add default via fd10::1 &&
		ip -n "$rtr" route add default via 10.20.0.2 &&
		ip -n "$rtr" -6 route add default via fd20::2 &&
		ip -n "$rtr" route add 10.30.0.0/24 via 10.10.0.2 &&
		ip -n "$rtr" -6 route add fd30::/64 via fd10::2 &&
		ip -n "$inet" route add default via 10.20.0.1 &&
		ip -n "$inet" -6 route add default via fd20::1 || return 1

	for a in $INET4 $INET6; do
		for p in $TCP_PORTS; do specs+=("tcp:$a:$p"); done
		for p in $UDP_PORTS; do specs+=("udp:$a:$p"); done
	done
	SERVER_COUNTS=$(mktemp)
	# A simple command (not a group) so the coproc's pid is the server's.
	coproc ip netns exec "$inet" python3 "$SBXFW_SRC/selftests/net/servers.py" \
		"$SERVER_COUNTS" "${specs[@]}"
	SERVERS_PID=$COPROC_PID
	ksft_pids+=("$SERVERS_PID")
	read -r -t 30 ready <&"${COPROC[0]}"
	[ "$ready" = ready ]
}

# topo_up: topo_create as the script's first case; without the network
# there is nothing to test.
topo_up() {
	if topo_create; then
		t_ok "the test network comes up"
	else
		t_fail "the test network comes up"
		t_done
	fi
}

# server_count ADDR:PORT: datagrams the UDP server got there so far.
server_count() {
	rm -f "$SERVER_COUNTS"
	kill -USR1 "$SERVERS_PID" && busywait 10000 test -s "$SERVER_COUNTS" &&
		python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["datagrams"].get(sys.argv[2], 0))' \
			"$SERVER_COUNTS" "$1"
}

# busy_sandbox VAR: a sandbox namespace (name in VAR) with a custom policy
# and traffic that keeps flowing until killed: UDP datagrams to an allowed
# address and to a denied one (10.77.0.2 and .3, both on the peer), and
# AF_PACKET frames, over a veth to a peer namespace. The senders' pids are
# added to BUSY_PIDS. For tearing things down under load.
BUSY_PIDS=()
busy_sandbox() {
	local peer policy ns probe=$SBXFW_SRC/selftests/net/probe.py
	ns_create "$1" peer || return 1
	ns=${!1}
	veth "$ns" eth0 "$peer" eth0 &&
		addr "$ns" eth0 10.77.0.1/24 &&
		addr "$peer" eth0 10.77.0.2/24 10.77.0.3/24 || return 1
	policy=$(mktemp)
	echo '{"mode": "custom", "default": "deny", "rules": [{"action": "allow", "destinations": ["10.77.0.2/32"]}]}' >"$policy"
	"$SBXFWCTL" policy set "$ns" "$policy" >/dev/null || return 1
	rm -f "$policy"
	ip netns exec "$ns" python3 "$probe" stream 10.77.0.2 9 1000000 busy >/dev/null &
	BUSY_PIDS+=($!)
	ip netns exec "$ns" python3 "$probe" stream 10.77.0.3 9 1000000 busy >/dev/null &
	BUSY_PIDS+=($!)
	ip netns exec "$ns" bash -c "while python3 '$probe' frames eth0 ff:ff:ff:ff:ff:ff \
		udp,10.77.0.1,10.77.0.3,9 100 >/dev/null; do :; done" &
	BUSY_PIDS+=($!)
	ksft_pids+=("${BUSY_PIDS[@]}")
	# Traffic flows once the peer has seen some of it. The sandboxes made
	# before keep the guest's CPUs busy, so each new one starts slower
	# than the last: 20 s was once too short for the fifth under TCG.
	busywait 120000 ip netns exec "$peer" \
		bash -c '[ "$(cat /sys/class/net/eth0/statistics/rx_packets)" -gt 50 ]'
}
