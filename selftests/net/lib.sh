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

ksft_pass=0
ksft_fail=0
ksft_skip=0
ksft_num=0
ksft_namespaces=()

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
# TIMEOUT_MS have passed; the status is COMMAND's last.
busywait() {
	local timeout_ms=$1 start now
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
	local name
	for name in "${ksft_namespaces[@]}"; do
		ip netns del "$name" 2>/dev/null
	done
}
trap ns_cleanup EXIT
