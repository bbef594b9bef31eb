#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints the test kernels, one per line: the newest installed kernel of each
# line sbxfw is tested on whose headers are installed too.
# --build-dirs prints their build directories instead.
lines="6.1 6.12"

for line in $lines; do
	for img in $(ls /boot/vmlinuz-"$line".* 2>/dev/null | sort -rV); do
		kver=${img#/boot/vmlinuz-}
		[ -d "/lib/modules/$kver/build" ] || continue
		if [ "$1" = --build-dirs ]; then
			echo "/lib/modules/$kver/build"
		else
			echo "$kver"
		fi
		break
	done
done
