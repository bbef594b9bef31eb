#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The policy control plane: malformed requests are refused with a reason
# and change nothing, root inside a sandbox cannot touch its policy, large
# policies arrive in parts, generations guard concurrent writers, and
# get/set round-trip.
source "$(dirname "$0")/lib.sh"

GENL=$SBXFW_SRC/selftests/net/genl.py
CMD_SET=2 CMD_GET=3 CMD_DEL=4 CMD_LEARNED_GET=6 CMD_LEARNED_FLUSH=7
A_NETNS_PID=6 A_GENERATION=8 A_SET_FLAGS=9 A_POLICY=10 A_LEARNED=11
P_MODE=1 P_DEFAULT=2 P_RULE=3 P_INSIDE_DEV=11 P_DNS=14
DNS_MIN_TTL=1 DNS_MAX_TTL=2 DNS_MAX_LEARNED=3 DNS_ALLOW_REBINDING=4
R_INDEX=1 R_ACTION=2 R_PORTS=5 R_CIDRS4=7 R_DOMAIN=9
CUSTOM=2 ALLOW=0 DENY=1
work=$(mktemp -d)

ns_create sbx || { t_fail "namespaces"; t_done; }
# A process inside the sandbox names it by pid for raw requests.
ip netns exec "$sbx" sleep 3600 &
holder=$!
ksft_pids+=("$holder")

cat >"$work/base.json" <<'JSON'
{"mode": "custom", "default": "deny", "rules": [
  {"action": "allow", "protocols": ["tcp"], "ports": ["443", "8000-9000"],
   "destinations": ["private", "198.51.100.0/24", "2001:db8::/32", "api.example.com", "*.example.org"]},
  {"action": "deny", "destinations": ["metadata"]}]}
JSON
t_run "a policy loads" "$SBXFWCTL" policy set "$sbx" "$work/base.json"
"$SBXFWCTL" policy get "$sbx" >"$work/base.get" 2>&1

unchanged() { # the policy is still the base one, generation included
	"$SBXFWCTL" policy get "$sbx" >"$work/now.get" 2>&1 &&
		cmp -s "$work/base.get" "$work/now.get" && return 0
	diff "$work/base.get" "$work/now.get"
	return 1
}

# refused DESCRIPTION ERRNAME[|ERRNAME] REASON_REGEX JSON_ATTRS: a raw
# POLICY_SET is refused that way and the policy stays as it was.
refused() {
	local desc=$1 want=$2 reason=$3 attrs=$4 answer
	answer=$("$GENL" --cmd $CMD_SET --json "$attrs" 2>&1)
	if ! python3 - "$want" "$reason" "$answer" <<'PY'
import errno, json, re, sys
want, reason, answer = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
ok = (answer["errno"] in [getattr(errno, w) for w in want.split("|")]
      and re.search(reason, answer["extack"] or ""))
if not ok:
    print(f"wanted {want} /{reason}/, got {answer}")
sys.exit(0 if ok else 1)
PY
	then
		t_fail "$desc"
		return
	fi
	if unchanged >/dev/null; then
		t_ok "$desc, and the policy is unchanged"
	else
		t_fail "$desc, and the policy is unchanged" "$(unchanged)"
	fi
}

target="[$A_NETNS_PID, \"u32\", \"$holder\"]"
rule() { # ACTION [EXTRA_ATTRS]
	echo "[$P_RULE, \"nest\", [[$R_ACTION, \"u8\", \"$1\"]${2:+, $2}]]"
}
policy() { # MODE RULES...
	local mode=$1 rules
	shift
	rules=$(IFS=,; echo "$*")
	echo "[$A_POLICY, \"nest\", [[$P_MODE, \"u8\", \"$mode\"], [$P_DEFAULT, \"u8\", \"$DENY\"]${rules:+, $rules}]]"
}
cidr4() { # HEX_ADDR PREFIX_HEX
	echo "[$R_CIDRS4, \"raw\", \"$1$2000000\"]"
}

refused "set without a policy is refused" EINVAL "" "[$target]"
refused "set without a target netns is refused" EINVAL "target netns" "[$(policy $CUSTOM)]"
refused "the initial netns cannot be filtered" EINVAL "initial network namespace" \
	"[[$A_NETNS_PID, \"u32\", \"1\"], $(policy $CUSTOM)]"
refused "a policy without a mode is refused" EINVAL "no mode" \
	"[$target, [$A_POLICY, \"nest\", [[$P_DEFAULT, \"u8\", \"0\"]]]]"
refused "an unknown mode is refused" ERANGE "." "[$target, $(policy 7)]"
refused "an unknown action is refused" ERANGE "." "[$target, $(policy $CUSTOM "$(rule 9)")]"
refused "a rule without an action is refused" EINVAL "no action" \
	"[$target, $(policy $CUSTOM "[$P_RULE, \"nest\", [[$R_INDEX, \"u32\", \"0\"]]]")]"
refused "a CIDR array of the wrong length is refused" EINVAL "multiple of its element" \
	"[$target, $(policy $CUSTOM "$(rule $ALLOW "[$R_CIDRS4, \"raw\", \"0a00000008\"]")")]"
refused "a CIDR with host bits set is refused" EINVAL "." \
	"[$target, $(policy $CUSTOM "$(rule $ALLOW "$(cidr4 0a000001 08)")")]"
refused "a prefix longer than 32 is refused" EINVAL "." \
	"[$target, $(policy $CUSTOM "$(rule $ALLOW "$(cidr4 0a000000 21)")")]"
refused "a port range ending before it starts is refused" EINVAL "." \
	"[$target, $(policy $CUSTOM "$(rule $ALLOW "[$R_PORTS, \"raw\", \"50004f00\"]")")]"
refused "an invalid domain pattern is refused" EINVAL "." \
	"[$target, $(policy $CUSTOM "$(rule $ALLOW "[$R_DOMAIN, \"str\", \"*.*.com\"]")")]"
refused "rules in deny-all mode are refused" EINVAL "." "[$target, $(policy 1 "$(rule $ALLOW)")]"
refused "unknown set flags are refused" EINVAL "" "[$target, [$A_SET_FLAGS, \"u32\", \"4\"], $(policy $CUSTOM)]"
refused "a continuation without an upload is refused" ENOENT "no policy upload" \
	"[$target, [$A_SET_FLAGS, \"u32\", \"2\"], $(policy $CUSTOM)]"
refused "a stale expected generation is refused" ESTALE "generation" \
	"[$target, [$A_GENERATION, \"u64\", \"12345\"], $(policy $CUSTOM)]"
dns() { # DNS_ATTRS: a custom policy with those dns options
	echo "[$A_POLICY, \"nest\", [[$P_MODE, \"u8\", \"$CUSTOM\"], [$P_DNS, \"nest\", [$1]]]]"
}
refused "dns min_ttl 0 is refused" ERANGE "." "[$target, $(dns "[$DNS_MIN_TTL, \"u32\", \"0\"]")]"
refused "dns max_ttl beyond a week is refused" ERANGE "." \
	"[$target, $(dns "[$DNS_MAX_TTL, \"u32\", \"604801\"]")]"
refused "dns max_learned beyond 65536 is refused" ERANGE "." \
	"[$target, $(dns "[$DNS_MAX_LEARNED, \"u32\", \"65537\"]")]"
refused "dns max_ttl below min_ttl is refused" EINVAL "below min_ttl" \
	"[$target, $(dns "[$DNS_MIN_TTL, \"u32\", \"300\"], [$DNS_MAX_TTL, \"u32\", \"299\"]")]"
refused "a dns option of the wrong size is refused" ERANGE|EINVAL "." \
	"[$target, $(dns "[$DNS_MAX_LEARNED, \"u16\", \"5\"]")]"
refused "a dns flag with a payload is refused" ERANGE|EINVAL "." \
	"[$target, $(dns "[$DNS_ALLOW_REBINDING, \"u32\", \"1\"]")]"
refused "an inside device name of 16 bytes is refused" ERANGE|EINVAL "." \
	"[$target, [$A_POLICY, \"nest\", [[$P_MODE, \"u8\", \"$CUSTOM\"], [$P_INSIDE_DEV, \"str\", \"abcdefghijklmnop\"]]]]"
nine=$(for i in $(seq 9); do echo "[$P_INSIDE_DEV, \"str\", \"tap$i\"]"; done | paste -sd,)
refused "nine inside devices are refused" E2BIG "at most 8" \
	"[$target, [$A_POLICY, \"nest\", [[$P_MODE, \"u8\", \"$CUSTOM\"], $nine]]]"
refused "learned entries in a request are refused" EINVAL "reply-only" \
	"[$target, [$A_LEARNED, \"u32\", \"1\"], $(policy $CUSTOM)]"
many=$(for i in $(seq 257); do rule $ALLOW; done | paste -sd,)
refused "more than 256 rules are refused" E2BIG "256 rules" "[$target, $(policy $CUSTOM "$many")]"
unfinished() { # a first part that announces more, and no more
	"$GENL" --cmd $CMD_SET --json "[$target, [$A_SET_FLAGS, \"u32\", \"1\"], $(policy $CUSTOM "$(rule $ALLOW)")]" |
		grep -q '"errno": 0' && unchanged
}
t_run "an unfinished upload is accepted part by part and changes nothing" unfinished

t_run "malformed JSON is refused" bash -c "! echo '{\"mode\": \"custom\", \"rules\": [{\"action\": \"allow\", \"ports\": [\"70000\"]}]}' | '$SBXFWCTL' policy set '$sbx' - 2>'$work/err'"
t_run "the JSON error names the field" grep -q 'rules\[0\].ports\[0\]' "$work/err"
t_run "after malformed JSON the policy is unchanged" unchanged

sandbox_root() { # sbxfwctl as root of the sandbox's own user namespace
	ip netns exec "$sbx" unshare -U -r "$SBXFWCTL" "$@"
}
for cmd in "policy get $sbx" "policy set $sbx $work/base.json" "policy delete $sbx" \
	"policy list" "learned show $sbx" "learned flush $sbx"; do
	# shellcheck disable=SC2086
	t_run "root inside the sandbox cannot '$(cut -d' ' -f1-2 <<<"$cmd")'" \
		bash -c "$(declare -f sandbox_root); SBXFWCTL=$SBXFWCTL sbx=$sbx; ! sandbox_root $cmd"
done
t_run "after the sandbox's attempts the policy is unchanged" unchanged

t_run "get output sets the same policy again" \
	bash -c "'$SBXFWCTL' policy set '$sbx' '$work/base.get' >/dev/null"
"$SBXFWCTL" policy get "$sbx" >"$work/again.get"
t_run "get after set of get's output is identical but for the generation" \
	diff <(grep -v generation "$work/base.get") <(grep -v generation "$work/again.get")

gen=$("$SBXFWCTL" -j policy list | python3 -c "
import json, sys
for e in json.load(sys.stdin):
    print(e['generation'])" | tail -n1)
t_run "set with the current expected generation succeeds" \
	"$SBXFWCTL" policy set --expect-generation "$gen" "$sbx" "$work/base.json"
t_run "set with an old expected generation fails" \
	bash -c "! '$SBXFWCTL' policy set --expect-generation '$gen' '$sbx' '$work/base.json'"

# A million CIDRs: 10.0.0.0/8 and 11.0.0.0/8 cut into /28s (only every
# other one listed) travel in many parts and are enforced.
python3 - "$work/big.json" <<'PY'
import json, sys
cidrs = [f"{10 + (i >> 20)}.{(i >> 12) & 255}.{(i >> 4) & 255}.{(i & 15) << 4}/28"
         for i in range(0, 2_000_000, 2)]
json.dump({"mode": "custom", "default": "deny",
           "rules": [{"action": "allow", "destinations": cidrs}]}, open(sys.argv[1], "w"))
PY
t_run "a policy with 1,000,000 CIDRs loads" "$SBXFWCTL" policy set "$sbx" "$work/big.json"
count=$("$SBXFWCTL" -j policy list | python3 -c "
import json, sys
print(sum(e['cidrs4'] for e in json.load(sys.stdin)))")
t_run "list reports its 1,000,000 CIDRs" test "$count" = 1000000
t_run "get returns all 1,000,000 CIDRs" bash -c "
	'$SBXFWCTL' policy get '$sbx' | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert len(p[\"rules\"][0][\"destinations\"]) == 1000000, len(p[\"rules\"][0][\"destinations\"])'"

# Enforcement of the big policy: a peer namespace answers on the first
# listed /28, the first unlisted one and the last listed one.
last=$(python3 -c "i = 1999998; print(f'{10 + (i >> 20)}.{(i >> 12) & 255}.{(i >> 4) & 255}.{((i & 15) << 4) + 1}')")
ns_create peer
veth "$sbx" eth0 "$peer" eth0 && addr "$sbx" eth0 192.0.2.1/30 && addr "$peer" eth0 192.0.2.2/30 &&
	ip -n "$sbx" route add 10.0.0.0/7 via 192.0.2.2 &&
	addr "$peer" lo 10.0.0.1/32 10.0.0.17/32 "$last/32"
coproc ip netns exec "$peer" python3 "$SBXFW_SRC/selftests/net/servers.py" "$work/peer.counts" \
	tcp:10.0.0.1:80 tcp:10.0.0.17:80 "tcp:$last:80"
ksft_pids+=("$COPROC_PID")
read -r -t 30 ready <&"${COPROC[0]}"
probe() { ip netns exec "$sbx" python3 "$SBXFW_SRC/selftests/net/probe.py" tcp "$1" 80; }
t_run "1M CIDRs: the first listed CIDR is allowed" test "$(probe 10.0.0.1)" = ok
t_run "1M CIDRs: an unlisted one in between is refused" test "$(probe 10.0.0.17)" = ECONNREFUSED
t_run "1M CIDRs: the last listed CIDR is allowed" test "$(probe "$last")" = ok

# A reader in the middle of a dump of the 1M-CIDR policy (hundreds of
# messages): the messages after a swap are flagged NLM_F_DUMP_INTR, and
# without a swap none is.
dump_paused() { # WANT [swap]: one raw get dump, paused after its first part
	local pause=$work/pause reader got
	rm -f "$pause"
	"$GENL" --cmd $CMD_GET --flags 0x300 --pause "$pause" --json "[$target]" >"$work/dump" &
	reader=$!
	busywait 30000 test -e "$pause" || { kill "$reader"; return 1; }
	if [ "${2:-}" = swap ]; then
		"$SBXFWCTL" policy set "$sbx" "$work/base.json" >/dev/null || return 1
	fi
	rm -f "$pause"
	wait "$reader"
	got=$(python3 -c 'import json,sys; a = json.load(open(sys.argv[1])); print(a["errname"], a["messages"] > 2, a["intr"])' "$work/dump")
	[ "$got" = "$1" ] || { echo "errno, more than 2 messages, intr: got '$got', wanted '$1'"; return 1; }
}
t_run "a dump that no change overlaps is not flagged NLM_F_DUMP_INTR" \
	dump_paused "OK True False"
t_run "a swap in the middle of a dump flags it NLM_F_DUMP_INTR" \
	dump_paused "OK True True" swap

# sbxfwctl reads again when a dump was interrupted: under a stream of
# swaps between two policies, every get returns one of them, whole.
printf '%s\n' '{"mode": "deny-all"}' >"$work/a.json"
"$SBXFWCTL" policy set "$sbx" "$work/a.json" >/dev/null
"$SBXFWCTL" -j policy get "$sbx" >"$work/a.get"
"$SBXFWCTL" policy set "$sbx" "$work/base.json" >/dev/null
"$SBXFWCTL" -j policy get "$sbx" >"$work/base.jget"
swapper() {
	while [ ! -e "$work/stop" ]; do
		"$SBXFWCTL" policy set "$sbx" "$work/a.json" >/dev/null
		"$SBXFWCTL" policy set "$sbx" "$work/base.json" >/dev/null
	done
}
consistent_gets() {
	local i
	for i in $(seq 50); do
		"$SBXFWCTL" -j policy get "$sbx" >"$work/racing.get" || return 1
		cmp -s "$work/racing.get" "$work/a.get" ||
			cmp -s "$work/racing.get" "$work/base.jget" ||
			{ echo "mixed read:"; cat "$work/racing.get"; return 1; }
	done
}
swapper &
swapper_pid=$!
t_run "gets racing a stream of swaps each return one whole policy" consistent_gets
touch "$work/stop"
wait "$swapper_pid"

kill "$holder"
rm -rf "$work"
t_done
