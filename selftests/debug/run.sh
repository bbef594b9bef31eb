#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [-t SECONDS] [-s SECONDS] [SCRIPT...]: sbxfw under a debug kernel.
# Builds (or reuses) the debug kernel (build-kernel.sh: KUnit, KASAN,
# lockdep, PROVE_RCU, DEBUG_ATOMIC_SLEEP, kmemleak), builds sbxfw.ko and
# sbxfw_kunit.ko against it, boots it in the VM harness, runs the KUnit
# suites, then the kselftest suite (or the SCRIPTs named) with the module
# loaded, then kmemleak's scans; prints TAP, the KUnit cases as indented
# subtests like the kselftests' cases, and fails on any failed case and on
# any KASAN, lockdep, RCU, kmemleak or other kernel report in the guest's
# log. -t bounds the whole guest (default 10800 s), -s each kselftest
# script (default 2400 s): KASAN and lockdep under TCG are slow.
# Logs: build/vm/debug-HASH/ (console.log, dmesg.txt, kunit.ktap).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
timeout=10800
script_timeout=2400
while getopts "t:s:" opt; do
	case $opt in
	t) timeout=$OPTARG ;;
	s) script_timeout=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
cd "$src" || exit 1

num=0
failed=0
ok() { # OK? DESCRIPTION [DIAGNOSTIC]
	num=$((num + 1))
	if [ "$1" = 0 ]; then
		echo "ok $num $2"
	else
		failed=1
		echo "not ok $num $2"
		[ -n "${3:-}" ] && sed 's/^/# /' <<<"$3"
	fi
}
finish() {
	echo "1..$num"
	exit $failed
}

echo "TAP version 13"
mkdir -p "$src/build"
start=$(date +%s)
dir=$("$here/build-kernel.sh" 2>"$src/build/debug-kernel.err")
status=$?
took=$(($(date +%s) - start))
if [ $status -ne 0 ]; then
	ok 1 "the debug kernel builds" "$(cat "$src/build/debug-kernel.err")"
	finish
fi
if [ "$took" -gt 60 ]; then
	echo "# debug kernel: $dir, built in ${took} s (wall)"
else
	echo "# debug kernel: $dir, cached (built in $(cat "$dir/build-time" 2>/dev/null || echo '?') s wall)"
fi
ok 0 "the debug kernel builds ($(cat "$dir/build/include/config/kernel.release"))"

out=$(make -s -C userspace 2>&1)
ok $? "sbxfwctl builds" "$out"
ko=$(selftests/vm/build-module.sh "$dir" 2>&1)
status=$?
kunit_ko=$(dirname "$ko")/sbxfw_kunit.ko
[ $status -eq 0 ] && [ -f "$kunit_ko" ]
ok $? "sbxfw.ko and sbxfw_kunit.ko build against it" "$ko"
[ "$failed" = 0 ] || finish
# ynl.sh drives the family with the kernel's YNL tool, unpacked by the host check.
[ -d build/ynl ] || bash selftests/host/ynl.sh >/dev/null 2>&1

vmout=$src/build/vm/debug-$(basename "$dir")
mkdir -p "$vmout"
start=$(date +%s)
# kasan_multi_shot: every KASAN report, not only the first.
selftests/vm/run.sh -K "$dir" -t "$timeout" -o "$vmout" -a "kasan_multi_shot" \
	-e "SBXFW_KO=$ko" -e "SBXFW_KUNIT_KO=$kunit_ko" \
	-e "SCRIPT_TIMEOUT=$script_timeout" -e SBXFW_TIMEOUT_SCALE=5 \
	"selftests/debug/guest.sh $*" >"$vmout/run.out" 2>&1
vmstatus=$?
end=$(date +%s)
if [ -f "$vmout/job.started" ]; then
	echo "# guest: booted to its job in $(($(stat -c %Y "$vmout/job.started") - start)) s, ran $((end - start)) s in all (wall)"
fi

# KUnit's KTAP: suites at the top level, their cases indented. Each case
# becomes an indented subtest, each suite a "selftests: sbxfw: kunit: ..."
# line (selftests/run.sh counts cases, not such lines); a suite that never
# reported, or reported fewer cases than it planned, fails.
echo "# selftests: sbxfw: kunit"
ktap=$vmout/kunit.ktap
[ -f "$ktap" ] || ktap=/dev/null
kunit=$(awk -v num="$num" '
	/^    # Subtest: / { suite = $3; planned[suite] = 0; seen[suite] = 0; next }
	suite != "" && /^    1\.\.[0-9]+$/ { sub(/^ *1\.\./, ""); planned[suite] = $0 + 0; next }
	/^    (not )?ok [0-9]+ / {
		line = $0
		sub(/^    /, "", line)
		n = split(line, w, " ")
		i = (w[1] == "not") ? 4 : 3
		rest = ""
		for (j = i; j <= n; j++) rest = rest (j > i ? " " : "") w[j]
		print "    " (w[1] == "not" ? "not ok " w[3] : "ok " w[2]) " " suite ": " rest
		seen[suite]++
		next
	}
	/^        (not )?ok / { next }	# parameters of a case
	/^    #/ { print "    " substr($0, 5); next }
	/^    +[^ ]/ && !/KTAP version/ { sub(/^ +/, ""); print "    # " $0; next }
	/^(not )?ok [0-9]+ / {
		name = ($1 == "not") ? $4 : $3
		bad = ($1 == "not") || seen[name] != planned[name]
		num++
		print (bad ? "not ok " : "ok ") num " selftests: sbxfw: kunit: " name
		if (seen[name] != planned[name])
			print "# " seen[name] " of " planned[name] " cases reported"
		done[name] = 1
		suite = ""
		next
	}
	END {
		split("sbxfw_lpm sbxfw_policy sbxfw_domain sbxfw_dns", want, " ")
		for (k = 1; k <= 4; k++)
			if (!done[want[k]]) {
				num++
				print "not ok " num " selftests: sbxfw: kunit: " want[k] " # no result"
			}
		print "NUM " num
	}' "$ktap")
grep -v '^NUM ' <<<"$kunit"
grep -q '^not ok' <<<"$kunit" && failed=1
num=$(sed -n 's/^NUM //p' <<<"$kunit")

# The kselftests' TAP, numbered on from here.
if [ -f "$vmout/results.tap" ]; then
	renum=$(awk -v num="$num" '
		/^TAP version/ || /^1\.\.[0-9]+$/ { next }
		/^(not )?ok [0-9]+/ {
			num++
			sub(/^ok [0-9]+/, "ok " num)
			sub(/^not ok [0-9]+/, "not ok " num)
		}
		{ print }
		END { print "NUM " num }' "$vmout/results.tap")
	grep -v '^NUM ' <<<"$renum"
	grep -q '^not ok' <<<"$renum" && failed=1
	num=$(sed -n 's/^NUM //p' <<<"$renum")
else
	ok 1 "the kselftests ran" "$(tail -n 20 "$vmout/run.out")"
fi

# KASAN, lockdep, RCU, kmemleak, atomic sleep, WARN, oops: anywhere in
# the console log or the final dmesg.
logs=("$vmout/console.log")
[ -f "$vmout/dmesg.txt" ] && logs+=("$vmout/dmesg.txt")
report=$(selftests/vm/scan-log.sh "${logs[@]}")
ok $? "no KASAN, lockdep, RCU, kmemleak or other kernel report" \
	"$(head -n 60 <<<"$report")"
[ "$vmstatus" -eq 0 ] || [ "$failed" = 1 ] || ok 1 "the guest job passed" "$(tail -n 20 "$vmout/run.out")"
finish
