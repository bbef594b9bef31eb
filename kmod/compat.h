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

/*
 * Since 6.2 the family's pre_doit/post_doit are handed the split do/dump
 * form of the operation instead of struct genl_ops.
 */
#ifdef SBXFW_HAVE_GENL_SPLIT_OPS
#define sbxfw_genl_doit_ops genl_split_ops
#else
#define sbxfw_genl_doit_ops genl_ops
#endif

#endif /* _SBXFW_COMPAT_H */
