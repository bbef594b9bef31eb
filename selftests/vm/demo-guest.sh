#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo's guest side: a sandbox network namespace next to an "internet"
# namespace with a web server, and sbxfw loaded and managed from outside.
set -u
SBXFWCTL=$SBXFW_SRC/userspace/sbxfwctl

say() { printf '\n### %s\n' "$*"; }
run() {
	printf '$ %s\n' "$*"
	"$@"
	local status=$?
	[ $status -eq 0 ] || printf '(exit status %d)\n' "$status"
	return 0
}

say "Load the module into the running kernel ($(uname -r))"
deps=$(modinfo -F depends "$SBXFW_KO")
[ -z "$deps" ] || modprobe -a ${deps//,/ }
run insmod "$SBXFW_KO"
run "$SBXFWCTL" version

say "A sandbox netns wired to an 'internet' netns serving HTTP on 198.51.100.10"
ip netns add sandbox
ip netns add internet
ip link add veth0 netns sandbox type veth peer name veth0 netns internet
ip -n sandbox addr add 10.0.0.2/24 dev veth0
ip -n internet addr add 10.0.0.1/24 dev veth0
ip -n internet addr add 198.51.100.10/32 dev lo
ip -n internet addr add 198.51.100.11/32 dev lo
ip -n internet addr add 198.51.100.53/32 dev lo
for ns in sandbox internet; do
	ip -n $ns link set lo up
	ip -n $ns link set veth0 up
done
ip -n sandbox route add default via 10.0.0.1
mkdir -p /tmp/www && echo "hello from the internet" >/tmp/www/index.html
ip netns exec internet python3 -m http.server 80 --bind 0.0.0.0 -d /tmp/www \
	>/dev/null 2>&1 &
server=$!
ip netns exec sandbox bash -c 'for i in $(seq 50); do (echo >/dev/tcp/198.51.100.10/80) 2>/dev/null && break; sleep 0.1; done'
run ip netns exec sandbox curl -sS --max-time 5 http://198.51.100.10/

say "Apply a policy: only 198.51.100.10 on port 443 (not 80), everything else denied"
cat >/tmp/policy.json <<'JSON'
{"mode": "custom", "default": "deny", "rules": [
  {"action": "allow", "protocols": ["tcp"], "ports": ["443"], "destinations": ["198.51.100.10/32"]}]}
JSON
run cat /tmp/policy.json
run "$SBXFWCTL" policy set sandbox /tmp/policy.json
say "curl now fails at once with a clear error, no timeout"
run ip netns exec sandbox curl -sS --max-time 5 http://198.51.100.10/
run ip netns exec sandbox python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("198.51.100.10", 53))'

say "Root in the sandbox writes raw frames (CAP_NET_RAW): none gets through"
ip netns exec internet python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.51.100.10", 5000))
while True:
    data, peer = s.recvfrom(64)
    print("internet got", data.decode(), "from", peer[0], flush=True)
' >/tmp/received 2>&1 &
listener=$!
mac=$(ip netns exec internet cat /sys/class/net/veth0/address)
probe=$SBXFW_SRC/selftests/net/probe.py
echo "5 UDP datagrams to 198.51.100.10:5000 through AF_PACKET, then through AF_XDP"
echo "(each prints how many of its sends the kernel refused outright):"
run ip netns exec sandbox python3 "$probe" frames veth0 "$mac" udp,10.0.0.2,198.51.100.10,5000 5
run ip netns exec sandbox python3 "$probe" xdp veth0 "$mac" udp,10.0.0.2,198.51.100.10,5000 5
sleep 1
printf '$ cat /tmp/received   # what the internet got\n'
cat /tmp/received
echo "($(grep -c . /tmp/received) datagrams arrived)"
kill $listener

say "Swap it live for a sandbox0-style list policy that allows port 80"
echo '{"mode": "block-all", "egress": {"allowed_cidrs": ["198.51.100.0/24"], "allowed_ports": [80]}}' >/tmp/policy2.json
run cat /tmp/policy2.json
run "$SBXFWCTL" policy set sandbox /tmp/policy2.json
run ip netns exec sandbox curl -sS --max-time 5 http://198.51.100.10/
run "$SBXFWCTL" policy get sandbox
run "$SBXFWCTL" policy list

say "Domain rules: the sandbox reaches *.example.test by name, and nothing else"
# A resolver on the internet: www.example.test is 198.51.100.10,
# www.other.test 198.51.100.11 (the same web server).
ip netns exec internet dnsmasq --keep-in-foreground --conf-file=/dev/null \
	--no-resolv --no-hosts --bind-interfaces --listen-address=198.51.100.53 \
	--user=root --group=root --pid-file=/tmp/dnsmasq.pid \
	--host-record=www.example.test,198.51.100.10 \
	--host-record=www.other.test,198.51.100.11 >/dev/null 2>&1 &
resolver=$!
echo "nameserver 198.51.100.53" >/tmp/resolv.conf
# in_sandbox CMD...: CMD in the sandbox, with that resolver in its resolv.conf.
in_sandbox() {
	ip netns exec sandbox unshare -m sh -c \
		'mount --bind /tmp/resolv.conf /etc/resolv.conf && exec "$@"' sh "$@"
}
cat >/tmp/policy3.json <<'JSON'
{"mode": "custom", "default": "deny", "rules": [
  {"action": "allow", "ports": ["53"], "destinations": ["198.51.100.53/32"]},
  {"action": "allow", "protocols": ["tcp"], "ports": ["80"], "destinations": ["*.example.test"]}]}
JSON
run cat /tmp/policy3.json
run "$SBXFWCTL" policy set sandbox /tmp/policy3.json
for i in $(seq 50); do
	in_sandbox getent hosts www.example.test >/dev/null && break
	sleep 0.1
done
run in_sandbox curl -sS --max-time 5 http://www.example.test/
echo "A name no rule allows: the query is answered REFUSED and never leaves:"
run in_sandbox curl -sS --max-time 5 http://www.other.test/
echo "Its address, never learned from DNS, is refused too:"
run in_sandbox curl -sS --max-time 5 http://198.51.100.11/
echo "What the sandbox learned from the answers to its own queries:"
run "$SBXFWCTL" learned show sandbox
kill $resolver

say "Root inside the sandbox (its own user namespace) cannot read or change it"
run ip netns exec sandbox unshare -U -r "$SBXFWCTL" policy get sandbox
run ip netns exec sandbox unshare -U -r "$SBXFWCTL" policy delete sandbox

say "Delete the policy: back to no filtering"
run "$SBXFWCTL" policy delete sandbox
run ip netns exec sandbox curl -sS --max-time 5 http://198.51.100.10/
ip netns del sandbox
kill $server
ip netns del internet

say "Unload"
run rmmod sbxfw
echo
echo "demo: done"
