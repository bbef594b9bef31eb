#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-namespace state lives and dies with its namespace: creating and
# deleting many namespaces leaves the module's count where it started, and
# so does deleting namespaces whose policies filter traffic in flight.
source "$(dirname "$0")/lib.sh"

COUNT=200

netns_count() {
	"$SBXFWCTL" -j version | python3 -c 'import json,sys; print(json.load(sys.stdin)["module"]["stats"]["netns"])'
}

count_is() {
	[ "$(netns_count)" -eq "$1" ]
}

base=$(netns_count)
if [ -n "$base" ] && [ "$base" -ge 1 ]; then
	t_ok "the module counts $base namespace(s) at the start"
else
	t_fail "the module reports a namespace count" "got '$base'"
	t_done
fi

names=()
for i in $(seq "$COUNT"); do
	names+=("sbxfw-leak-$i-$$")
done
for name in "${names[@]}"; do
	ip netns add "$name" || break
done
now=$(netns_count)
if [ "$now" -eq $((base + COUNT)) ]; then
	t_ok "$COUNT new namespaces each got state ($now)"
else
	t_fail "$COUNT new namespaces each got state" "expected $((base + COUNT)), got $now"
fi

for name in "${names[@]}"; do
	ip netns del "$name"
done
# Namespaces are dismantled asynchronously by the kernel's cleanup work.
if busywait 120000 count_is "$base"; then
	t_ok "deleting them frees every one (back to $base)"
else
	t_fail "deleting them frees every one" "expected $base, still $(netns_count)"
fi

# Sandboxes under load, deleted with their senders killed at once, so the
# namespaces go while packets are still in their queues and hooks.
BUSY=5
busy=()
for i in $(seq "$BUSY"); do
	busy_sandbox sbx || break
	busy+=("$sbx")
done
if [ "${#busy[@]}" -eq "$BUSY" ]; then
	t_ok "$BUSY sandboxes filter traffic that keeps flowing"
else
	t_fail "$BUSY sandboxes filter traffic that keeps flowing" "only ${#busy[@]} came up"
fi
listed() {
	"$SBXFWCTL" -j policy list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
t_run "policy list shows them" test "$(listed)" -ge "$BUSY"
kill "${BUSY_PIDS[@]}" 2>/dev/null
for name in "${busy[@]}"; do
	ip netns del "$name"
done
ns_cleanup
if busywait 120000 count_is "$base"; then
	t_ok "deleting them under load frees every one (back to $base)"
else
	t_fail "deleting them under load frees every one" "expected $base, still $(netns_count)"
fi
t_run "policy list no longer shows them" test "$(listed)" -eq 0

t_done
