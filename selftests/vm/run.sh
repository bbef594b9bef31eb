#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh [-k KVER | -K KERNEL_DIR] [-t SECONDS] [-m MB] [-o OUTDIR] [-e VAR=VALUE]...
#        [-a CMDLINE] [-v] JOB
#
# Boots a stock Debian test kernel under QEMU (TCG) with the host's root
# filesystem read-only over 9p, runs the shell command JOB inside it from
# the top of this source tree, and powers off. The guest sees the source
# tree at its host path wherever it is (even below /tmp, which is the
# guest's own tmpfs) and OUTDIR (its only writable host directory) at /mnt. The console log is kept in
# OUTDIR/console.log; -v also shows it, -a appends kernel parameters. Exits with the job's status, or 1 when the guest hung
# past its timeout, never ran the job, or logged a kernel splat.
#
# -K boots instead a kernel built by selftests/debug/build-kernel.sh (its
# cache directory: KERNEL_DIR/bzImage, everything the boot needs built in,
# so its initramfs loads no module); such a kernel gets 4096 MB unless -m
# says otherwise (KASAN's shadow memory), the stock ones 2048.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
kver=$("$here/kernels.sh" | sed -n 1p)
kdir=
mem=
timeout=900
out=
envs=()
append=
quiet=1

while getopts "k:K:t:m:o:e:a:v" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	K) kdir=$OPTARG ;;
	t) timeout=$OPTARG ;;
	m) mem=$OPTARG ;;
	o) out=$OPTARG ;;
	e) envs+=("$OPTARG") ;;
	a) append=$OPTARG ;;
	v) quiet=0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
job=${1:?usage: run.sh [-k KVER | -K KERNEL_DIR] [-t SECONDS] [-m MB] [-o OUTDIR] [-e VAR=VALUE]... [-a CMDLINE] [-v] JOB}

if [ -n "$kdir" ]; then
	[ -f "$kdir/bzImage" ] ||
		{ echo "run.sh: no kernel in '$kdir' (run selftests/debug/build-kernel.sh)" >&2; exit 1; }
	kdir=$(cd "$kdir" && pwd)
	kernel=$kdir/bzImage
	# The name of the kernel in messages, logs and the default OUTDIR.
	kver=debug-$(basename "$kdir")
	initrd=$src/build/vm/initrd-builtin.img
	initrd_kver=-
	mem=${mem:-4096}
else
	[ -n "$kver" ] && [ -f "/boot/vmlinuz-$kver" ] ||
		{ echo "run.sh: no test kernel '$kver' (run selftests/vm/install-deps.sh)" >&2; exit 1; }
	kernel=/boot/vmlinuz-$kver
	initrd=$src/build/vm/initrd-$kver.img
	initrd_kver=$kver
	mem=${mem:-2048}
fi
[ -n "$out" ] || out=$src/build/vm/$kver
mkdir -p "$out" "$src/build/vm"
rm -f "$out"/job.exit "$out"/console.log "$out"/dmesg.txt

# One initramfs per kernel (one for all kernels that need no module),
# rebuilt when the scripts that make it change.
if [ ! -f "$initrd" ] || [ "$here/mkinitrd.sh" -nt "$initrd" ] ||
	[ "$here/initramfs-init" -nt "$initrd" ]; then
	"$here/mkinitrd.sh" "$initrd_kver" "$initrd" || exit 1
fi

{
	printf 'export SBXFW_SRC=%q SBXFW_KVER=%q SBXFW_OUT=/mnt\n' "$src" "$kver"
	printf 'export SBXFW_JOB=%q\n' "$job"
	for e in "${envs[@]}"; do
		printf 'export %q\n' "$e"
	done
} >"$out/job.env"

cmdline="console=ttyS0 panic=-1 oops=panic loglevel=7 rcupdate.rcu_cpu_stall_timeout=120"
cmdline+=" sbxfw_guest=$here/guest-init.sh $append"

console=$out/console.log
qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=multi -cpu max
	-smp 2 -m "$mem" -no-reboot -display none -monitor none -nic none
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
	-virtfs "local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$src,mount_tag=src,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=out,security_model=none"
	-serial stdio)

boot() {
	rm -f "$out"/job.started "$out"/job.exit
	if [ "$quiet" = 1 ]; then
		timeout -k 10 "$timeout" "${qemu[@]}" </dev/null >"$console" 2>&1
	else
		timeout -k 10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$console"
	fi
	status=${PIPESTATUS[0]}
}

# Multi-threaded TCG now and then crashes a kernel while it patches its own
# text at boot (an int3 oops in early code, seen with 6.12): a guest that
# died before its job started never ran any of our code, so boot it again.
for attempt in 1 2 3; do
	boot
	[ -f "$out/job.started" ] || [ "$status" = 124 ] || [ "$status" = 137 ] && break
	cp "$console" "$out/console.boot-$attempt.log"
	echo "run.sh: guest $kver died while booting, before its job started (qemu exit $status; log: $out/console.boot-$attempt.log)" >&2
done

if [ "$status" = 124 ] || [ "$status" = 137 ]; then
	echo "run.sh: guest $kver hung: killed after ${timeout}s (log: $console)" >&2
	exit 1
fi
if [ ! -f "$out/job.exit" ]; then
	echo "run.sh: guest $kver never finished its job (qemu exit $status; log: $console)" >&2
	tail -n 30 "$console" >&2
	exit 1
fi
if ! splat=$("$here/scan-log.sh" "$console" "$out/dmesg.txt"); then
	echo "run.sh: guest $kver logged a kernel problem (log: $console):" >&2
	echo "$splat" | head -n 40 >&2
	exit 1
fi
exit "$(cat "$out/job.exit")"
