#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stage 2 of the test VM, PID 1 on the host's read-only root: give the guest
# writable scratch space, mount the host's output directory, run the job it
# names, record the job's exit status there, and power off.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LC_ALL=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
# devtmpfs has no /dev/fd; bash's process substitution needs it.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
for dir in /tmp /run /var/tmp /var/lib /var/log /var/cache /root; do
	mount -t tmpfs -o mode=0755 tmpfs "$dir"
done
chmod 1777 /tmp /var/tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mkdir -p /run/netns /var/lib/misc
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /mnt

# shellcheck source=/dev/null
. /mnt/job.env
# The source tree comes as its own share, mounted at its host path: the
# tmpfs mounts above may hide that path in the host root (a clone in /tmp).
mkdir -p "$SBXFW_SRC"
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose src "$SBXFW_SRC"
hostname sbxfw-vm
ip link set lo up
cd "$SBXFW_SRC" || exit 1

: >/mnt/job.started
bash -c "$SBXFW_JOB" </dev/null >/dev/console 2>&1
echo $? >/mnt/job.exit
dmesg >/mnt/dmesg.txt
sync
echo o >/proc/sysrq-trigger
sleep 60 2>/dev/null
