/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The only place that knows kernel APIs differ between the kernels sbxfw
 * builds for. Each SBXFW_HAVE_* macro comes from a header probe in Kbuild
 * (what the kernel has), never from a version number, so distribution
 * kernels with backports get the right branch.
 */
#ifndef _SBXFW_COMPAT_H
#define _SBXFW_COMPAT_H

#include <net/genetlink.h>

/* 6.12 moved the unaligned access helpers out of asm/. */
#ifdef SBXFW_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * Since 6.2 the family's pre_doit/post_doit are handed the split do/dump
 * form of the operation instead of struct genl_ops.
 */
#ifdef SBXFW_HAVE_GENL_SPLIT_OPS
#define sbxfw_genl_doit_ops genl_split_ops
#else
#define sbxfw_genl_doit_ops genl_ops
#endif

/* Since 6.7 a dump's parsed attributes live in a struct genl_info. */
#ifdef SBXFW_HAVE_GENL_INFO_DUMP
#define sbxfw_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define sbxfw_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _SBXFW_COMPAT_H */
