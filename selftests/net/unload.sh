#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading the module while policies filter traffic that keeps flowing:
# every hook and policy goes, the senders carry on unfiltered, and nothing
# is left behind. guest-selftests.sh runs this last, in place of a plain
# rmmod; the console scan catches any splat.
source "$(dirname "$0")/lib.sh"

BUSY=3
up=0
for i in $(seq "$BUSY"); do
	busy_sandbox sbx && up=$((up + 1))
done
if [ "$up" -eq "$BUSY" ]; then
	t_ok "$BUSY sandboxes filter traffic that keeps flowing"
else
	t_fail "$BUSY sandboxes filter traffic that keeps flowing" "only $up came up"
fi

icmp() { ip netns exec "$sbx" python3 "$SBXFW_SRC/selftests/net/probe.py" icmp 10.77.0.3 0; }
t_run "before: the denied address is refused" test "$(icmp)" = EPERM
t_run "the module unloads under that load" rmmod sbxfw
t_run "nothing of the module is left" test ! -e /sys/module/sbxfw
t_run "after: nothing filters the denied address" test "$(icmp)" = ok
t_done
