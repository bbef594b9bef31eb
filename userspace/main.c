// SPDX-License-Identifier: GPL-2.0
/*
 * sbxfwctl: control the sbxfw egress firewall. See sbxfwctl.c.
 */
#include "sbxfwctl.h"

int main(int argc, char **argv)
{
	struct sbxfwctl ctl = {
		.out = stdout,
		.err = stderr,
		.in = stdin,
		.ops = &sbxfwctl_netlink_ops,
	};

	return sbxfwctl_run(&ctl, argc, argv);
}
