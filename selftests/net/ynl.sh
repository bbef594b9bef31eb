#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's generic YNL tool drives the family through uapi/sbxfw.yaml:
# version, set, get, list and delete, with sbxfwctl agreeing on what was
# set, and the kernel's reasons for a refusal reach the tool. The tool is
# unpacked on the host by selftests/host/ynl.sh.
source "$(dirname "$0")/lib.sh"

CLI=$YNL_DIR/tools/net/ynl/cli.py
if [ ! -f "$CLI" ]; then
	t_fail "the kernel's YNL tool is unpacked" "run selftests/host/ynl.sh first"
	t_done
fi

ynl() {
	"$YNL_PYTHON" "$CLI" --spec "$SBXFW_SRC/uapi/sbxfw.yaml" \
		--schema "$YNL_DIR/Documentation/netlink/genetlink-legacy.yaml" \
		--output-json "$@"
}

# json_is JSON_TEXT PYTHON_EXPR: EXPR, over the parsed text as j, is true.
json_is() {
	"$YNL_PYTHON" -c 'import json,sys; j = json.loads(sys.argv[1]); sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2" ||
		{ echo "not true: $2"; echo "of: $1"; return 1; }
}

ns_create sbx
ip netns exec "$sbx" sleep 600 &
pid=$!
ksft_pids+=("$pid")

out=$(ynl --do get-version 2>&1)
t_run "get-version names the module's version" \
	json_is "$out" "j['version'] == open('$SBXFW_SRC/kmod/version.h').read().split('\"')[1]"

# 198.51.100.10/32, TCP port 443, then deny.
POLICY='{"mode": "custom", "default": "deny", "rule": [{"index": 0,
	"action": "allow", "protocols": ["tcp"], "ports": {"first": 443, "last": 443},
	"cidrs4": {"addr": 3325256714, "prefix": 32}}]}'
out=$(ynl --do policy-set --json "{\"netns-pid\": $pid, \"policy\": $POLICY}" 2>&1)
t_run "policy-set loads a policy" json_is "$out" "j['generation'] >= 1"

out=$("$SBXFWCTL" -j policy get "/proc/$pid/ns/net" 2>&1)
t_run "sbxfwctl reads back what YNL set" json_is "$out" \
	"j['mode'] == 'custom' and j['default'] == 'deny' and
	 j['rules'] == [{'action': 'allow', 'protocols': ['tcp'], 'ports': ['443'],
	                 'destinations': ['198.51.100.10/32']}]"

out=$(ynl --dump policy-get --json "{\"netns-pid\": $pid}" 2>&1)
# A dump's messages carry the head, then the rules.
t_run "policy-get returns it" json_is "$out" \
	"j[0]['policy']['mode'] == 'custom' and
	 [r['cidrs4'] for m in j for r in m['policy'].get('rule', [])] ==
	 [{'addr': '198.51.100.10', 'prefix': 32, 'pad': '000000'}]"

inum=$(stat -L -c %i "/proc/$pid/ns/net")
out=$(ynl --dump policy-list 2>&1)
t_run "policy-list shows the namespace and its sizes" json_is "$out" \
	"any(e['netns-id'] == $inum and e['policy']['n-rules'] == 1 and
	     e['policy']['n-cidrs4'] == 1 for e in j)"

out=$(ynl --do policy-set --json "{\"netns-pid\": $pid, \"policy\": {\"mode\": \"custom\",
	\"rule\": [{\"index\": 0, \"action\": \"allow\", \"direction\": \"ingress\",
	\"domain\": [\"example.com\"]}]}}" 2>&1)
t_run "a refusal reaches YNL with the kernel's reason" \
	grep -q "an ingress rule cannot name domains" <<<"$out"

out=$(ynl --do policy-del --json "{\"netns-pid\": $pid}" 2>&1)
t_run "policy-del removes it" json_is "$out" "j['generation'] >= 2"
out=$("$SBXFWCTL" policy get "/proc/$pid/ns/net" 2>&1)
t_run "sbxfwctl sees no policy after" grep -q "no policy" <<<"$out"

t_done
