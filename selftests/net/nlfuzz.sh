#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The netlink API under a fuzzer: from a fixed seed, nlfuzz.py sends
# $NLFUZZ_ITERS rounds of randomly mutated sbxfw requests (every command,
# uploads in parts, dumps, several sockets, sockets closed mid-upload) that
# name two scratch namespaces, while TCP and UDP traffic flows through a
# sandbox whose policy the fuzzer only reads (get and learned get dumps,
# mutated too; it never sends a command that changes anything naming the
# sandbox or its peer). Afterwards the sandbox's
# policy reads back identical, generation included, and is still enforced
# on the flows that ran and on new ones; list works; the scratch
# namespaces take a new policy (no upload was left behind by the closed
# sockets); and the kernel logged no splat.
source "$(dirname "$0")/lib.sh"

PROBE=$SBXFW_SRC/selftests/net/probe.py
NLFUZZ=$SBXFW_SRC/selftests/net/nlfuzz.py
NLFUZZ_SEED=${NLFUZZ_SEED:-1}
NLFUZZ_ITERS=${NLFUZZ_ITERS:-600}
work=$(mktemp -d)
mark="nlfuzz.sh: start $$"
echo "$mark" >/dev/kmsg

# The sandbox and a peer with servers on an address the policy allows
# (.2) and one it denies (.3).
sbx='' peer='' scratch='' scratch2='' # set by ns_create
if ns_create sbx peer scratch scratch2 &&
	veth "$sbx" eth0 "$peer" eth0 &&
	addr "$sbx" eth0 10.77.0.1/24 fd77::1/64 &&
	addr "$peer" eth0 10.77.0.2/24 10.77.0.3/24 fd77::2/64 fd77::3/64; then
	coproc ip netns exec "$peer" python3 "$SBXFW_SRC/selftests/net/servers.py" "$work/counts" \
		tcp:10.77.0.2:80 tcp:10.77.0.3:80 tcp:fd77::2:80 udp:10.77.0.2:5000 udp:10.77.0.3:5000
	servers_pid=$COPROC_PID
	ksft_pids+=("$servers_pid")
	read -r -t 30 ready <&"${COPROC[0]}"
fi
if [ "${ready:-}" = ready ]; then
	t_ok "the sandbox and its peer come up"
else
	t_fail "the sandbox and its peer come up"
	t_done
fi
for ns in "$scratch" "$scratch2"; do
	ip netns exec "$ns" sleep 3600 &
	ksft_pids+=("$!")
done

cat >"$work/policy.json" <<'JSON'
{"mode": "custom", "default": "deny", "dns": {"min_ttl": 30},
 "rules": [
  {"action": "allow", "protocols": ["tcp"], "ports": ["80", "8000-8010"],
   "destinations": ["10.77.0.2/32", "fd77::2/128", "api.example.com"]},
  {"action": "allow", "protocols": ["udp"], "ports": ["5000"], "destinations": ["10.77.0.2"]},
  {"action": "deny", "destinations": ["metadata", "*.example.org"]}]}
JSON
t_run "the sandbox's policy loads" "$SBXFWCTL" policy set "$sbx" "$work/policy.json"
"$SBXFWCTL" policy get "$sbx" >"$work/before.get" 2>&1
netns_id=$(stat -L -c %i "/run/netns/$sbx")
list_entry() { # the sandbox's line of policy list, but for its counters
	"$SBXFWCTL" policy list | awk -v id="$netns_id" '$1 == id { print $1, $2, $3, $4, $5, $6, $7, $8 }'
}
list_entry >"$work/before.list"

# Traffic through the sandbox while the fuzzer runs: a TCP flow it allows
# and UDP streams to an allowed and a denied address, in rounds of 50
# datagrams until told to stop; each round's failed sends are recorded.
flow=$work/flow
ip netns exec "$sbx" python3 "$PROBE" flow 10.77.0.2 80 "$flow" >/dev/null &
ksft_pids+=("$!")
busywait 20000 grep -qsx up "$flow"
streams() { # ADDR TAG: rounds until $work/stop appears
	while [ ! -e "$work/stop" ]; do
		ip netns exec "$sbx" python3 "$PROBE" stream "$1" 5000 50 "$2" >>"$work/$2.failed"
	done
}
streams 10.77.0.2 allowed &
allowed_pid=$!
streams 10.77.0.3 denied &
denied_pid=$!
ksft_pids+=("$allowed_pid" "$denied_pid")

start=$SECONDS
if python3 "$NLFUZZ" --seed "$NLFUZZ_SEED" --iters "$NLFUZZ_ITERS" \
	--safe "$scratch" "$scratch2" --readable "$sbx" \
	>"$work/fuzz.json" 2>"$work/fuzz.err"; then
	t_ok "$NLFUZZ_ITERS fuzz iterations from seed $NLFUZZ_SEED ran"
	sed 's/^/# /' "$work/fuzz.json"
	echo "# the fuzzer ran for $((SECONDS - start)) s"
else
	t_fail "$NLFUZZ_ITERS fuzz iterations from seed $NLFUZZ_SEED ran" "$(cat "$work/fuzz.err")"
fi

touch "$work/stop"
wait "$allowed_pid" "$denied_pid"

same_policy() {
	"$SBXFWCTL" policy get "$sbx" >"$work/after.get" 2>&1 &&
		cmp -s "$work/before.get" "$work/after.get" && return 0
	diff "$work/before.get" "$work/after.get"
	return 1
}
t_run "the sandbox's policy reads back identical, generation included" same_policy
list_entry >"$work/after.list"
t_run "policy list works and shows the sandbox unchanged" \
	bash -c "test -s '$work/before.list' && diff '$work/before.list' '$work/after.list'"
t_run "the allowed TCP flow stayed up through the fuzz" grep -qx up "$flow"
touch "$flow.stop"

rounds() { cat "$work/$1.failed" 2>/dev/null | wc -l; }
failed() { cat "$work/$1.failed" 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'; }
if [ "$(rounds allowed)" -gt 0 ] && [ "$(failed allowed)" = 0 ]; then
	t_ok "no allowed datagram was refused during the fuzz ($(rounds allowed) rounds of 50)"
else
	t_fail "no allowed datagram was refused during the fuzz" \
		"$(failed allowed) of $(($(rounds allowed) * 50)) sends failed"
fi
if [ "$(rounds denied)" -gt 0 ] && [ "$(failed denied)" = $(($(rounds denied) * 50)) ]; then
	t_ok "every denied datagram was refused during the fuzz ($(rounds denied) rounds of 50)"
else
	t_fail "every denied datagram was refused during the fuzz" \
		"$(failed denied) of $(($(rounds denied) * 50)) sends failed"
fi

expect() { # NS KIND ADDR PORT WANT
	local got
	got=$(ip netns exec "$1" python3 "$PROBE" "$2" "$3" "$4")
	[ "$got" = "$5" ] && return 0
	echo "$2 to $3 port $4: got '$got', wanted '$5'"
	return 1
}
t_run "after the fuzz an allowed TCP connect works" expect "$sbx" tcp 10.77.0.2 80 ok
t_run "after the fuzz an allowed IPv6 TCP connect works" expect "$sbx" tcp fd77::2 80 ok
t_run "after the fuzz a denied TCP connect is refused" expect "$sbx" tcp 10.77.0.3 80 ECONNREFUSED

# The scratch namespaces still work: whatever the fuzzer left there
# reads back or is absent, and a new policy (several parts, for the
# uploads the fuzzer abandoned) loads, reads back and goes.
# 12,000 CIDRs: two parts.
seq 0 2 23998 | awk 'BEGIN { printf "{\"mode\": \"custom\", \"default\": \"allow\", \"rules\": [{\"action\": \"deny\", \"destinations\": [" }
	{ printf "%s\"10.%d.%d.0/24\"", (NR > 1 ? ", " : ""), int($1 / 256), $1 % 256 }
	END { print "]}]}" }' >"$work/big.json"
scratch_ok() { # NS
	local out
	out=$("$SBXFWCTL" policy get "$1" 2>&1) ||
		grep -q "has no policy" <<<"$out" || { echo "get: $out"; return 1; }
	"$SBXFWCTL" policy set "$1" "$work/big.json" >/dev/null || return 1
	out=$("$SBXFWCTL" policy get "$1" | grep -o '"10\.[0-9]*\.[0-9]*\.0/24"' | wc -l)
	[ "$out" = 12000 ] || { echo "get returned $out CIDRs of 12000"; return 1; }
	"$SBXFWCTL" policy delete "$1"
}
t_run "the first scratch namespace takes, returns and drops a new policy" scratch_ok "$scratch"
t_run "the second scratch namespace takes, returns and drops a new policy" scratch_ok "$scratch2"

dmesg | sed -n "/$mark/,\$p" >"$work/dmesg"
t_run "no kernel splat during the fuzz" sh "$SBXFW_SRC/selftests/vm/scan-log.sh" "$work/dmesg"

echo "# nlfuzz.sh ran for $SECONDS s"
# The servers write their counts into $work when they stop.
kill "$servers_pid" 2>/dev/null && wait "$servers_pid" 2>/dev/null
rm -rf "$work"
t_done
