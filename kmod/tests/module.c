// SPDX-License-Identifier: GPL-2.0
/*
 * sbxfw_kunit.ko: the KUnit suites of sbxfw's pure code (address lookup,
 * policy compilation and evaluation, domain patterns, DNS parsing). Each
 * suite's file includes the file it tests, so this module carries its own
 * copy of that code and needs neither sbxfw.ko nor any symbol of it;
 * sbxfw.ko itself is built exactly as without KUnit. The suites run when
 * the module loads and report KTAP on the kernel log.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites of the sbxfw egress firewall's pure code");
