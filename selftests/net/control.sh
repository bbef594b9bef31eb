#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The sbxfw generic netlink family: sbxfwctl talks to the module, malformed
# requests are refused with a reason, and nobody outside the initial
# namespaces with CAP_NET_ADMIN there is let in.
source "$(dirname "$0")/lib.sh"

GENL=$SBXFW_SRC/selftests/net/genl.py
SBXFW_CMD_GET_VERSION=1
SBXFW_A_VERSION=1
SBXFW_A_STATS=3

# genl_expect ERRNAME EXTACK_REGEX GENL_ARGS...: the kernel answers with
# errno ERRNAME ("OK" for success) and an extack message matching the
# regular expression ("" matches none too, "." needs some reason).
genl_expect() {
	local want=$1 reason=$2 answer
	shift 2
	answer=$("$GENL" "$@") || { echo "genl.py failed"; return 1; }
	python3 - "$want" "$reason" "$answer" <<'PY'
import errno, json, re, sys
want, reason, answer = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
want_errno = 0 if want == "OK" else getattr(errno, want)
ok = answer["errno"] == want_errno and re.search(reason, answer["extack"] or "")
if not ok:
    print(f"wanted {want} with extack containing {reason!r}, got {answer}")
sys.exit(0 if ok else 1)
PY
}

out=$("$SBXFWCTL" version 2>&1)
tool=$(sed -n 's/^sbxfwctl *//p' <<<"$out")
mod=$(sed -n 's/^module *\([^ ]*\).*/\1/p' <<<"$out")
if [ -n "$mod" ] && [ "$mod" = "$tool" ]; then
	t_ok "sbxfwctl version reports module $mod, same as the tool"
else
	t_fail "sbxfwctl version reports the module's version" "$out"
fi

check_version_json() {
	"$SBXFWCTL" -j version | python3 -c '
import json, sys
v = json.load(sys.stdin)
m = v["module"]
assert m["version"] == v["tool"]["version"], v
assert m["family_version"] == 1, v
assert {"netns-stats", "policy", "ipv6", "raw-frames", "ingress"} <= set(m["features"]), v
assert m["stats"]["netns"] >= 1, v
'
}
t_run "sbxfwctl -j version prints the module's version, features and netns count" check_version_json

t_run "a well-formed GET_VERSION is answered" \
	genl_expect OK "" --cmd $SBXFW_CMD_GET_VERSION

t_run "a request carrying a reply-only attribute is refused with a reason" \
	genl_expect EINVAL "reply-only" --cmd $SBXFW_CMD_GET_VERSION "$SBXFW_A_VERSION:str:9.9.9"

# Strict validation refuses the nest flag itself before NLA_REJECT applies.
t_run "a request carrying a nested reply-only attribute is refused with a reason" \
	genl_expect EINVAL "." --cmd $SBXFW_CMD_GET_VERSION "$SBXFW_A_STATS:nest:1/u32/5"

t_run "an attribute type beyond the family's maximum is refused" \
	genl_expect EINVAL "" --cmd $SBXFW_CMD_GET_VERSION "200:u32:1"

t_run "a non-zero reserved genl header field is refused" \
	genl_expect EINVAL "" --cmd $SBXFW_CMD_GET_VERSION --reserved 7

t_run "an unknown command is refused" \
	genl_expect EOPNOTSUPP "" --cmd 99

t_run "command 0 (unspec) is refused" \
	genl_expect EOPNOTSUPP "" --cmd 0

ns_create sandbox

# Root of the initial user namespace, but in a sandbox's netns.
t_run "root in another network namespace gets EPERM and the reason" \
	ip netns exec "$sandbox" bash -c "$(declare -f genl_expect); GENL=$GENL genl_expect EPERM 'initial network namespace' --cmd $SBXFW_CMD_GET_VERSION"

expect_sbxfwctl_eperm() {
	local out
	out=$("$@" "$SBXFWCTL" version 2>&1) && { echo "succeeded: $out"; return 1; }
	grep -q "permission denied" <<<"$out" || { echo "$out"; return 1; }
}

t_run "sbxfwctl as root of its own user and network namespace: permission denied" \
	expect_sbxfwctl_eperm unshare -U -r -n
t_run "sbxfwctl as root of its own user namespace: permission denied" \
	expect_sbxfwctl_eperm unshare -U -r
t_run "sbxfwctl in another network namespace: permission denied" \
	expect_sbxfwctl_eperm ip netns exec "$sandbox"
t_run "raw request from root of its own user and network namespace: EPERM" \
	unshare -U -r -n bash -c "$(declare -f genl_expect); GENL=$GENL genl_expect EPERM '' --cmd $SBXFW_CMD_GET_VERSION"

t_done
