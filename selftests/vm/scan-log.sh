#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scan-log.sh LOG...: prints every kernel message in the logs (lines that
# carry printk's "[ seconds.micros]" stamp; programs' own output on the
# console has none) that shows the kernel went wrong: oops, BUG, WARN,
# KASAN/UBSAN, lockdep, RCU, a hung task, kmemleak, panic. Exits 1 if there
# is one, 0 if there is none.
grep -a -n -E '^(<[0-9]+>)?\[ *[0-9]+\.[0-9]+\]' "$@" |
	grep -a -E \
		-e '\] *(BUG|WARNING|Oops|INFO): ' \
		-e 'general protection fault|Kernel panic|kernel BUG at|Call Trace:' \
		-e 'KASAN|UBSAN|KFENCE|kmemleak: [0-9]+ new suspected|unreferenced object' \
		-e 'possible (circular|recursive) locking|inconsistent lock state|lock held when returning' \
		-e 'suspicious RCU usage|rcu.*detected stall|sleeping function called from invalid context' \
		-e 'blocked for more than [0-9]+ seconds' && exit 1
exit 0
