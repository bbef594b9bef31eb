// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry: per-namespace state first, then the control plane that
 * changes it; torn down in the opposite order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "hooks.h"
#include "sbxfw.h"
#include "upload.h"
#include "version.h"

static int __init sbxfw_init(void)
{
	int err;

	err = sbxfw_netns_init();
	if (err)
		return err;

	err = sbxfw_devhooks_init();
	if (err)
		goto err_devhooks;

	err = sbxfw_upload_init();
	if (err)
		goto err_upload;

	err = sbxfw_netlink_init();
	if (err)
		goto err_netlink;

	pr_info("version " SBXFW_VERSION " loaded\n");
	return 0;

err_netlink:
	sbxfw_upload_exit();
err_upload:
	sbxfw_devhooks_exit();
err_devhooks:
	sbxfw_netns_exit();
	return err;
}

static void __exit sbxfw_exit(void)
{
	sbxfw_netlink_exit();
	sbxfw_upload_exit();
	/* Policies (and their device hooks) go before the device notifier,
	 * so no device is unhooked while a policy still filters.
	 */
	sbxfw_netns_exit();
	sbxfw_devhooks_exit();
}

module_init(sbxfw_init);
module_exit(sbxfw_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Egress firewall for code-execution sandboxes");
MODULE_VERSION(SBXFW_VERSION);
