#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (see run.sh): loads $SBXFW_KO, runs every
# kselftest script in selftests/net/ (or those named as arguments) with a
# bounded time each, unloads the module, and prints KTAP with each script's
# cases as indented subtests. A copy goes to $SBXFW_OUT/results.tap.
set -u
cd "$SBXFW_SRC" || exit 1
export SBXFWCTL=$SBXFW_SRC/userspace/sbxfwctl
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-600}
results=$SBXFW_OUT/results.tap
num=0
failed=0

emit() {
	echo "$*" | tee -a "$results"
}

# result OK? DESCRIPTION [DIAGNOSTIC]
result() {
	num=$((num + 1))
	if [ "$1" = 0 ]; then
		emit "ok $num $2"
	else
		failed=1
		emit "not ok $num $2"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/# /' | tee -a "$results"
	fi
}

: >"$results"
emit "TAP version 13"
emit "# sbxfw selftests on $(uname -r)"

out=$("$SBXFWCTL" version 2>&1)
status=$?
[ $status -ne 0 ] && grep -q "not loaded" <<<"$out"
result $? "sbxfwctl says plainly when the module is not loaded" "exit $status: $out"

# insmod does not resolve dependencies; modprobe finds the kernel's own.
out=$({ deps=$(modinfo -F depends "$SBXFW_KO") &&
	{ [ -z "$deps" ] || modprobe -a ${deps//,/ }; } &&
	insmod "$SBXFW_KO"; } 2>&1)
result $? "module loads ($SBXFW_KO)" "$out"
if [ ! -d /sys/module/sbxfw ]; then
	emit "1..$num"
	exit 1
fi

if [ $# -gt 0 ]; then
	scripts=("$@")
else
	mapfile -t scripts < <(ls selftests/net/*.sh | grep -v -e '/lib\.sh$' -e '/unload\.sh$')
fi
[ ${#scripts[@]} -gt 0 ]
result $? "kselftest scripts found" "no script in selftests/net/"
run_script() { # SCRIPT: its cases as indented subtests, then its own line
	local name status
	name=$(basename "$1")
	emit "# selftests: sbxfw: $name"
	timeout -k 5 "$SCRIPT_TIMEOUT" bash "$1" 2>&1 | sed -u 's/^/    /' | tee -a "$results"
	status=${PIPESTATUS[0]}
	case $status in
	0) result 0 "selftests: sbxfw: $name" ;;
	4) num=$((num + 1)); emit "ok $num selftests: sbxfw: $name # SKIP" ;;
	124) result 1 "selftests: sbxfw: $name" "TIMEOUT after ${SCRIPT_TIMEOUT}s" ;;
	*) result 1 "selftests: sbxfw: $name" "exit status $status" ;;
	esac
}
for script in "${scripts[@]}"; do
	run_script "$script"
done

# Last, and whatever was asked for: unload.sh unloads the module under load.
run_script selftests/net/unload.sh
[ ! -e /sys/module/sbxfw ]
result $? "nothing of the module is left after unload" "/sys/module/sbxfw still exists"

if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(cat /sys/kernel/debug/kmemleak)
	[ -z "$leaks" ]
	result $? "kmemleak finds no leak" "$leaks"
fi

emit "1..$num"
exit $failed
