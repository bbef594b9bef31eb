#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM harness itself: its log scanner flags every kind of kernel splat
# and nothing else, and run.sh fails a guest that logs a WARN, hangs, or
# whose job fails.
source "$(dirname "$0")/../net/lib.sh"
trap - EXIT

vm=$SBXFW_SRC/selftests/vm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name|log line the scanner must flag
flagged='warn|[   12.345678] WARNING: CPU: 1 PID: 42 at kmod/main.c:10 sbxfw_init+0x1/0x2 [sbxfw]
bug|[    3.000001] BUG: kernel NULL pointer dereference, address: 0000000000000008
oops|[    3.000001] Oops: 0000 [#1] PREEMPT SMP NOPTI
kasan|[    9.100000] BUG: KASAN: slab-out-of-bounds in dns_parse+0x42/0x100 [sbxfw]
lockdep|[    9.100000] WARNING: possible circular locking dependency detected
rcu|[    9.100000] WARNING: suspicious RCU usage
stall|[   80.000000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
hung|[  300.000000] INFO: task kworker/0:1:42 blocked for more than 120 seconds.
kmemleak|[  400.000000] kmemleak: 3 new suspected memory leaks (see /sys/kernel/debug/kmemleak)
atomic-sleep|[    5.000000] BUG: sleeping function called from invalid context at mm/slab.h:723
panic|[    5.000000] Kernel panic - not syncing: Fatal exception
gpf|[    5.000000] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP
ubsan|[    5.000000] UBSAN: array-index-out-of-bounds in kmod/lpm.c:42:7
calltrace|<4>[    5.000000] Call Trace:'
while IFS='|' read -r name line; do
	printf '[    0.000000] Linux version 6.1.0\n%s\n[    9.9] sysrq: Power Off\n' "$line" >"$tmp/$name.log"
	if "$vm/scan-log.sh" "$tmp/$name.log" >/dev/null; then
		t_fail "log scanner flags a $name report" "not flagged: $line"
	else
		t_ok "log scanner flags a $name report"
	fi
done <<<"$flagged"

cat >"$tmp/clean.log" <<'LOG'
[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org)
[    1.737993] If you want to keep using the local clock, then add:
[    2.158660] 9pnet: Installing 9P2000 support
[    4.100000] sbxfw: loading out-of-tree module taints kernel.
[    4.100001] sbxfw: module verification failed: signature and/or required key missing - tainting kernel
insmod: ERROR: could not load module /nonexistent.ko: No such file or directory
WARNING: a test program printed this on the console itself
BUG: so did this one
[    5.098689] ACPI: PM: Preparing to enter system sleep state S5
LOG
out=$("$vm/scan-log.sh" "$tmp/clean.log")
if [ $? -eq 0 ]; then
	t_ok "log scanner passes a clean boot with programs' own WARNING/ERROR text"
else
	t_fail "log scanner passes a clean boot with programs' own WARNING/ERROR text" "$out"
fi

kver=$("$vm/kernels.sh" | sed -n 1p)
if [ -z "$kver" ]; then
	t_skip "run.sh fails a guest that logs a WARN" "no test kernel installed"
	t_done
fi

expect_run() { # WANT_STATUS WANT_MESSAGE RUN_ARGS...
	local want=$1 message=$2 out status
	shift 2
	out=$("$vm/run.sh" -k "$kver" -o "$tmp/vm" "$@" 2>&1)
	status=$?
	[ "$status" = "$want" ] && grep -q -- "$message" <<<"$out" && return 0
	echo "exit $status (wanted $want); output:"
	echo "$out"
	return 1
}

t_run "run.sh fails a guest whose kernel logs a WARN ($kver)" \
	expect_run 1 "logged a kernel problem" -t 300 \
	'echo "<4>WARNING: CPU: 0 PID: 1 at harness-selftest" >/dev/kmsg'
t_run "run.sh kills and fails a hung guest ($kver)" \
	expect_run 1 "hung" -t 30 'sleep 3600'
t_run "run.sh passes on a job's own exit status ($kver)" \
	expect_run 3 "" -t 300 'exit 3'
t_run "run.sh passes a clean guest ($kver)" \
	expect_run 0 "" -t 300 'true'
t_done
