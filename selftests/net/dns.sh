#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Domain rules through DNS, against a real resolver (dnsmasq) on the
# "internet": queries for names no rule allows are refused before they
# leave (REFUSED over UDP, a reset over TCP) and never reach the resolver;
# the A/AAAA answers to the sandbox's own queries, CNAME chains followed,
# teach the addresses a domain rule then allows; answers that rebind a
# name to a private, loopback or metadata address are dropped; forged and
# unmatched answers teach nothing; malformed queries do not leave; a swap
# forgets what the new policy no longer allows; the learned table is
# bounded. sbxfwctl learned show/flush and the learned counters of policy
# list are read along the way.
source "$(dirname "$0")/lib.sh"

PROBE=$SBXFW_SRC/selftests/net/probe.py
POLICY=$(mktemp)
TMP=$(mktemp -d)

RESOLVER4=198.51.100.53
RESOLVER6=2001:db8:53::53
DNSD=198.51.100.54	# dnsd.py: scripted answers for *.many.test
DNSD6=2001:db8:53::54
SBX4=10.10.0.2		# the sandbox's own uplink addresses (see topo_create)
SBX6=fd10::2

if ! command -v dnsmasq >/dev/null; then
	t_skip "DNS through a real resolver" "dnsmasq is not installed (Debian: dnsmasq-base)"
	t_done
fi

topo_up

# The resolvers live on inet's loopback, next to the test servers.
ip -n "$inet" addr add "$RESOLVER4/32" dev lo &&
	ip -n "$inet" addr add "$DNSD/32" dev lo &&
	ip -n "$inet" addr add "$RESOLVER6/128" dev lo nodad &&
	ip -n "$inet" addr add "$DNSD6/128" dev lo nodad

# The test zone (TTL 300 unless given):
#   www.allowed.test    198.51.100.10, 2001:db8:1::10
#   other.test          198.51.100.11, 2001:db8:2::10 (never allowed)
#   wild.test and below 203.0.113.10, 2001:db8:2::10 (bad.wild.test too)
#   otherwild.test      203.0.113.10
#   alias.test          CNAME hop.cdn.test, CNAME target.cdn.test,
#                       198.51.100.11, 2001:db8:2::10
#   ttl0.test           198.51.100.11 with TTL 0
#   rebind.test         192.168.50.10, fd00:ec2::254 (private, metadata)
#   mixed.test          198.51.100.11 and 10.1.2.3 (one private address)
#   lo.test             127.0.0.1, ::1
#   anything.bulk.test  198.51.100.11
# (and *.many.test comes from dnsd.py, see there).
# Any other name under .test is NXDOMAIN; outside .test dnsmasq itself
# answers REFUSED (it has no upstream), so every name the tests expect sbxfw
# to refuse has an answer here, and the query log tells whether it came.
DNSLOG=$TMP/dnsmasq.log
ip netns exec "$inet" dnsmasq --keep-in-foreground --conf-file=/dev/null \
	--no-resolv --no-hosts --bind-interfaces --port=53 \
	--listen-address="$RESOLVER4" --listen-address="$RESOLVER6" \
	--user=root --group=root --pid-file="$TMP/dnsmasq.pid" \
	--log-queries --log-facility="$DNSLOG" --local-ttl=300 --local=/test/ \
	--host-record=www.allowed.test,198.51.100.10,2001:db8:1::10 \
	--host-record=other.test,198.51.100.11,2001:db8:2::10 \
	--address=/wild.test/203.0.113.10 --address=/wild.test/2001:db8:2::10 \
	--address=/otherwild.test/203.0.113.10 \
	--cname=alias.test,hop.cdn.test --cname=hop.cdn.test,target.cdn.test \
	--host-record=target.cdn.test,198.51.100.11,2001:db8:2::10 \
	--host-record=ttl0.test,198.51.100.11,0 \
	--host-record=rebind.test,192.168.50.10,fd00:ec2::254 \
	--host-record=mixed.test,198.51.100.11 --host-record=mixed.test,10.1.2.3 \
	--host-record=lo.test,127.0.0.1,::1 \
	--address=/bulk.test/198.51.100.11 \
	>"$TMP/dnsmasq.out" 2>&1 &
DNSMASQ_PID=$!
ksft_pids+=("$DNSMASQ_PID")

# inet_dns SERVER NAME TYPE: a query from the internet itself (unfiltered).
inet_dns() {
	ip netns exec "$inet" python3 "$PROBE" dns "$@"
}
resolver_up() {
	[ "$(inet_dns "$RESOLVER4" www.allowed.test A)" = "ok 198.51.100.10" ] &&
		[ "$(inet_dns "$RESOLVER6" www.allowed.test AAAA)" = "ok 2001:db8:1::10" ]
}
if busywait 30000 resolver_up; then
	t_ok "dnsmasq answers on $RESOLVER4 and $RESOLVER6"
else
	t_fail "dnsmasq answers on $RESOLVER4 and $RESOLVER6" \
		"$(cat "$TMP/dnsmasq.out" "$DNSLOG" 2>/dev/null)"
	t_done
fi

ip netns exec "$inet" python3 "$SBXFW_SRC/selftests/net/dnsd.py" 100 "$DNSD" "$DNSD6" \
	>"$TMP/dnsd.out" 2>&1 &
ksft_pids+=($!)
dnsd_up() {
	[ "$(inet_dns "$DNSD" x.many.test A)" = "ok 198.19.255.4" ] &&
		[ "$(inet_dns "$DNSD6" x.many.test A)" = "ok 198.19.255.4" ]
}
t_run "dnsd.py answers on $DNSD and $DNSD6" busywait 30000 dnsd_up

set_policy() { # JSON
	printf '%s\n' "$1" >"$POLICY"
	"$SBXFWCTL" policy set "$sbx" "$POLICY"
}

# use_policy NAME JSON: loads it; reported only when that fails.
use_policy() {
	local out
	out=$(set_policy "$2" 2>&1) || t_fail "$1: loads" "$out"
}

# fresh NAME JSON: loads JSON (again) and flushes what the sandbox learned,
# so a section starts from nothing learned; reported only when it fails.
fresh() {
	local out
	out=$({ set_policy "$2" && "$SBXFWCTL" learned flush "$sbx"; } 2>&1) ||
		t_fail "$1: loads, and learned flush empties the table" "$out"
}

# resolve SERVER NAME TYPE WANT [tcp]: probe.py dns's answer in the sandbox.
resolve() {
	local got
	got=$(ip netns exec "$sbx" python3 "$PROBE" dns "$1" "$2" "$3" ${5:+"$5"})
	[ "$got" = "$4" ] && return 0
	echo "$3 $2 from $1${5:+ over $5}: got '$got', wanted '$4'"
	return 1
}

# reach KIND ADDR PORT WANT: probe.py's answer from the sandbox.
reach() {
	local got
	got=$(ip netns exec "$sbx" python3 "$PROBE" "$1" "$2" "$3")
	[ "$got" = "$4" ] && return 0
	echo "$1 to $2 port $3: got '$got', wanted '$4'"
	return 1
}

# unseen NAME LINES: dnsmasq got no query for NAME after the first LINES
# lines of its log. A marker query from the internet goes after it and must
# be logged first, so the log is current.
unseen() {
	local marker=marker-$RANDOM$RANDOM.test
	inet_dns "$RESOLVER4" "$marker" A >/dev/null
	busywait 10000 grep -qF "] $marker from" "$DNSLOG" ||
		{ echo "the marker query never showed in dnsmasq's log"; return 1; }
	if tail -n +"$(($2 + 1))" "$DNSLOG" | grep -iF "] $1 from"; then
		echo "... dnsmasq got a query for $1"
		return 1
	fi
}

# refused SERVER NAME TYPE [tcp]: the sandbox's query is refused by sbxfw
# (REFUSED over UDP; a reset or a closed connection over TCP) and never
# reaches the resolver.
refused() {
	local got from
	from=$(wc -l <"$DNSLOG")
	got=$(ip netns exec "$sbx" python3 "$PROBE" dns "$1" "$2" "$3" ${4:+"$4"})
	if [ -n "${4:-}" ]; then
		case $got in
		ECONNRESET | EPIPE | closed) ;;
		*) echo "$3 $2 from $1 over tcp: got '$got', wanted ECONNRESET or closed"; return 1 ;;
		esac
	elif [ "$got" != refused ]; then
		echo "$3 $2 from $1: got '$got', wanted 'refused'"
		return 1
	fi
	unseen "$2" "$from"
}

# learned OP ARGS: checks the sandbox's learned table (sbxfwctl -j learned
# show, a JSON array of {"address", "name", "expires"}):
#   has ADDR NAME       an entry maps ADDR to NAME
#   lacks ADDR          no entry for ADDR
#   count NAME MIN MAX  NAME has MIN to MAX entries
#   total MAX           at most MAX entries
#   expires ADDR MIN    ADDR's entry expires in MIN seconds or more
#   rule ADDR RULE      ADDR's entries name rule RULE (null: none)
#   empty               no entry
learned() {
	local json
	json=$("$SBXFWCTL" -j learned show "$sbx") || return 1
	python3 -c '
import ipaddress, json, sys
entries = json.load(sys.stdin)
op, args = sys.argv[1], sys.argv[2:]
def addr(a):
    return ipaddress.ip_address(a)
def name(n):
    return n.lower().rstrip(".")
def of(a):
    return [e for e in entries if addr(e["address"]) == addr(a)]
if op == "has":
    ok = any(name(e["name"]) == name(args[1]) for e in of(args[0]))
elif op == "lacks":
    ok = not of(args[0])
elif op == "count":
    n = sum(name(e["name"]) == name(args[0]) for e in entries)
    ok = int(args[1]) <= n <= int(args[2])
    print(f"{args[0]}: {n} entries")
elif op == "total":
    ok = len(entries) <= int(args[0])
    print(f"{len(entries)} entries")
elif op == "expires":
    ok = bool(of(args[0])) and all(int(e["expires"]) >= int(args[1]) for e in of(args[0]))
elif op == "rule":
    want = None if args[1] == "null" else int(args[1])
    ok = bool(of(args[0])) and all(e["rule"] == want for e in of(args[0]))
elif op == "empty":
    ok = entries == []
else:
    sys.exit(f"unknown op {op}")
if not ok:
    print(f"learned {op} {args} fails; {len(entries)} entries:")
    print(json.dumps(entries[:40], indent=1))
    sys.exit(1)' "$@" <<<"$json"
}

# learned_text ADDR NAME RULE: the plain listing, a header and then
# "ADDRESS NAME RULE EXPIRES" lines, has that entry.
learned_text() {
	local out
	out=$("$SBXFWCTL" learned show "$sbx") || return 1
	awk -v a="$1" -v n="$2" -v r="$3" 'NR > 1 && NF == 4 && $1 == a &&
		tolower($2) == n && $3 == r && $4 ~ /^[0-9]+$/ { found = 1 }
		END { exit !found }' <<<"$out" && return 0
	echo "$out"
	return 1
}

# learned_text_empty: the plain listing is its header alone.
learned_text_empty() {
	local out
	out=$("$SBXFWCTL" learned show "$sbx") || return 1
	[ "$(wc -l <<<"$out")" = 1 ] && return 0
	echo "$out"
	return 1
}

# list_field FIELD: of the sandbox's entry in sbxfwctl -j policy list.
list_field() {
	local inum
	inum=$(ip netns exec "$sbx" stat -L -c %i /proc/self/ns/net) &&
		"$SBXFWCTL" -j policy list | python3 -c '
import json, sys
print(next(e[sys.argv[2]] for e in json.load(sys.stdin) if e["netns"] == int(sys.argv[1])))' \
			"$inum" "$1"
}

# field_is FIELD OP N: list_field FIELD compared (test's -eq, -le, -gt ...).
field_is() {
	local v
	v=$(list_field "$1") || return 1
	test "$v" "$2" "$3" && return 0
	echo "policy list: $1 is $v, wanted $2 $3"
	return 1
}

# soon CHECK ARGS...: CHECK passes within 5 seconds (answers are learned on
# their way in, before the client reads them, but leave some slack); only
# its last try's output is shown.
soon() {
	busywait 5000 "$@" >/dev/null 2>&1 || "$@"
}

# resolved SERVER NAME TYPE ADDR [tcp]: NAME resolves to ADDR alone, which
# is then learned under NAME.
resolved() {
	resolve "$1" "$2" "$3" "ok $4" ${5:+"$5"} && soon learned has "$4" "$2"
}

# resolved_connects SERVER NAME TYPE ADDR: NAME resolves to ADDR alone, and
# then TCP to ADDR port 80 connects.
resolved_connects() {
	resolve "$1" "$2" "$3" "ok $4" && reach tcp "$4" 80 ok
}

# learned_connects ADDR NAME: ADDR is learned under NAME and connects.
learned_connects() {
	soon learned has "$1" "$2" && reach tcp "$1" 80 ok
}

# flush: sbxfwctl learned flush, quietly; cases check what it did.
flush() {
	"$SBXFWCTL" learned flush "$sbx" >/dev/null 2>&1
}

# Both resolvers (UDP and TCP to port 53), to any domain rule's names.
RESOLVERS='{"action": "allow", "ports": ["53"],
	"destinations": ["198.51.100.53/32", "198.51.100.54/32",
			 "2001:db8:53::53/128", "2001:db8:53::54/128"]}'
WWW_RULE='{"action": "allow", "protocols": ["tcp"], "ports": ["80"],
	"destinations": ["www.allowed.test"]}'
REST_RULES='{"action": "deny", "destinations": ["bad.wild.test"]},
	{"action": "allow", "protocols": ["tcp"], "ports": ["80"],
	 "destinations": ["*.wild.test", "alias.test", "ttl0.test", "rebind.test",
			  "mixed.test", "lo.test"]}'
MAIN='{"mode": "custom", "default": "deny", "rules": ['"$RESOLVERS, $WWW_RULE, $REST_RULES"']}'
# MAIN without www.allowed.test.
NO_WWW='{"mode": "custom", "default": "deny", "rules": ['"$RESOLVERS, $REST_RULES"']}'
# MAIN and an explicit allow of one private address.
PRIVATE_OK='{"mode": "custom", "default": "deny", "rules": ['"$RESOLVERS, $WWW_RULE, $REST_RULES"',
	{"action": "allow", "destinations": ["192.168.50.10/32"]}]}'
MANY='{"mode": "custom", "default": "deny", "rules": ['"$RESOLVERS"',
	{"action": "allow", "protocols": ["tcp"], "ports": ["80"], "destinations": ["*.many.test"]}]}'

# --- Without a policy nothing is filtered; this also shows the tools work:
# the resolver gives the private address that a policy drops later, and
# a forged answer reaches the querying socket (before the real one, which
# dnsd.py holds back two seconds for slow.many.test). ---
unfiltered() {
	resolve "$RESOLVER4" www.allowed.test A "ok 198.51.100.10" &&
		resolve "$RESOLVER6" www.allowed.test AAAA "ok 2001:db8:1::10" &&
		resolve "$RESOLVER4" www.allowed.test A "ok 198.51.100.10" tcp &&
		resolve "$RESOLVER6" www.allowed.test AAAA "ok 2001:db8:1::10" tcp
}
t_run "no policy: the sandbox resolves over UDP and TCP, IPv4 and IPv6" unfiltered
t_run "no policy: rebind.test resolves to its private address" \
	resolve "$RESOLVER4" rebind.test A "ok 192.168.50.10"
# forge_arrives SERVER ADDR: the sandbox's forged answer (ADDR) reaches it
# first.
forge_arrives() {
	local got
	got=$(ip netns exec "$sbx" python3 "$PROBE" dnsforge "$1" slow.many.test "$2")
	[[ $got == "sent $2"* ]] && return 0
	echo "probe.py dnsforge $1 slow.many.test $2: got '$got'"
	return 1
}
forges_arrive() {
	forge_arrives "$DNSD" 203.0.113.10 && forge_arrives "$DNSD6" 2001:db8:2::10
}
t_run "no policy: forged answers (IPv4, IPv6) reach the querying socket" forges_arrive

# --- An allowed name: resolved, learned, reachable on its rule's ports. ---
listed() {
	soon learned has 198.51.100.10 www.allowed.test &&
		learned_text 198.51.100.10 www.allowed.test 1 &&
		learned rule 198.51.100.10 1 && field_is learned -ge 1
}
resolved6() {
	resolved "$RESOLVER6" www.allowed.test AAAA 2001:db8:1::10 &&
		reach tcp 2001:db8:1::10 80 ok &&
		resolve "$RESOLVER6" www.allowed.test A "ok 198.51.100.10"
}
fresh "domain rules" "$MAIN"
t_run "an allowed name resolves over UDP" \
	resolve "$RESOLVER4" www.allowed.test A "ok 198.51.100.10"
t_run "... learned under its name: learned show (-j and plain), policy list's count" listed
t_run "... TCP to it on the rule's port connects" reach tcp 198.51.100.10 80 ok
t_run "... on a port the rule does not allow: refused" \
	reach tcp 198.51.100.10 81 ECONNREFUSED
t_run "IPv6 resolver: AAAA resolves, is learned, connects; A resolves too" resolved6

# --- Names no rule covers. ---
uncovered() {
	refused "$RESOLVER4" other.test A && refused "$RESOLVER6" other.test AAAA
}
t_run "a name no rule covers is refused at once, never reaches the resolver (IPv4, IPv6)" \
	uncovered
t_run "... its address, never learned, is refused" reach tcp 198.51.100.11 80 ECONNREFUSED

# --- First match among domain patterns: deny bad.wild.test, then allow
# *.wild.test. ---
wildcard() {
	resolve "$RESOLVER4" x.wild.test A "ok 203.0.113.10" &&
		resolve "$RESOLVER4" a.b.wild.test A "ok 203.0.113.10" &&
		resolve "$RESOLVER4" wild.test A "ok 203.0.113.10"
}
upper() {
	resolved "$RESOLVER4" X.WILD.Test A 203.0.113.10 && reach tcp 203.0.113.10 80 ok
}
t_run "a deny rule before the wildcard: bad.wild.test refused, never sent" \
	refused "$RESOLVER4" bad.wild.test A
t_run "wildcard: x.wild.test, a.b.wild.test and the apex wild.test resolve" wildcard
t_run "wildcard: otherwild.test is not below wild.test: refused" \
	refused "$RESOLVER4" otherwild.test A
t_run "names are case-insensitive: X.WILD.Test resolves, learned, connects" upper

# --- An address is allowed through a name only once learned. ---
flushed() {
	learned empty && learned_text_empty && field_is learned -eq 0
}
flush
t_run "learned flush empties the table" flushed
t_run "after flush an allowed name's address, never resolved, is refused" \
	reach tcp 198.51.100.10 80 ECONNREFUSED
t_run "... resolving it lets it connect" \
	resolved_connects "$RESOLVER4" www.allowed.test A 198.51.100.10

# --- CNAME chains and short TTLs. ---
ttl0() {
	resolved "$RESOLVER4" ttl0.test A 198.51.100.11 &&
		learned expires 198.51.100.11 30 && sleep 2 &&
		reach tcp 198.51.100.11 80 ok
}
fresh "domain rules" "$MAIN"
t_run "CNAME chain: alias.test resolves to its target's address" \
	resolve "$RESOLVER4" alias.test A "ok 198.51.100.11"
t_run "... learned under the name asked (alias.test), and connects" \
	learned_connects 198.51.100.11 alias.test
t_run "... the chain's target name itself is not allowed: refused" \
	refused "$RESOLVER4" target.cdn.test A
flush
t_run "TTL 0: learned for a minute at least (>= 30 s left), connects seconds later" ttl0

# --- Rebinding: answers with private, loopback, metadata addresses. ---
nothing_rebound() {
	sleep 1
	learned lacks 192.168.50.10 && learned lacks fd00:ec2::254 &&
		learned lacks 198.51.100.11 && learned lacks 127.0.0.1 &&
		reach tcp 192.168.50.10 80 ECONNREFUSED
}
fresh "domain rules" "$MAIN"
t_run "rebinding: an answer with a private address is dropped (timeout)" \
	resolve "$RESOLVER4" rebind.test A timeout
t_run "rebinding: an answer with a metadata IPv6 address is dropped" \
	resolve "$RESOLVER6" rebind.test AAAA timeout
t_run "rebinding: an answer with a loopback address is dropped" \
	resolve "$RESOLVER4" lo.test A timeout
t_run "rebinding: one private address among public ones drops the answer" \
	resolve "$RESOLVER4" mixed.test A timeout
t_run "... nothing of them is learned, the private address stays refused" nothing_rebound
use_policy "an explicit allow of 192.168.50.10/32" "$PRIVATE_OK"
t_run "with an explicit allow of 192.168.50.10/32 rebind.test resolves, is learned" \
	resolved "$RESOLVER4" rebind.test A 192.168.50.10
t_run "... its metadata IPv6 address is still dropped" \
	resolve "$RESOLVER6" rebind.test AAAA timeout

# --- DNS over TCP. ---
fresh "domain rules" "$MAIN"
t_run "over TCP: an allowed name resolves and is learned" \
	resolved "$RESOLVER4" www.allowed.test A 198.51.100.10 tcp
t_run "over TCP to the IPv6 resolver: resolves and is learned" \
	resolved "$RESOLVER6" alias.test AAAA 2001:db8:2::10 tcp
t_run "over TCP: a name no rule covers is reset, never reaches the resolver" \
	refused "$RESOLVER4" other.test A tcp

# --- Answers that are no answer to the sandbox's query teach nothing. ---
# unsolicited: answers for www.allowed.test from the resolvers' addresses
# and port 53 to the sandbox, from the internet, to no query.
unsolicited() {
	local got
	got=$(ip netns exec "$inet" python3 "$PROBE" dnsanswer "$RESOLVER4" "$SBX4" 40053 \
		www.allowed.test 203.0.113.10)$(ip netns exec "$inet" python3 "$PROBE" \
		dnsanswer "$RESOLVER6" "$SBX6" 40053 www.allowed.test 2001:db8:2::10)
	[ "$got" = 00 ] || { echo "dnsanswer: $got"; return 1; }
	sleep 1
	learned lacks 203.0.113.10 && learned lacks 2001:db8:2::10
}
fresh "domain rules" "$MAIN"
t_run "an answer from outside to no query teaches nothing" unsolicited
# forged SERVER ADDR: the sandbox queries slow.many.test and, while the
# query waits, forges its answer (-> ADDR) itself, through its loopback;
# ADDR is not learned.
forged() {
	echo "probe.py dnsforge: $(ip netns exec "$sbx" python3 "$PROBE" dnsforge "$1" \
		slow.many.test "$2")"
	sleep 1
	learned lacks "$2" && reach tcp "$2" 80 ECONNREFUSED
}
forgeries() {
	forged "$DNSD" 203.0.113.10 && forged "$DNSD6" 2001:db8:2::10
}
# mismatched: dnsd.py's answers to the sandbox's queries are under another
# id, for another name, of another type (see dnsd.py); nothing is learned.
mismatched() {
	local name
	for name in wrongid wrongname wrongtype; do
		echo "probe.py dns $name.many.test: $(ip netns exec "$sbx" python3 "$PROBE" \
			dns "$DNSD" "$name.many.test" A)"
	done
	sleep 1
	learned lacks 198.19.255.1 && learned lacks 198.19.255.2 &&
		learned lacks 198.19.255.3
}
fresh "a wildcard for dnsd.py's names" "$MANY"
t_run "a forged answer from inside the sandbox teaches nothing (IPv4, IPv6)" forgeries
t_run "answers under another id, name or type teach nothing" mismatched

# --- Malformed queries do not leave. ---
dnsbad() { # SERVER KIND
	local got
	got=$(ip netns exec "$sbx" python3 "$PROBE" dnsbad "$1" "$2")
	[ "$got" = EPERM ] && return 0
	echo "malformed query ($2) to $1: got '$got', wanted EPERM"
	return 1
}
garbage() {
	dnsbad "$RESOLVER4" garbage && dnsbad "$RESOLVER6" garbage
}
fresh "domain rules" "$MAIN"
t_run "malformed query: garbage to port 53 is EPERM (IPv4, IPv6)" garbage
t_run "malformed query: two questions is EPERM" dnsbad "$RESOLVER4" twoq
t_run "malformed query: an answer record in a query is EPERM" dnsbad "$RESOLVER4" answer
t_run "malformed query: no question is EPERM" dnsbad "$RESOLVER4" noq

# --- A swap forgets what the new policy no longer allows. ---
flow_status=$TMP/flow
flow_broken() { [ -s "$flow_status" ] && ! grep -qx up "$flow_status"; }
# swap_kept: www.allowed.test's entry is gone, x.wild.test's is still there.
swap_kept() {
	learned lacks 198.51.100.10 && learned has 203.0.113.10 x.wild.test &&
		reach tcp 203.0.113.10 80 ok
}
fresh "domain rules" "$MAIN"
resolve "$RESOLVER4" www.allowed.test A "ok 198.51.100.10" >/dev/null
resolve "$RESOLVER4" x.wild.test A "ok 203.0.113.10" >/dev/null
ip netns exec "$sbx" python3 "$PROBE" flow 198.51.100.10 80 "$flow_status" >/dev/null &
ksft_pids+=($!)
if busywait 10000 grep -qsx up "$flow_status"; then
	t_ok "a TCP flow to a learned address is up"
	use_policy "domain rules without www.allowed.test" "$NO_WWW"
	t_run "a swap without its name cuts the flow" busywait 15000 flow_broken
	t_run "... forgets the name's entries, keeps those still allowed" swap_kept
	t_run "... and the name is refused now" refused "$RESOLVER4" www.allowed.test A
else
	t_fail "a TCP flow to a learned address is up" "flow: $(cat "$flow_status" 2>/dev/null)"
fi
touch "$flow_status.stop"
use_policy "domain rules" "$MAIN"
t_run "swapped back: it resolves and connects again" \
	resolved_connects "$RESOLVER4" www.allowed.test A 198.51.100.10

# --- Modes. ---
no_dns() {
	resolve "$RESOLVER4" www.allowed.test A EPERM &&
		resolve "$RESOLVER6" www.allowed.test AAAA EPERM &&
		resolve "$RESOLVER4" www.allowed.test A ECONNREFUSED tcp
}
all_resolve() {
	resolve "$RESOLVER4" other.test A "ok 198.51.100.11" &&
		resolve "$RESOLVER4" bad.wild.test A "ok 203.0.113.10" &&
		resolve "$RESOLVER6" www.allowed.test AAAA "ok 2001:db8:1::10"
}
others_resolve() {
	resolve "$RESOLVER4" www.allowed.test A "ok 198.51.100.10" &&
		resolve "$RESOLVER4" target.cdn.test A "ok 198.51.100.11"
}
use_policy "deny-all" '{"mode": "deny-all"}'
t_run "deny-all: DNS fails (UDP EPERM over IPv4 and IPv6, TCP refused)" no_dns
use_policy "allow-all" '{"mode": "allow-all"}'
t_run "allow-all: every name resolves" all_resolve
use_policy "default allow, one name denied" '{"mode": "custom", "default": "allow",
	"rules": [{"action": "deny", "destinations": ["other.test"]}]}'
t_run "default allow: the denied name is refused, never sent" refused "$RESOLVER4" other.test A
t_run "default allow: other names resolve" others_resolve

# --- 10,000 domain patterns. ---
python3 -c '
import json, sys
names = [f"d{i}.bulk.test" for i in range(10000)]
print(json.dumps({"mode": "custom", "default": "deny", "rules": [
    json.loads(sys.argv[1]),
    {"action": "allow", "protocols": ["tcp"], "ports": ["80"], "destinations": names}]}))' \
	"$RESOLVERS" >"$TMP/bulk.json"
t_run "a policy of 10000 domain patterns loads" "$SBXFWCTL" policy set "$sbx" "$TMP/bulk.json"
flush
t_run "... its first name resolves and connects" \
	resolved_connects "$RESOLVER4" d0.bulk.test A 198.51.100.11
flush
t_run "... its last name resolves and connects" \
	resolved_connects "$RESOLVER4" d9999.bulk.test A 198.51.100.11
t_run "... a name not in it is refused" refused "$RESOLVER4" d10000.bulk.test A

# --- The learned table is bounded: 32 addresses per answer, 16384 per
# namespace, the oldest evicted first. dnsd.py gives 100 addresses for each
# nK.many.test (an answer of about 1.7 KB, so fragmented). ---
many0() {
	local got
	got=$(ip netns exec "$sbx" python3 "$PROBE" dns "$DNSD" n0.many.test A)
	[ "$(wc -w <<<"$got")" = 101 ] && [ "${got%% *}" = ok ] && return 0
	echo "n0.many.test: got '$got', wanted ok and 100 addresses"
	return 1
}
many_more() {
	local failed
	failed=$(ip netns exec "$sbx" python3 "$PROBE" dnsmany "$DNSD" many.test 1 600)
	[ "$failed" = 0 ] || { echo "$failed queries failed"; return 1; }
}
bounded() {
	field_is learned -le 16384 && field_is learned -gt 0 && learned total 16384
}
oldest_gone() {
	learned count n0.many.test 0 0 && learned count n600.many.test 1 32
}
fresh "a wildcard for dnsd.py's names" "$MANY"
t_run "an answer of 100 addresses comes through" many0
t_run "... at most 32 of them are learned" soon learned count n0.many.test 1 32
t_run "600 more names of 100 addresses each resolve" many_more
t_run "... the table holds at most 16384 entries" bounded
t_run "... the entries evicted are counted (learned_evicted)" field_is learned_evicted -gt 0
t_run "... oldest first: n0 is gone, n600 is there" oldest_gone

# --- A microVM behind an inside device: its queries are judged as they are
# forwarded, its answers learned on their way to it. ---
VM_MAIN='{"mode": "custom", "default": "deny", "inside_devices": ["tap0"],
	"rules": ['"$RESOLVERS, $WWW_RULE, $REST_RULES"']}'
vm_resolves() {
	local got
	got=$(ip netns exec "$vm" python3 "$PROBE" dns "$RESOLVER4" www.allowed.test A)
	[ "$got" = "ok 198.51.100.10" ] || { echo "the VM resolved: '$got'"; return 1; }
	soon learned has 198.51.100.10 www.allowed.test || return 1
	got=$(ip netns exec "$vm" python3 "$PROBE" tcp 198.51.100.10 80)
	[ "$got" = ok ] || { echo "the VM connected: '$got'"; return 1; }
}
vm_refused() {
	local got from
	from=$(wc -l <"$DNSLOG")
	got=$(ip netns exec "$vm" python3 "$PROBE" dns "$RESOLVER4" other.test A)
	[ "$got" = refused ] || { echo "the VM's query: '$got', wanted 'refused'"; return 1; }
	unseen other.test "$from"
}
fresh "a microVM behind an inside device" "$VM_MAIN"
t_run "a microVM behind an inside device resolves an allowed name, learns it, connects" vm_resolves
t_run "... its query for a name no rule covers is refused, never sent" vm_refused

# --- The dns options: a longer minimum TTL, a smaller table. ---
OPTIONS='{"mode": "custom", "default": "deny", "dns": {"min_ttl": 600, "max_learned": 40},
	"rules": ['"$RESOLVERS, $WWW_RULE, $REST_RULES"',
	{"action": "allow", "protocols": ["tcp"], "ports": ["80"], "destinations": ["*.many.test"]}]}'
small_table() {
	ip netns exec "$sbx" python3 "$PROBE" dnsmany "$DNSD" many.test 1 3 >/dev/null &&
		learned total 40 && field_is learned_evicted -gt 0
}
long_ttl() {
	resolved "$RESOLVER4" ttl0.test A 198.51.100.11 && learned expires 198.51.100.11 590
}
fresh "dns options" "$OPTIONS"
t_run "dns min_ttl 600: a TTL-0 answer is learned for 10 minutes" long_ttl
t_run "dns max_learned 40: 3 answers of 32 addresses leave at most 40 entries" small_table

# --- Nothing the sandbox forges goes out as DNS: a refused query from a
# source address it does not own is not answered there (the answer would
# carry the question to that address), and nothing leaves from port 53
# with an address not its own (it could come back in as an answer). ---
fresh "default allow, one name denied" '{"mode": "custom", "default": "allow",
	"rules": [{"action": "deny", "destinations": ["other.test"]}]}'
t_run "a refused query from a forged source is dropped, not answered (EPERM)" \
	test "$(ip netns exec "$sbx" python3 "$PROBE" dnsspoof 203.0.113.10 5000 "$RESOLVER4" other.test)" = EPERM
t_run "... and one from the sandbox's own address is answered REFUSED" refused "$RESOLVER4" other.test A
t_run "a datagram from port 53 with a resolver's address does not leave" \
	test "$(ip netns exec "$sbx" python3 "$PROBE" dnsanswer "$RESOLVER4" 198.51.100.10 5000 www.allowed.test 192.0.2.1)" = 1

# dnsmasq serves each TCP connection in a child of its own; those whose
# query sbxfw dropped may still be waiting.
pkill -P "$DNSMASQ_PID" 2>/dev/null
rm -rf "$POLICY" "$TMP"
t_done
