/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module's files share with each other.
 */
#ifndef _SBXFW_H
#define _SBXFW_H

#include <linux/types.h>

unsigned int sbxfw_netns_count(void);

int sbxfw_netlink_init(void);
void sbxfw_netlink_exit(void);

#endif /* _SBXFW_H */
